from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Request, Response

from hms.devstack import Stack, start_stack

# Playwright's sync API runs an event loop in this process, next to Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Debian's chromium is missing: apt-get install -y chromium")
    return path


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser_errors_expected(*patterns): console errors, failed requests or HTTP errors "
        "the test provokes on purpose (regular expressions searched in each report)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("hms-e2e"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# -- a clean console: every page of every test ----------------------------------------------


#: run in every page before its own scripts (Playwright's init scripts are not subject to
#: the page's CSP); the console error it writes is reported like any other
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const element = event.target && event.target.outerHTML
    ? event.target.outerHTML.slice(0, 160) : "";
  console.error(`CSP refused ${event.violatedDirective} (${event.sample}) at `
    + `${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${element}`);
});
"""


class BrowserProblems:
    """What went wrong in the browser during one test: console errors, uncaught script
    errors, requests that failed and responses of HTTP 400 or more. Each is a line naming
    the page or the request, so a failure says where to look."""

    def __init__(self, expected: list[re.Pattern[str]]) -> None:
        self.expected = expected
        self.reports: list[str] = []
        #: what each dialog asked (confirmations are accepted, as a person would)
        self.dialogs: list[str] = []

    def report(self, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.expected):
            self.reports.append(text)

    def on_console(self, message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats a response the response listener names fully
        if message.type == "error" and "Failed to load resource" not in message.text:
            on_page = message.page.url if message.page else "?"
            self.report(
                f"console error on {on_page}: {message.text} ({message.location.get('url')})"
            )

    def on_page_error(self, error: Any) -> None:
        self.report(f"page error: {error}")

    def on_request_failed(self, request: Request) -> None:
        # a request cut short by leaving the page (a poll, an image) is not a failure
        if request.failure != "net::ERR_ABORTED":
            self.report(f"request failed: {request.method} {request.url}: {request.failure}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.report(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        # a test's own handler may have accepted or dismissed it first
        with contextlib.suppress(Exception):
            dialog.accept()

    def watch(self, context: BrowserContext) -> None:
        # a CSP refusal names what was refused and where: the element and the line of script
        context.add_init_script(CSP_REPORTER)
        context.on("console", self.on_console)
        context.on("weberror", lambda web_error: self.on_page_error(web_error.error))
        context.on("requestfailed", self.on_request_failed)
        context.on("response", self.on_response)
        context.on("dialog", self.on_dialog)


@pytest.fixture(autouse=True)
def browser_problems(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BrowserProblems | None]:
    """Fails the test on any console error, script error, failed request or HTTP error
    status in any browser context it opens (the page fixture's and its own), unless the
    test expects it (``@pytest.mark.browser_errors_expected(r"HTTP 404")``). Every
    confirmation dialog is accepted, as the person doing the task would."""
    if not {"page", "context", "browser"} & set(request.fixturenames):
        yield None
        return
    expected = [
        re.compile(pattern)
        for marker in request.node.iter_markers("browser_errors_expected")
        for pattern in marker.args
    ]
    problems = BrowserProblems(expected)
    browser: Browser = request.getfixturevalue("browser")
    new_context: Callable[..., BrowserContext] = browser.new_context

    def watched_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(*args, **kwargs)
        problems.watch(context)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield problems
    assert not problems.reports, "the browser reported problems:\n" + "\n".join(problems.reports)
