"""Every workspace page passes axe-core's WCAG 2.0/2.1 A and AA rules and works at 390 px
(docs/adr/0038): each page as the role that uses it, in Dutch and in English, at 1280 px and at
390 px, where it must not scroll sideways. A route added to workspace/urls.py that this test
does not visit, and that is not in NOT_PAGES, fails it.

Failures are collected over the whole run and listed together (page, language, width, rule,
impact, targets, help); the browser fixture saves a screenshot of every page at 390 px when
the test fails."""

import contextlib
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import Resolver404, URLPattern, resolve
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import TeamRole
from accounts.services import team_membership_request
from audit.context import AccessContext
from initiatives.catalogue_import import import_catalogue
from initiatives.demo import DEMO_CATALOGUE
from privacy.subject_rights import subject_request_register
from signals.models import Consent, ConsentPurpose, ConsentText
from signals.services import signal_break_glass_open
from tests.accounts.helpers import fresh_code, totp_device
from tests.browser.axe import axe_source, axe_violations, horizontal_overflow
from tests.factories import PASSWORD, UserFactory
from tests.totals import report
from tests.workspace.helpers import two_teams
from workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (1280, 390)
HEIGHT = 900

# Routes that answer only POST (a form's action, then a redirect to a page that is visited):
# they have no page of their own to check.
NOT_PAGES = {
    # The organisation's sign-in: the login form's second form and the provider's way back,
    # which need the provider process; test_oidc_sign_in.py runs axe on the login page with
    # providers and on the provider-down page (docs/adr/0046).
    "login-oidc",
    "login-oidc-callback",
    "logout",  # the header's log-out button
    "language",  # django.views.i18n.set_language: the header's language switch
    "signal-transition",  # the status buttons on the signal page
    "signal-assign",  # the coordinator's assign form on the signal page
    "signal-forward",  # the forward form on the signal page
    "signal-note",  # the note form on the signal page
    "signal-referral-propose",  # the propose form on the initiatives page
    "signal-referral-step",  # a referral's next step on the initiatives page
    "membership-request-decide",  # approve / refuse on the coordination page
    "privacy-request-handle",  # the decision form on a subject request's page
    "privacy-request-export",  # the export form on an access request's page (a download)
}


def workspace_route_names() -> set[str]:
    return {p.name for p in workspace_urls.urlpatterns if isinstance(p, URLPattern) and p.name}


class Audit:
    """Runs axe-core on the page the browser shows, at each width, and remembers the route
    and every problem."""

    def __init__(self, browser, language: str) -> None:
        self.browser = browser
        self.driver = browser.driver
        self.language = language
        self.source = axe_source()
        self.visited: set[str] = set()
        self.problems: list[str] = []
        self.checks = 0  # pages x widths run through axe-core
        self.roles: set[str] = set()
        self.driver.set_script_timeout(60)

    def width(self, pixels: int) -> None:
        """A viewport `pixels` wide. Scrollbars are hidden, as a phone's overlay scrollbars
        take no room: otherwise the page is laid out 15 px narrower than innerWidth, and
        content cut off under the scrollbar would pass the check."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": pixels, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        self.driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})

    def check(self, label: str) -> None:
        driver = self.driver
        path = urlparse(driver.current_url).path
        # An address that does not exist has its 404 page checked, but it is no route.
        with contextlib.suppress(Resolver404):
            self.visited.add(resolve(path).url_name)
        where = f"{label} [{self.language}, {path}]"
        lang = driver.execute_script("return document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{where}: <html lang={lang!r}>, expected {self.language!r}")
        for pixels in WIDTHS:
            self.width(pixels)
            self.checks += 1
            for line in axe_violations(driver, self.source):
                self.problems.append(f"{where} at {pixels}px: {line}")
            if pixels < 1000:
                self.browser.snap(f"{self.language}-{label}-{pixels}")
                for line in horizontal_overflow(driver):
                    self.problems.append(f"{where} at {pixels}px: {line}")
        self.width(WIDTHS[0])

    def open(self, path: str, label: str) -> None:
        self.driver.get(self.browser.base_url + path)
        self.check(label)

    def press(self, css: str) -> None:
        """Clicks and waits until the next page has loaded, so that no later step acts on the
        old one. (Polling the old element for staleness raced: Chrome sometimes answers "node
        does not belong to the document" instead.)"""
        before = self.driver.execute_script("return performance.timeOrigin")
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.driver, 10, ignored_exceptions=(WebDriverException,)).until(
            lambda d: (
                d.execute_script(
                    "return document.readyState === 'complete' && performance.timeOrigin"
                )
                not in (False, before)
            )
        )


def switch_language(audit: Audit) -> None:
    """Through the header's switch (set_language), as a person would."""
    driver = audit.driver
    driver.get(audit.browser.base_url + "/werkruimte/inloggen/")
    Select(driver.find_element(By.ID, "language-choice")).select_by_value(audit.language)
    audit.press("header form[action$='/taal/'] button[type=submit]")


def password_step(audit: Audit, user, password: str = PASSWORD) -> None:
    driver = audit.driver
    driver.get(audit.browser.base_url + "/werkruimte/inloggen/")
    driver.find_element(By.ID, "id_email").send_keys(user.email)
    driver.find_element(By.ID, "id_password").send_keys(password)
    audit.press("main button[type=submit]")


def log_in(audit: Audit, user, *, check_code_page: bool = False) -> None:
    device = totp_device(user)
    password_step(audit, user)
    if check_code_page:
        audit.check("login code")
    audit.driver.find_element(By.ID, "id_code").send_keys(fresh_code(device))
    audit.press("main button[type=submit]")


def log_out(audit: Audit) -> None:
    audit.press("header form[action$='/uitloggen/'] button[type=submit]")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_workspace_page_passes_axe_at_1280_and_390_px(browser, language):
    world = two_teams()
    team_membership_request(
        team=world.a,
        user=UserFactory(full_name="Nina Nieuw"),
        role=TeamRole.MEMBER,
        actor=UserFactory(admin=True),
        context=AccessContext.system(role="test"),
    )
    # A consent that gives less than was ticked, for the consent-gaps page to list.
    Consent.objects.filter(signal=world.foreign).update(
        consent_text=ConsentText.objects.get(version="2026-1", language="nl"),
        purposes={purpose.value: True for purpose in ConsentPurpose},
        unresolved_recipients=["Straße"],
    )
    # The demo catalogue: its citywide initiatives are suggested, with why in words.
    with DEMO_CATALOGUE.open(encoding="utf-8", newline="") as stream:
        import_catalogue(stream)
    audit = Audit(browser, language)
    switch_language(audit)
    signal = f"/werkruimte/signalen/{world.signal.pk}/"

    # Anonymous: the login page, a wrong password, the lockout page, an unknown address.
    audit.open("/werkruimte/inloggen/", "login")
    stranger = UserFactory()
    password_step(audit, stranger, "wrong")
    audit.check("login refused")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(audit, stranger, "wrong")
    assert audit.driver.find_element(By.TAG_NAME, "h1").text  # the lockout page, in words
    audit.check("lockout")
    audit.open("/werkruimte/bestaat-niet/", "unknown address (404)")

    # Someone without a second factor yet: the enrolment page.
    password_step(audit, UserFactory())
    audit.check("login enrol")

    # A team member: the code step, the queue, a signal and its pages, refusals, settings.
    log_in(audit, world.member, check_code_page=True)
    audit.check("queue (member)")
    audit.open(signal, "signal (member)")
    audit.open(signal + "initiatieven/", "initiatives")
    assert audit.driver.find_elements(By.CSS_SELECTOR, "#suggestions-title ~ article")
    audit.open(signal + "toestemming-intrekken/", "withdraw confirmation")
    audit.press("main button[type=submit].danger")  # no reason given: the form refused, 400
    audit.check("withdraw refused (400)")
    audit.open(f"/werkruimte/signalen/{world.foreign.pk}/", "another team's signal (404)")
    audit.open("/werkruimte/privacy/toegangslog/", "no access (403)")
    audit.open("/werkruimte/noodinzage/", "break-glass")
    audit.open("/werkruimte/instellingen/", "settings")
    log_out(audit)

    # A field worker has neither the queue nor the access log: the start page.
    log_in(audit, UserFactory(field_worker=True))
    audit.open("/werkruimte/", "home (field worker)")
    audit.open("/werkruimte/instellingen/", "settings (field worker)")
    log_out(audit)

    # An admin works in /admin/; in the workspace: the start page, settings, and refusals.
    log_in(audit, UserFactory(admin=True))
    audit.open("/werkruimte/", "home (admin)")
    audit.open("/werkruimte/instellingen/", "settings (admin)")
    audit.open("/werkruimte/wachtrij/", "queue refused (admin)")
    log_out(audit)

    # A coordinator: the coordination page with a team role to approve, the signal's forms.
    log_in(audit, world.coordinator)
    audit.open("/werkruimte/coordinatie/", "coordination")
    audit.open(signal, "signal (coordinator)")
    log_out(audit)

    # The privacy officer.
    officer = UserFactory(privacy_officer=True)
    erasure = subject_request_register(
        actor=officer,
        kind="erasure",
        subject_id=world.signal.subject_id,
        received_at=timezone.now(),
        channel="letter",
        reason="Wil niet meer benaderd worden.",
    )
    opening = signal_break_glass_open(
        signal_id=world.signal.pk, actor=world.other_member, reason="Team A onbereikbaar."
    )
    log_in(audit, officer)
    audit.open("/werkruimte/privacy/toegangslog/", "access log")
    audit.open("/werkruimte/privacy/noodinzage/", "break-glass review")
    audit.open(f"/werkruimte/privacy/noodinzage/{opening.pk}/beoordelen/", "review an opening")
    audit.press("main form button[type=submit]")  # no finding, not confirmed: refused, 400
    audit.check("review refused (400)")
    audit.open("/werkruimte/privacy/verzoeken/", "subject requests")
    audit.open("/werkruimte/privacy/verzoeken/nieuw/", "register a request")
    audit.driver.find_element(By.ID, "id_subject_id").send_keys(str(world.signal.subject_id))
    audit.press("main form button[type=submit]")
    audit.check("register a request: confirm")
    audit.open(f"/werkruimte/privacy/verzoeken/{erasure.pk}/", "an erasure request")
    audit.press("main form[action$='/afhandelen/'] button[type=submit]")  # not confirmed: 400
    audit.check("erasure not confirmed (400)")
    audit.open("/werkruimte/privacy/registers/", "registers")
    audit.open("/werkruimte/privacy/toestemmingen/", "consent gaps")
    audit.open("/werkruimte/privacy/betrokkene/", "subject lookup")
    audit.driver.find_element(By.ID, "id_signal").send_keys(str(world.signal.pk))
    audit.press("main button[type=submit]")
    audit.check("subject lookup (found)")
    log_out(audit)

    report(
        f"axe-core [{language}]: {audit.checks} page checks (pages x widths), "
        f"{len(audit.visited)} routes, roles: anonymous, member, field worker, admin, "
        f"coordinator, privacy officer; {len(audit.problems)} problems"
    )
    unvisited = workspace_route_names() - NOT_PAGES - audit.visited
    assert not unvisited, (
        f"workspace routes this test does not visit: {sorted(unvisited)}; visit each new page "
        "as its role in test_accessibility.py, or add a POST-only route to NOT_PAGES"
    )
    assert not audit.problems, "accessibility problems:\n" + "\n".join(audit.problems)


def test_the_list_of_post_only_routes_names_only_routes_that_exist():
    missing = NOT_PAGES - workspace_route_names()
    assert not missing, missing


def test_axe_reports_a_violation(browser):
    """The check can fail: an image without a text alternative and an unlabelled field."""
    browser.open("/werkruimte/inloggen/")
    browser.driver.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/none.png"><input type="text">\')'
    )
    found = axe_violations(browser.driver, axe_source())
    assert any(line.startswith("image-alt (critical)") for line in found), found
    assert any(line.startswith("label (critical)") for line in found), found
