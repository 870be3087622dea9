"""Steps every end-to-end test takes the same way: a hospital made on the running stack,
signing in and out as one of its people, moving through the staff menu, waiting for an
htmx swap, picking from a select or from suggestions as you type.

Each waits for what a person would wait for (a heading, a settled swap), never for a
fixed time, so the tests run as fast as the stack answers and no faster.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django_otp.oath import hotp
from playwright.sync_api import Locator, Page, expect

from e2e.menu import menu_link
from hms.devstack import ADMIN_PASSWORD, ADMIN_USERNAME, Stack

DASHBOARD = "Dashboard"
CHOOSE_PASSWORD = "Choose your own password"
#: the password of the logins sign_in_as makes
STAFF_PASSWORD = "E2e-Staff-Password-26"


# -- a hospital on the running stack --------------------------------------------------------


@dataclass(frozen=True)
class HospitalSite:
    """A hospital of the running stack, as the browser reaches it."""

    stack: Stack
    subdomain: str
    admin_username: str
    #: the administrator's own password, or the temporary one printed once
    admin_password: str

    @property
    def base(self) -> str:
        return self.stack.hospital_url(self.subdomain)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def setup(self, script: str, **values: Any) -> dict[str, Any]:
        """Run ``script`` in ``manage.py shell`` on the stack (each of ``values`` bound to
        its name first) and return the JSON object it printed last: the records a test
        needs made as the services would leave them, not through the pages under test."""
        bindings = "".join(f"{name} = {value!r}\n" for name, value in values.items())
        output = self.stack.manage("shell", "-c", bindings + script).stdout
        made: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
        return made

    def login(self, role: str, full_name: str, password: str = STAFF_PASSWORD) -> str:
        """A login of ``role`` made through the accounts service; its username."""
        return str(
            self.setup(
                LOGIN_CREATE,
                SUBDOMAIN=self.subdomain,
                ROLE=role,
                FULL_NAME=full_name,
                PASSWORD=password,
            )["username"]
        )


LOGIN_CREATE = """
import json
from apps.accounts.services import account_create
from apps.tenancy.models import Hospital
hospital = Hospital.objects.get(subdomain=SUBDOMAIN)
user = account_create(hospital=hospital, full_name=FULL_NAME, role=ROLE, password=PASSWORD).user
print(json.dumps({"username": user.username}))
"""


def hospital_create(
    stack: Stack,
    *,
    name: str,
    subdomain: str,
    code: str | None = None,
    admin_password: str | None = None,
) -> HospitalSite:
    """A ready hospital made with ``manage.py create_hospital``, as an operator would.
    Without ``admin_password`` its administrator gets a temporary one (to be replaced at
    the first sign-in)."""
    arguments = ["--name", name, "--subdomain", subdomain]
    if code:
        arguments += ["--code", code]
    if admin_password:
        arguments += ["--admin-password", admin_password]
    output = stack.manage("create_hospital", *arguments).stdout
    username = re.search(r"Administrator username: (\S+)", output)
    temporary = re.search(r"first login\): (\S+)", output)
    password = admin_password or (temporary and temporary.group(1))
    assert username and password, output
    return HospitalSite(
        stack=stack,
        subdomain=subdomain,
        admin_username=username.group(1),
        admin_password=password,
    )


# -- signing in and out ----------------------------------------------------------------------


def sign_in(
    page: Page,
    site: HospitalSite,
    username: str,
    password: str,
    *,
    lands_on: str | None = DASHBOARD,
) -> None:
    """Sign in on the hospital's sign-in page; wait for the page it leads to, whose
    heading is ``lands_on`` (None: a refusal, say — the caller checks)."""
    page.goto(site.url("/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if lands_on is not None:
        through_second_factor(page, username, page.get_by_role("heading", name=lands_on))
    else:
        page.wait_for_load_state()


def sign_in_as_admin(page: Page, site: HospitalSite) -> None:
    sign_in(page, site, site.admin_username, site.admin_password)


def sign_in_as(page: Page, site: HospitalSite, role: str, full_name: str | None = None) -> str:
    """Sign in as a new login of ``role`` on the hospital (made through the accounts
    service, not the staff pages); its username."""
    username = site.login(role, full_name or f"E2e {role.replace('_', ' ').title()}")
    sign_in(page, site, username, STAFF_PASSWORD)
    return username


def first_sign_in(
    page: Page, site: HospitalSite, username: str, temporary: str, own_password: str
) -> None:
    """A new login's first sign-in: the temporary password is replaced before anything."""
    sign_in(page, site, username, temporary, lands_on=CHOOSE_PASSWORD)
    choose_own_password(page, own_password, username)


def choose_own_password(page: Page, own_password: str, username: str = "") -> None:
    """Replace a temporary password; an administrator (``username``) then sets up the
    second factor on the way to the dashboard."""
    page.get_by_label("New password", exact=True).fill(own_password)
    page.get_by_label("New password confirmation").fill(own_password)
    page.get_by_role("button", name="Save password").click()
    through_second_factor(page, username, page.get_by_role("heading", name=DASHBOARD))


# -- the second factor: an authenticator app played by the test --------------------------

#: the authenticator key (base32) of each account that set one up in this run: the
#: test's phone
AUTHENTICATORS: dict[str, str] = {}
#: the last TOTP step whose code each account used (a code is accepted once)
_LAST_STEP: dict[str, int] = {}


def through_second_factor(page: Page, username: str, arrived: Locator) -> None:
    """Wait for ``arrived`` (the page a sign-in leads to); on the way, set up the
    authenticator (administrators, the first time) or type its code, as a person with
    the phone in hand does. Works in any language: the steps are found by test id."""
    step = page.get_by_test_id("two-factor-step")
    expect(arrived.or_(step).first).to_be_visible()
    if not step.is_visible():
        return
    if step.get_attribute("data-step") == "enrol":
        secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
        AUTHENTICATORS[username] = secret
        step.locator("input[name=token]").fill(authenticator_code(username))
        step.locator("button[type=submit]").click()
        expect(page.get_by_test_id("recovery-codes")).to_be_visible()
        page.get_by_test_id("two-factor-continue").click()
    else:
        step.locator("input[name=token]").fill(authenticator_code(username))
        step.locator("button[type=submit]").click()
    expect(arrived).to_be_visible()


def authenticator_code(username: str) -> str:
    """The code the account's authenticator shows: a step not used before (the device
    accepts one step ahead; beyond that, wait for the clock)."""
    key = base64.b32decode(AUTHENTICATORS[username])
    now = int(time.time()) // 30
    step = max(now, _LAST_STEP.get(username, now - 1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _LAST_STEP[username] = step
    return f"{hotp(key, step):06d}"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def platform_sign_in(page: Page, stack: Stack) -> None:
    """Sign in to the platform's admin (the bare base domain) as its superuser."""
    page.goto(stack.platform_url + "/admin/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    through_second_factor(page, ADMIN_USERNAME, page.get_by_text("Site administration"))


def open_from_menu(page: Page, name: str) -> None:
    """Open a module (or a page of the staff menu) the way a person does: its group's
    dropdown first when it sits in one (e2e/menu.py)."""
    menu_link(page, name).click()


# -- htmx: waiting for a swap, picking ------------------------------------------------------

#: Armed before the action: notes the first htmx swap that settles (optionally in or on
#: ``selector``) after it, or the first htmx request that fails.
_WATCH_SWAP = """(selector) => {
  const watch = {settled: false, failed: null};
  const concerns = (event) => !selector || [event.target, event.detail && event.detail.target]
    .some((element) => element instanceof Element
          && (element.matches(selector) || element.closest(selector) !== null
              || element.querySelector(selector) !== null));
  const settled = (event) => {
    if (concerns(event)) {
      watch.settled = true;
      document.removeEventListener("htmx:afterSettle", settled);
    }
  };
  document.addEventListener("htmx:afterSettle", settled);
  for (const name of ["htmx:responseError", "htmx:sendError", "htmx:swapError"]) {
    document.addEventListener(name, (event) => { if (concerns(event)) watch.failed = name; });
  }
  window.hmsSwapWatch = watch;
}"""


@contextmanager
def htmx_swap(page: Page, selector: str | None = None, timeout: float = 15_000) -> Iterator[None]:
    """The action in the block makes htmx swap part of the page: wait until that swap
    has settled (``htmx:afterSettle``; inside ``selector`` when given — a poll elsewhere
    on the page does not count). A failed request fails at once with its reason; a full
    page load instead of a swap fails after ``timeout`` ms."""
    page.evaluate(_WATCH_SWAP, selector)
    yield
    page.wait_for_function(
        "() => window.hmsSwapWatch && (window.hmsSwapWatch.settled || window.hmsSwapWatch.failed)",
        timeout=timeout,
    )
    failed = page.evaluate("() => window.hmsSwapWatch.failed")
    assert failed is None, f"the htmx request failed ({failed}) instead of swapping"


def pick(select: Locator, text: str, *, refreshes: str | None = None) -> None:
    """Choose the option of ``select`` whose text is ``text`` — or, when none is, the one
    option that contains it (a label with a suffix: "… · 100 in stock"). When choosing
    makes htmx refresh part of the page (a cascade, a slot grid), ``refreshes`` names it
    (a CSS selector) and pick returns once it has settled."""
    options = select.locator("option")
    option = options.filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    if option.count() == 0:
        option = options.filter(has_text=text)
    expect(option).to_have_count(1)
    value = option.get_attribute("value")
    assert value is not None, f"the option {text!r} has no value"
    if refreshes is None:
        select.select_option(value)
        return
    with htmx_swap(select.page, refreshes):
        select.select_option(value)


def pick_suggestion(field: Locator, typed: str, suggestion: Locator) -> None:
    """Type ``typed`` into a search-as-you-type field, wait for its suggestions to
    arrive and choose ``suggestion`` among them."""
    with htmx_swap(field.page):
        field.press_sequentially(typed)
    suggestion.click()


# -- steps of the staff pages that several tests take ---------------------------------------


def new_login(page: Page, *, full_name: str, role: str) -> tuple[str, str]:
    """The administrator makes a login on the staff page: (username, temporary password)."""
    open_from_menu(page, "Staff")
    page.get_by_role("link", name="New login").click()
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name="Create login").click()
    expect(page.get_by_role("heading", name=f"Login created for {full_name}")).to_be_visible()
    return (
        page.get_by_test_id("username").inner_text(),
        page.get_by_test_id("temporary-password").inner_text(),
    )


def register_patient(page: Page, *, first: str, last: str, sex: str, born: str, phone: str) -> None:
    """The front desk registers a patient on the registration page; lands on their page."""
    open_from_menu(page, "Patients")
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Sex").select_option(sex)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label(re.compile(r"^Phone")).fill(phone)
    page.get_by_label("Allergies").fill("Penicillin")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name=re.compile(f"{first} {last}"))).to_be_visible()


def prescribe(
    page: Page,
    medicine: str,
    *,
    dose: tuple[str, str],
    quantity: str,
    frequency: str = "three_times_daily",
    days: str = "5",
) -> None:
    """Pick ``medicine`` ("Amoxicillin 250 mg") from the formulary by typing its first
    word, fill the structured line and add it."""
    page.get_by_label("Medicine", exact=True).fill(medicine.split()[0].lower())
    page.locator("#medicine-results").get_by_label(re.compile(re.escape(medicine))).check()
    page.get_by_label("Dose", exact=True).fill(dose[0])
    page.get_by_label("Unit", exact=True).select_option(dose[1])
    page.get_by_label("Frequency", exact=True).select_option(frequency)
    page.get_by_label("Duration (days)").fill(days)
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_role("button", name="Add to prescription").click()
