"""Playwright driving Debian's Chromium (Playwright cannot download its own browser here).

Every page any browser test opens (the `page` fixture's, and those of contexts a test opens
itself through `browser.new_context`) is watched: an error in the browser's console (a CSP
violation, a missing file, a failed request) or an uncaught script error fails the test.
Screenshots go to PORTAL_SCREENSHOT_DIR (var/screenshots/ by default; CI keeps
var/ci-artifacts/screenshots as artefacts)."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import missing_service

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


def screenshot_dir() -> Path:
    configured = os.environ.get("PORTAL_SCREENSHOT_DIR")
    return Path(configured) if configured else ROOT / "var" / "screenshots"


# What the watched pages logged as errors during the current test (cleared before each).
_console_errors: list[str] = []


def watch_console(page) -> None:
    """Record `page`'s console errors and uncaught exceptions for `_no_console_errors`."""

    def on_console(message):
        if message.type == "error":
            _console_errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: _console_errors.append(f"{page.url}: {error}"))


# Without these, Chromium keeps trying to reach Google's services through a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing_service(
            f"No Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)."
        )
    # Playwright's sync API runs an event loop; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        new_context = instance.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            context.on("page", watch_console)
            return context

        # Tests that open a second context (a second person, JavaScript off) are watched too.
        instance.new_context = watched_context
        yield instance
        instance.close()


def forgive_console_errors(text: str) -> None:
    """Drop the console errors holding `text` that the test caused on purpose (a page it expects
    to answer 410 Gone); fails if there is none, so the call hides nothing it did not expect."""
    assert any(text in error for error in _console_errors), f"no console error with {text!r}"
    _console_errors[:] = [error for error in _console_errors if text not in error]


@pytest.fixture
def console_errors():
    """The console errors of every page this test opened so far (a test may assert on them
    mid-way; `_no_console_errors` checks them all at the end anyway)."""
    return _console_errors


@pytest.fixture(autouse=True)
def _no_console_errors(request):
    _console_errors.clear()
    yield
    errors, _console_errors[:] = list(_console_errors), []
    if errors and "browser" in request.fixturenames:
        pytest.fail("the browser logged errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """A full-page screenshot, `<name>.png` in the screenshot directory."""
    directory = screenshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
