"""The workspace in a real browser (issue 13): log in with a TOTP code, work a new signal
from acknowledgement to closing and see each step in the timeline, another team's signal is
404; a coordinator assigns and forwards, and approves a requested team role (issue 18); the
privacy officer filters the access log; a member confirms a withdrawal and must give a reason
(issue 18)."""

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accounts.models import TeamMembership, TeamRole
from accounts.services import team_membership_request
from audit.context import AccessContext
from audit.models import AccessLog, Action
from signals.models import Status
from tests.accounts.helpers import fresh_code, totp_device
from tests.factories import PASSWORD, UserFactory
from tests.workspace.helpers import two_teams, workspace_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(browser, user) -> None:
    device = totp_device(user)
    browser.open("/werkruimte/inloggen/")
    driver = browser.driver
    driver.find_element(By.ID, "id_email").send_keys(user.email)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    browser.snap("code step")
    driver.find_element(By.ID, "id_code").send_keys(fresh_code(device))
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    browser.snap("after login")


def press(browser, label: str) -> None:
    """Clicks the button with this text in the main content, then remembers the page."""
    browser.driver.find_element(By.XPATH, f"//main//button[normalize-space()='{label}']").click()
    browser.snap(label)


def main_text(browser) -> str:
    return browser.driver.find_element(By.TAG_NAME, "main").text


def test_a_member_works_a_new_signal_from_the_queue_to_closed(browser):
    world = two_teams()
    log_in(browser, world.member)
    assert "Wachtrij" in browser.driver.title
    row = browser.driver.find_element(By.CSS_SELECTOR, "table.queue tbody tr.new")
    assert "nieuw" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    browser.snap("signal")
    assert "Wilhelmina" in main_text(browser)

    press(browser, "Opgepakt")
    assert "Status gewijzigd in: Opgepakt" in main_text(browser)
    press(browser, "Contact gelegd")
    browser.driver.find_element(By.ID, "note-body").send_keys("Gebeld; ze belt haar zus weer.")
    press(browser, "Notitie toevoegen")
    Select(browser.driver.find_element(By.ID, "outcome-closed")).select_by_value(
        "connected_to_informal_network"  # "to an initiative" needs a referral's first meeting
    )
    press(browser, "Afgesloten")

    timeline = browser.driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for step in ("Opgepakt", "Contact gelegd", "Notitie toegevoegd", "Afgesloten"):
        assert step in timeline, step
    assert "Verbonden met eigen netwerk" in timeline
    assert "Gebeld; ze belt haar zus weer." in main_text(browser)
    world.signal.refresh_from_db()
    assert world.signal.status == Status.CLOSED

    browser.open(f"/werkruimte/signalen/{world.foreign.pk}/")
    assert "Niet gevonden" in main_text(browser)
    assert world.foreign.resident_first_name not in browser.driver.page_source


def test_a_coordinator_assigns_to_a_member_and_forwards(browser):
    world = two_teams()
    log_in(browser, world.coordinator)
    browser.open(f"/werkruimte/signalen/{world.signal.pk}/")
    Select(browser.driver.find_element(By.ID, "assignee")).select_by_value(str(world.member.pk))
    press(browser, "Toewijzen")
    assert "Het signaal is toegewezen." in main_text(browser)
    world.signal.refresh_from_db()
    assert world.signal.assigned_to == world.member

    Select(browser.driver.find_element(By.ID, "forward-team")).select_by_visible_text(world.b.name)
    browser.driver.find_element(By.ID, "forward-reason").send_keys("Woont eigenlijk in Zuid.")
    press(browser, "Doorsturen")
    assert "Het signaal is doorgestuurd." in main_text(browser)
    world.signal.refresh_from_db()
    assert world.signal.team_id == world.b.pk or world.signal.forward_to_team_id == world.b.pk


def test_the_privacy_officer_filters_the_access_log(browser):
    world = two_teams()
    reader = workspace_login(Client(), world.member)
    assert reader.get(f"/werkruimte/signalen/{world.signal.pk}/").status_code == 200
    officer = UserFactory(privacy_officer=True)
    log_in(browser, officer)
    assert "Toegangslog" in browser.driver.title
    field = browser.driver.find_element(By.ID, "id_subject")
    field.send_keys(str(world.signal.subject_id))
    press(browser, "Filteren")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "table.log tbody tr")
    assert rows, "no rows about the subject"
    # the subject id is shown shortened; the names and words around it are what is read
    assert all(str(world.signal.subject_id)[:8] in row.text for row in rows)
    audit = AccessLog.objects.filter(action=Action.AUDIT_READ, actor_id=officer.pk)
    assert audit.filter(subject_id=world.signal.subject_id).exists()


def test_a_coordinator_approves_a_requested_team_role(browser):
    """Issue 18 item 5: the role an admin requested reaches nothing until the coordinator
    approves it on the coordination page."""
    world = two_teams()
    newcomer = UserFactory(full_name="Nina Nieuw")
    team_membership_request(
        team=world.a,
        user=newcomer,
        role=TeamRole.MEMBER,
        actor=UserFactory(admin=True),
        context=AccessContext.system(role="test"),
    )
    log_in(browser, world.coordinator)
    browser.open("/werkruimte/coordinatie/")
    assert "Teamrollen die op jouw goedkeuring wachten" in main_text(browser)
    assert not TeamMembership.objects.filter(user=newcomer).exists()
    press(browser, "Goedkeuren Nina Nieuw")
    assert "Goedgekeurd: de teamrol gaat nu in." in main_text(browser)
    assert TeamMembership.objects.get(user=newcomer).team_id == world.a.pk


def test_a_member_confirms_a_withdrawal_and_must_give_a_reason(browser):
    world = two_teams()
    log_in(browser, world.member)
    browser.open(f"/werkruimte/signalen/{world.signal.pk}/")
    browser.driver.find_element(
        By.LINK_TEXT, "Toestemming intrekken en persoonsgegevens wissen…"
    ).click()
    browser.snap("confirmation")
    text = main_text(browser)
    assert "Dit kan niet ongedaan worden gemaakt." in text
    assert "Geen initiatief heeft de contactgegevens gekregen." in text

    press(browser, "Toestemming intrekken en persoonsgegevens wissen")
    assert "Zeg hoe de intrekking je bereikte; er is niets gewist." in main_text(browser)
    world.signal.refresh_from_db()
    assert world.signal.personal_data_erased_at is None

    browser.driver.find_element(By.ID, "id_reason").send_keys("Belde zelf.")
    press(browser, "Toestemming intrekken en persoonsgegevens wissen")
    assert "De toestemming is ingetrokken; de persoonsgegevens zijn gewist." in main_text(browser)
    world.signal.refresh_from_db()
    assert world.signal.status == Status.WITHDRAWN
    assert world.signal.personal_data_erased_at is not None
