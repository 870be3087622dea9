"""Security headers on every page, and the transport switches (issue 11, point 6)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from apps.accounts.models import User
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/login/", "/", "/patients/", "/patients/?q=x", "/staff/", "/no-such-page/"]
)
def test_every_hospital_page_carries_the_security_headers(client_a: Client, path: str) -> None:
    assert_security_headers(client_a.get(path))


def test_htmx_fragments_carry_them_too(client_a: Client) -> None:
    assert_security_headers(client_a.get("/patients/?q=x", HTTP_HX_REQUEST="true"))


def test_platform_pages_and_unknown_hosts_carry_them(db: None) -> None:
    User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    platform = Client(HTTP_HOST="localhost")
    assert_security_headers(platform.get("/admin/login/"))
    platform.force_login(User.objects.get(username="root"))
    assert_security_headers(platform.get("/admin/"))
    assert_security_headers(platform.get("/admin/tenancy/hospital/"))
    assert_security_headers(Client(HTTP_HOST="nowhere.localhost").get("/"))


def test_no_template_has_an_inline_script_or_style(hospital_a: Hospital) -> None:
    """The CSP forbids them; a page that needed one would break in the browser."""
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|hx-on")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def _clean_environment() -> dict[str, str]:
    """This process's environment without HMS's and Django's own variables (the e2e
    fixtures set DJANGO_ALLOW_ASYNC_UNSAFE in it, which check --deploy rightly flags)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("HMS_", "DJANGO_"))}


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **_clean_environment(),
        "HMS_ENV_FILE": "/dev/null",
        "HMS_DATA_DIR": str(tmp_path),
        "HMS_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_behind_tls_but_for_the_preload_the_readme_names(
    tmp_path: Path,
) -> None:
    result = _check_deploy(tmp_path, HMS_PUBLIC_SCHEME="https")
    output = result.stdout + result.stderr
    warnings = sorted(set(__import__("re").findall(r"\(([a-z_]+\.[WE]\d+)\)", output)))
    assert warnings == ["security.W021"], output


def test_https_turns_on_secure_cookies_hsts_and_the_proxy_header(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT)"
    )
    environment = {
        **_clean_environment(),
        "HMS_ENV_FILE": "/dev/null",
        "HMS_DATA_DIR": str(tmp_path),
        "HMS_PUBLIC_SCHEME": "https",
        "DJANGO_SETTINGS_MODULE": "hms.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == (
        "True True True True ('HTTP_X_FORWARDED_PROTO', 'https') True"
    ), result.stderr


def test_plain_http_leaves_them_off_for_local_development() -> None:
    assert settings.HMS_PUBLIC_SCHEME == "http"
    assert not settings.SESSION_COOKIE_SECURE and not settings.SECURE_HSTS_SECONDS
