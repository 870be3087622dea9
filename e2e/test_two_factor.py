"""Two factors in a real browser: a hospital administrator sets up an authenticator on
their first sign-in (the code computed here from the key the page shows, as a phone
would), keeps the recovery codes, and signs in with each kind of code afterwards."""

from __future__ import annotations

import base64
import time
from pathlib import Path

from django_otp.oath import hotp
from playwright.sync_api import ConsoleMessage, Page, expect

from e2e.pages import DASHBOARD, hospital_create, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Twofold-Admin-2026"


def code_from(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (base32) now, or a step later."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{hotp(key, int(time.time()) // 30 + steps_ahead):06d}"


def password_step(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_hospital_administrator_sets_up_two_factors_and_signs_in_with_them(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Twofold Hospital", subdomain="twofold", admin_password=ADMIN_PASSWORD
    )
    refused_by_csp: list[str] = []

    def note_csp(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused_by_csp.append(message.text)

    page.on("console", note_csp)

    # the first sign-in: nothing opens before the authenticator is set up
    password_step(page, site.base, site.admin_username)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    page.goto(site.url("/patients/"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.screenshot(path=str(artifacts / "two-factor-enrolment.png"), full_page=True)
    page.get_by_label("Code").fill(code_from(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()  # where it was going
    assert not refused_by_csp, refused_by_csp
    sign_out(page)

    # the next sign-in asks for a code; a recovery code does, once
    password_step(page, site.base, site.admin_username)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=DASHBOARD)).to_be_visible()
    sign_out(page)

    password_step(page, site.base, site.admin_username)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.goto(site.url("/"))
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()

    # the authenticator's code (a step on: the enrolment used the current one)
    time.sleep(1)  # past django-otp's throttling wait after the wrong code
    page.get_by_label("Code").fill(code_from(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=DASHBOARD)).to_be_visible()
