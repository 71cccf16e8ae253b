"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Every test here is marked `browser` (`make browser-test`; `make test` leaves them out). Without
/usr/bin/chromium they skip with a message, except in CI (CI=true), where they fail: CI must
run them. Screenshots go to /tmp/shots (DUBAN_SHOTS), never into the repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from
# "async" code unless told that this test process is not serving async requests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DUBAN_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
SHOTS = Path(os.environ.get("DUBAN_SHOTS", "/tmp/shots"))
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-extensions",
]


def pytest_collection_modifyitems(config, items):
    # A test under tests/browser without the marker would run inside `make test` (in parallel,
    # without a browser): mark it, so `-m browser` / `-m "not browser"` always split correctly.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.access(CHROMIUM, os.X_OK):
        message = (
            f"浏览器测试需要 Debian 的 chromium ({CHROMIUM})，未找到。"
            " 安装: apt-get install -y chromium fonts-noto-cjk"
        )
        if IN_CI:
            pytest.fail(message + " (CI=true: 浏览器测试必须运行)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at desktop size, with the live server as base URL."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shoot():
    """shoot(page, name): full-page screenshot at desktop and phone width under /tmp/shots."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        for label, size in (("1366x768", DESKTOP), ("375x812", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(DESKTOP)

    return take
