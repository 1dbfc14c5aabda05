"""The privacy officer's job in a real browser (issue 20): an access request registered with
a confirmation step, its export downloaded once confirmed and the request closed; an erasure
request carried out only after the confirmation; a break-glass opening reviewed with a note.
Screenshots of each new page at 1366 and 390 px go to var/screenshots/privacy-desk/ (full
page), to be looked at."""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from audit.models import AccessLog, Action
from privacy.models import BreakGlassReview, SubjectRequest
from signals.models import Signal
from signals.services import signal_break_glass_open
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_workspace_flows import log_in, main_text
from tests.factories import UserFactory
from tests.workspace.helpers import two_teams

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = SCREENSHOTS / "privacy-desk"


def shoot(browser, name: str) -> None:
    """The whole page at 1366 and at 390 px wide, then back to the browser's own size."""
    driver = browser.driver
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": min(height, 4000), "deviceScaleFactor": 1, "mobile": False},
        )
        (SHOTS / f"{name}-{width}.png").write_bytes(driver.get_screenshot_as_png())
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def click(browser, css: str) -> None:
    """Submits and waits until the next page has replaced this one."""
    driver = browser.driver
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 10).until(staleness_of(old))
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def register(browser, world, kind: str, reason: str = "") -> SubjectRequest:
    driver = browser.driver
    browser.open("/werkruimte/privacy/verzoeken/")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "Verzoek registreren").click()
    WebDriverWait(driver, 10).until(staleness_of(old))
    Select(driver.find_element(By.ID, "id_kind")).select_by_value(kind)
    driver.find_element(By.ID, "id_subject_id").send_keys(str(world.signal.subject_id))
    Select(driver.find_element(By.ID, "id_channel")).select_by_value("letter")
    driver.find_element(By.ID, "id_reason").send_keys(reason)
    shoot(browser, f"request-new-{kind}")
    click(browser, "main form button[type=submit]")
    assert "Je gaat registreren" in main_text(browser)
    assert not SubjectRequest.objects.filter(kind=kind).exists()  # nothing yet
    shoot(browser, f"request-confirm-{kind}")
    click(browser, "main form button[type=submit]")
    assert "Het verzoek is geregistreerd." in main_text(browser)
    return SubjectRequest.objects.get(kind=kind)


def test_the_privacy_officer_from_request_to_export_and_erasure(browser):
    world = two_teams()
    opening = signal_break_glass_open(
        signal_id=world.signal.pk, actor=world.other_member, reason="Team A onbereikbaar."
    )
    officer = UserFactory(privacy_officer=True, full_name="Functionaris Fenna")
    log_in(browser, officer)
    driver = browser.driver
    shoot(browser, "access-log")

    # An access request: registered, exported (once confirmed), closed as done.
    access = register(browser, world, "access")
    shoot(browser, "request-access")
    click(browser, "main form[action$='/inzage/'] button[type=submit]")
    assert "Vink het vakje aan" in main_text(browser)
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
    driver.find_element(By.ID, "id_confirm").click()
    driver.find_element(By.CSS_SELECTOR, "main form[action$='/inzage/'] button").click()
    for _ in range(50):  # the download leaves the page as it is; the log shows the export
        if AccessLog.objects.filter(action=Action.EXPORT, actor_id=officer.pk).exists():
            break
        time.sleep(0.2)
    row = AccessLog.objects.get(action=Action.EXPORT, actor_id=officer.pk)
    assert row.details["subject_request_id"] == str(access.pk)
    browser.open(f"/werkruimte/privacy/verzoeken/{access.pk}/")
    form = "main form[action$='/afhandelen/']"
    driver.find_element(By.CSS_SELECTOR, f"{form} input[value=completed]").click()
    driver.find_element(By.CSS_SELECTOR, f"{form} input[name=confirm]").click()
    click(browser, f"{form} button[type=submit]")
    assert "Het verzoek is afgesloten." in main_text(browser)
    access.refresh_from_db()
    assert access.status == "completed"

    # An erasure request: nothing happens until the officer confirms.
    erasure = register(browser, world, "erasure", reason="Wil niet meer benaderd worden.")
    shoot(browser, "request-erasure")
    driver.find_element(By.CSS_SELECTOR, f"{form} input[value=carry_out]").click()
    click(browser, f"{form} button[type=submit]")
    assert "Vink het vakje aan" in main_text(browser)
    assert Signal.objects.get(pk=world.signal.pk).personal_data_erased_at is None
    driver.find_element(By.CSS_SELECTOR, f"{form} input[value=carry_out]").click()
    driver.find_element(By.CSS_SELECTOR, f"{form} input[name=confirm]").click()
    click(browser, f"{form} button[type=submit]")
    assert "Het verzoek is afgesloten." in main_text(browser)
    shoot(browser, "request-erasure-done")
    erasure.refresh_from_db()
    assert erasure.status == "completed"
    assert Signal.objects.get(pk=world.signal.pk).resident_first_name == ""
    browser.open("/werkruimte/privacy/verzoeken/")
    shoot(browser, "requests")

    # A break-glass opening reviewed with a note.
    browser.open("/werkruimte/privacy/noodinzage/")
    assert "Olga Ander" in main_text(browser)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "main a.button").click()
    WebDriverWait(driver, 10).until(staleness_of(old))
    shoot(browser, "break-glass-review")
    driver.find_element(By.ID, "id_note").send_keys("Terecht: team A was onbereikbaar.")
    driver.find_element(By.ID, "id_confirm").click()
    click(browser, "main form button[type=submit]")
    assert "gemarkeerd als beoordeeld" in main_text(browser)
    shoot(browser, "break-glass")
    review = BreakGlassReview.objects.get(access=opening)
    assert review.reviewed_by == officer

    # The access log in words, with the officer's own steps in it.
    browser.open("/werkruimte/privacy/toegangslog/")
    text = main_text(browser)
    assert "Functionaris Fenna" in text and "Verwijderd" in text
    shoot(browser, "access-log-after")
    browser.open("/werkruimte/privacy/registers/")
    shoot(browser, "registers")
