"""Pages laid out by a real browser: Debian's Chromium, driven by Playwright's own API.

Playwright's browsers are never downloaded (``playwright install`` reaches outside the package
registries): the tests launch ``/usr/bin/chromium`` from Debian's ``chromium`` package, which
CI (``.ci/run``) installs. On a machine without it the tests are skipped, saying so; in CI
(``CI`` set) its absence is a failure, so the tests cannot quietly stop running there.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")


class OneRequestAtATime(WSGIServer):
    """The live server answering one request at a time. With SQLite in memory every request
    thread would share the test's one connection, and a page that loads while its service
    worker fetches the next days' pages put two threads on it at once (the suite hung there).
    Django closes each connection after its answer when the server is not threaded."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


# The live server thread applies the shared connections itself; requests then run on it.
LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the module's tests."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps its event loop running on the test's thread, and Django
    # refuses database queries from a thread with a running loop; the tests' own setup is
    # plain synchronous code, so that check is lifted while the browser is open.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # Running as root (CI does) needs Chromium's sandbox off.
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def open_as(browser, live_server, client):
    """``open_as(user, width, language)``: a page ``width`` CSS pixels wide (a phone's, at
    twice the pixels, below 800) whose browser asks for ``language``, logged in as ``user`` on
    the live server; ``page.goto`` takes a path."""
    contexts = []

    def open_page(user, width: int, language: str = "en"):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 800},
            # A phone's screen (touch, twice the pixels) below a tablet's width; a desktop's
            # above it.
            device_scale_factor=2 if width < 800 else 1,
            is_mobile=width < 800,
            has_touch=width < 800,
            locale=language,
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def assert_accessible(page) -> None:
    """Run axe-core (bundled by axe-playwright-python, so nothing is fetched) on the page as
    shown and fail on any serious or critical WCAG 2.2 AA violation, naming each: rule, impact,
    the elements it was found on and where the rule is explained."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    )
    found = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}\n"
        + "".join(f"    at {node['target']}\n" for node in v["nodes"])
        for v in found
    ]
    assert not found, f"{page.url}\n" + "".join(lines)
