"""One cursor pagination for every list (backend.pagination, docs/adr/0017): a cursor whose
position does not parse for the ordering field, or that does not decode at all, is a 400
`invalid_cursor` on every list; before, a forged date reached the database as a 500."""

import base64

import pytest
from django.urls import URLPattern
from django.utils import timezone

from backend.pagination import CursorPage
from privacy import subject_rights
from signals import services
from signals.models import Consent, Status
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.initiatives.factories import make_initiative
from tests.security.matrix import api_patterns
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

NOT_A_DATE = "cD1ub3QtYS1kYXRl"  # base64 of "p=not-a-date", from the issue


def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.fixture
def callers():
    """Two rows in every list, so each has a second page."""
    member = member_of(team_with_coverage())
    outsider = member_of(team_with_coverage("Buurtteam Overvecht", "3561AA"))
    officer = UserFactory(privacy_officer=True)
    signals = [make_signal(state=Status.ROUTED) for _ in range(2)]
    for signal in signals:
        services.signal_break_glass_open(
            signal_id=signal.pk, actor=outsider, reason="De bewoner belde ons team hierover."
        )
        subject_rights.subject_request_register(
            actor=officer,
            kind="access",
            subject_id=signal.subject_id,
            received_at=timezone.now(),
            channel="letter",
        )
    for signal in signals:  # recipients that matched no catalogue entry: two consent gaps
        Consent.objects.filter(signal=signal).update(unresolved_recipients=["Straße"])
    for _ in range(2):
        make_initiative()
    return {"member": token_client(member), "officer": token_client(officer)}


# Every cursor-paginated list, and who may read it.
LISTS = [
    ("/api/v1/queue", "member"),
    ("/api/v1/audit/break-glass", "officer"),
    ("/api/v1/audit/access-log", "officer"),
    ("/api/v1/privacy/requests", "officer"),
    ("/api/v1/privacy/consent-register", "officer"),
    ("/api/v1/privacy/consent-gaps", "officer"),
]
# Lists ordered by a text field first (the catalogue, by name): any text is a position there,
# so only what cannot be one (no base64, a NUL, a bad offset or direction) is refused, and the
# rest is answered, never a 500.
TEXT_ORDERED = [("/api/v1/initiatives", "member")]
FORGED = [
    NOT_A_DATE,
    cursor("p=0001-01-01 00:00:00"),  # naive: made aware in Amsterdam it overflows
    cursor("p=99999999999999999999999"),  # past any integer column
    cursor("p=2026-01-01 00:00:00+00:00\x00"),
    cursor("o=-1"),
    cursor("r=maybe"),
    "not base64 at all!",
    "%%%",  # issue 18: lenient base64 dropped it all and answered the first page
    cursor("x=1"),  # decodes, but names nothing a cursor holds
]


def test_the_lists_under_test_are_all_the_paginated_lists():
    paginated = {
        "/" + route
        for route, pattern in api_patterns()
        if getattr(pattern.callback.view_class, "pagination_class", None)
    }
    assert paginated == {path for path, _ in LISTS + TEXT_ORDERED}


@pytest.mark.parametrize(("path", "caller"), LISTS)
@pytest.mark.parametrize("forged", FORGED)
def test_a_tampered_cursor_is_a_400_invalid_cursor_on_every_list(callers, path, caller, forged):
    response = callers[caller].get(path, {"cursor": forged})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_cursor"
    assert response.json()["message"].startswith("De cursor voor deze lijst is ongeldig")


@pytest.mark.parametrize(("path", "caller"), TEXT_ORDERED)
@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_cursor_on_a_text_ordered_list_is_refused_or_harmless(
    callers, path, caller, forged
):
    response = callers[caller].get(path, {"cursor": forged})
    text_position = forged in (NOT_A_DATE, cursor("p=0001-01-01 00:00:00")) or forged == cursor(
        "p=99999999999999999999999"
    )
    if text_position:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(("path", "caller"), LISTS + TEXT_ORDERED)
def test_a_cursor_the_api_handed_out_still_works(callers, path, caller):
    client = callers[caller]
    first = client.get(path, {"page_size": 1})
    assert first.status_code == 200, first.content
    next_link = first.json()["next"]
    second = client.get(next_link)
    assert second.status_code == 200, second.content
    assert second.json()["results"] and second.json()["results"] != first.json()["results"]


@pytest.mark.parametrize("size", ["0", "-3", "many"])
def test_a_page_size_that_is_not_a_positive_number_is_a_400(callers, size):
    response = callers["member"].get("/api/v1/queue", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()["details"]["fields"]


def test_every_paginated_view_uses_the_project_cursor_page():
    patterns: list[URLPattern] = [pattern for _, pattern in api_patterns()]
    for pattern in patterns:
        pagination = getattr(pattern.callback.view_class, "pagination_class", None)
        if pagination is not None:
            assert issubclass(pagination, CursorPage), pattern.callback.view_class
