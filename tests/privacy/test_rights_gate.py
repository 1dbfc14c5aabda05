"""The rights gate: the privacy officer's Art. 15 export, erasure, restriction and lifting each
carry out an open registered request of the matching kind by that very resident. Without one
(missing, unknown, closed, another kind, another resident) the answer is a stable refusal and
nothing is read, changed or recorded; no request is made up on the way."""

import uuid

import pytest
from django.urls import reverse

from audit.models import AccessLog, Action
from backend.errors import DomainError
from privacy import subject_rights
from privacy.models import SubjectRequest
from signals.models import Status
from tests.privacy.rights import case, open_request

pytestmark = pytest.mark.django_db

# (endpoint, request kind it carries out)
ACTIONS = [
    ("export", "access"),
    ("erasure", "erasure"),
    ("restriction", "restriction"),
    ("restriction-lift", "restriction_lift"),
]
OTHER_KIND = {
    "access": "erasure",
    "erasure": "restriction",
    "restriction": "access",
    "restriction_lift": "restriction",
}


def call(client, name: str, subject_id, request_id):
    url = reverse(f"privacy-subject-{name}", kwargs={"subject_id": subject_id})
    params = {} if request_id is None else {"request": request_id}
    if name == "export":
        return client.get(url, params)
    return client.post(url, {"reason": "Verzoek van de bewoner", **params}, format="json")


def refused_request(c, kind: str, flaw: str) -> str | None:
    """A request id with `flaw`, for the case's resident and an action of `kind`."""
    subject_id = c.signal.subject_id
    if flaw == "missing":
        return None
    if flaw == "unknown":
        return str(uuid.uuid4())
    if flaw == "other_kind":
        return open_request(c.officer, subject_id, OTHER_KIND[kind])
    if flaw == "other_resident":
        other = case(state=Status.CLOSED, note=False, team_read=False)
        return open_request(c.officer, other.signal.subject_id, kind)
    request_id = open_request(c.officer, subject_id, kind)  # closed: refused earlier
    subject_rights.subject_request_close(
        actor=c.officer,
        subject_request_id=request_id,
        status=SubjectRequest.Status.REFUSED,
        outcome_note="Art. 12(5): kennelijk ongegrond",
    )
    return request_id


EXPECTED = {
    "missing": (400, "subject_request_required"),
    "unknown": (404, "subject_request_not_found"),
    "other_kind": (400, "subject_request_mismatch"),
    "other_resident": (400, "subject_request_mismatch"),
    "closed": (409, "subject_request_closed"),
}


def snapshot(c) -> dict:
    c.signal.refresh_from_db()
    return {
        "signal": (
            c.signal.resident_first_name,
            c.signal.status,
            c.signal.restricted_at,
            c.signal.personal_data_erased_at,
        ),
        "requests": sorted(SubjectRequest.objects.values_list("id", "status")),
        "log": sorted(
            AccessLog.objects.exclude(action=Action.ACCESS_DENIED).values_list("event_id")
        ),
    }


@pytest.mark.parametrize("flaw", list(EXPECTED))
@pytest.mark.parametrize(("name", "kind"), ACTIONS, ids=[name for name, _ in ACTIONS])
def test_a_rights_action_without_a_fitting_open_request_is_refused_and_changes_nothing(
    client_for, name, kind, flaw
):
    c = case(state=Status.ACKNOWLEDGED)
    if kind == "restriction_lift":  # something to lift, so a wrong lift would show
        subject_rights.subject_restrict(
            actor=c.officer,
            subject_id=c.signal.subject_id,
            reason="Juistheid betwist",
            subject_request_id=open_request(c.officer, c.signal.subject_id, "restriction"),
        )
    request_id = refused_request(c, kind, flaw)
    before = snapshot(c)

    response = call(client_for(c.officer), name, c.signal.subject_id, request_id)

    assert (response.status_code, response.json()["code"]) == EXPECTED[flaw]
    assert "Wilhelmina" not in response.content.decode()
    assert snapshot(c) == before  # no data changed, no request made or closed, no export row


@pytest.mark.parametrize(("name", "kind"), ACTIONS, ids=[name for name, _ in ACTIONS])
def test_the_refusal_names_the_kind_of_request_needed(client_for, name, kind):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    missing = call(client_for(c.officer), name, c.signal.subject_id, None).json()
    assert missing["details"] == {"kind": kind}
    wrong = open_request(c.officer, c.signal.subject_id, OTHER_KIND[kind])
    mismatch = call(client_for(c.officer), name, c.signal.subject_id, wrong).json()
    assert mismatch["details"] == {"kind": kind}


def test_an_unknown_subject_id_without_a_request_learns_nothing(client_for):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    unknown = uuid.uuid4()
    for name, _ in ACTIONS:
        response = call(client_for(c.officer), name, unknown, None)
        assert response.json()["code"] == "subject_request_required"


def test_an_unknown_request_id_is_logged_as_a_denial(client_for):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    call(client_for(c.officer), "export", c.signal.subject_id, str(uuid.uuid4()))
    denial = AccessLog.objects.get(action=Action.ACCESS_DENIED)
    assert denial.actor_id == c.officer.pk
    assert denial.details["reason"] == "subject_request_not_found"


@pytest.mark.parametrize(
    "service",
    [
        subject_rights.subject_erase,
        subject_rights.subject_restrict,
        subject_rights.subject_restriction_lift,
    ],
)
def test_the_services_refuse_without_a_request_whatever_calls_them(service):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    with pytest.raises(DomainError) as refused:
        service(
            actor=c.officer,
            subject_id=c.signal.subject_id,
            reason="Verzoek",
            subject_request_id=None,
        )
    assert refused.value.code == "subject_request_required"
    assert not SubjectRequest.objects.exists()


def test_an_export_leaves_its_access_request_open_until_closed_by_hand(client_for):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    client = client_for(c.officer)
    request_id = open_request(c.officer, c.signal.subject_id, "access")
    assert call(client, "export", c.signal.subject_id, request_id).status_code == 200
    assert call(client, "export", c.signal.subject_id, request_id).status_code == 200  # PDF too
    assert SubjectRequest.objects.get(pk=request_id).status == "open"

    close = reverse("privacy-request-close", kwargs={"request_id": request_id})
    closed = client.post(close, {"status": "completed", "outcome_note": "Per post"}, format="json")
    assert closed.status_code == 200
    again = call(client, "export", c.signal.subject_id, request_id)
    assert (again.status_code, again.json()["code"]) == (409, "subject_request_closed")
