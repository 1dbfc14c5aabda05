"""Browser tests: Selenium driving Debian's chromium and chromium-driver, headless, against
pytest-django's live server (a real HTTP server on 127.0.0.1). `.ci/run` installs both
packages; elsewhere `apt-get install chromium chromium-driver`. Outside CI a missing browser
skips these tests with that hint (shown in the summary); in CI it fails them.

When a test fails, a screenshot of every page it showed is saved under var/screenshots/."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HINT = "install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"


class Browser:
    """The driver, remembering a screenshot of each page it showed."""

    def __init__(self, driver: webdriver.Chrome, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self.shots: list[tuple[str, bytes]] = []

    def snap(self, name: str) -> None:
        self.shots.append((name, self.driver.get_screenshot_as_png()))

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)
        self.snap(path)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def browser(live_server, request) -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail(f"no browser for the browser tests: {HINT}")
        pytest.skip(HINT)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--lang=nl",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(2)
    browser = Browser(driver, live_server.url)
    yield browser
    if getattr(request.node, "failed_call", False):
        folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        browser.snap("at-failure")
        for number, (name, png) in enumerate(browser.shots, start=1):
            slug = re.sub(r"[^\w-]+", "_", name).strip("_")[:60]
            (folder / f"{number:02d}-{slug}.png").write_bytes(png)
    driver.quit()
