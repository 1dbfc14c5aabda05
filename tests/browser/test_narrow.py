"""The queue and the signal page at 390 px (issue 20, docs/adr/0049): the page does not scroll
sideways (document scrollWidth <= 390) and no element sticks out of its card: a queue row is a
card of its own at this width, and the resident's phone, e-mail and observation wrap inside
theirs, however long."""

import pytest
from selenium.webdriver.common.by import By

from signals.models import Status
from tests.browser.test_accessibility import Audit, log_in, switch_language
from tests.signals.factories import make_signal
from tests.workspace.helpers import two_teams

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_EMAIL = "wilhelmina.van.der.zandt-oosterbroek.bewonerscommissie@voorbeeld-woonstichting.test"
LONG_OBSERVATION = (
    "Zit vaak alleen op het bankje bij de flat; zei dat haar dochter in het buitenland woont. "
    "Zie ook https://voorbeeld.test/een/heel/lang/pad/zonder/spaties/dat/niet/op/een/regel/past"
)

# Every element in a card, or a queue row, whose box ends outside that card's box.
STICKING_OUT = """
const cards = Array.from(document.querySelectorAll("main .card, main table.queue tbody tr"));
const out = [];
for (const card of cards) {
  const box = card.getBoundingClientRect();
  for (const e of card.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (getComputedStyle(e).position === "absolute") continue;  // visually hidden texts
    if (r.right > box.right + 1 || r.left < box.left - 1) {
      out.push(e.tagName.toLowerCase() + " '" + (e.textContent || "").trim().slice(0, 40)
        + "' right=" + Math.round(r.right) + " > card right=" + Math.round(box.right));
    }
  }
}
return out.slice(0, 10);
"""


def measure(audit: Audit) -> list[str]:
    audit.width(390)
    driver = audit.driver
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    problems = [f"document scrollWidth {scroll} > 390"] if scroll > 390 else []
    return problems + driver.execute_script(STICKING_OUT)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_queue_and_a_signal_fit_a_390_px_phone(browser, language):
    world = two_teams()
    long_one = make_signal(
        state=Status.ROUTED,
        phone="+31 6 12345678 (alleen 's middags, anders via de buurvrouw op nummer 5)",
        email=LONG_EMAIL,
        observation=LONG_OBSERVATION,
    )
    audit = Audit(browser, language)
    switch_language(audit)
    log_in(audit, world.member)
    audit.open("/werkruimte/wachtrij/", "queue")
    problems = [f"queue: {line}" for line in measure(audit)]
    rows = audit.driver.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")
    assert len(rows) >= 2
    assert all(row.size["width"] <= 390 for row in rows), [row.size for row in rows]
    audit.open(f"/werkruimte/signalen/{long_one.pk}/", "signal")
    assert LONG_EMAIL in audit.driver.find_element(By.TAG_NAME, "main").text
    problems += [f"signal: {line}" for line in measure(audit)]
    browser.snap(f"{language}-signal-390")
    assert not problems, "\n".join(problems)
