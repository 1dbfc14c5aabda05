"""Signing in at the organisation's provider in a real browser (docs/adr/0046): the workspace's
login page, the provider process's own login page with a second factor, and back in the
workspace with the roles the app gave (a team member's queue; not the privacy pages)."""

import pytest
from selenium.webdriver.common.by import By

from audit.models import AccessLog, Action
from tests.browser.axe import axe_source, axe_violations, horizontal_overflow
from tests.factories import TeamFactory, member_of
from tests.oidc.provider_process import ProviderProcess, require_provider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def provider(live_server, settings):
    require_provider()
    process = ProviderProcess(web_base_urls=(live_server.url,)).start()
    settings.OIDC_PROVIDERS = {"utrecht": process.config()}
    yield process
    process.stop()


def test_a_member_signs_in_at_the_provider_and_lands_in_the_queue(browser, provider):
    member_of(TeamFactory(name="Buurtteam Oost"), email="anna@utrecht.example")
    driver = browser.driver
    browser.open("/werkruimte/inloggen/")
    driver.find_element(By.ID, "id_oidc-email").send_keys("anna@utrecht.example")
    driver.find_element(By.XPATH, "//main//button[contains(., 'organisatie')]").click()
    browser.snap("provider login page")
    assert driver.current_url.startswith(provider.issuer + "/interaction/")
    driver.find_element(By.ID, "login").send_keys("sub-anna")
    driver.find_element(By.ID, "mfa").click()
    driver.find_element(By.ID, "submit").click()
    browser.snap("back in the workspace")
    assert driver.current_url == browser.base_url + "/werkruimte/wachtrij/"
    assert "Wachtrij" in driver.title
    browser.open("/werkruimte/privacy/toegangslog/")
    assert "Wachtrij" not in driver.title  # a member's roles: no access-log page
    login = AccessLog.objects.get(action=Action.LOGIN)
    assert login.details["method"] == "session_oidc_mfa"


def test_the_login_page_with_two_organisations_and_the_provider_down_page(
    browser, provider, settings
):
    """Both pages at 1366 and 390 px wide pass axe-core and do not overflow; saved under
    var/screenshots/oidc/ for a look."""
    from tests.browser.conftest import SCREENSHOTS

    other = {**provider.config(), "label": "DOCK", "domains": ["dock.example"]}
    settings.OIDC_PROVIDERS = {"utrecht": provider.config(), "dock": other}
    source = axe_source()
    folder = SCREENSHOTS / "oidc"
    folder.mkdir(parents=True, exist_ok=True)
    driver = browser.driver
    for width in (1366, 390):
        driver.set_window_size(width, 1000)
        browser.open("/werkruimte/inloggen/")
        assert driver.find_element(By.XPATH, "//main//button[contains(., 'DOCK')]")
        (folder / f"login-{width}.png").write_bytes(driver.get_screenshot_as_png())
        assert axe_violations(driver, source) == []
        assert horizontal_overflow(driver) == []
    provider.stop()
    browser.open("/werkruimte/inloggen/")
    driver.find_element(By.ID, "id_oidc-email").send_keys("anna@utrecht.example")
    driver.find_element(By.XPATH, "//main//button[contains(., 'organisatie')]").click()
    assert "niet bereikbaar" in driver.find_element(By.TAG_NAME, "main").text
    for width in (1366, 390):
        driver.set_window_size(width, 1000)
        (folder / f"provider-down-{width}.png").write_bytes(driver.get_screenshot_as_png())
        assert axe_violations(driver, source) == []
        assert horizontal_overflow(driver) == []
