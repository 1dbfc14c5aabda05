"""The privacy officer's whole job at the desk (issue 20, docs/adr/0048): the access log in
words, paged through every row; requests registered, carried out and closed only after a
confirmation; the export handed out; break-glass openings reviewed with a note. Every write
is the API's service and leaves its access-log row; without the confirmation nothing
changes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from audit.context import AccessContext, actor_roles
from audit.models import AccessLog, Action, Purpose
from audit.services import access_log_record
from privacy.models import BreakGlassReview, SubjectRequest
from privacy.subject_rights import subject_request_register
from signals.models import Signal
from signals.services import signal_break_glass_open
from tests.factories import UserFactory
from tests.workspace.helpers import two_teams, workspace_login

pytestmark = pytest.mark.django_db

LOG = "/werkruimte/privacy/toegangslog/"
REQUESTS = "/werkruimte/privacy/verzoeken/"
NEW = REQUESTS + "nieuw/"


@pytest.fixture
def world():
    return two_teams()


def _officer_client(language: str = "nl"):
    officer = UserFactory(privacy_officer=True, full_name="Functionaris Fenna")
    return officer, workspace_login(Client(HTTP_ACCEPT_LANGUAGE=language), officer)


def _reads(world, n: int) -> None:
    context = AccessContext(
        actor_id=world.member.pk,
        actor_roles=actor_roles(world.member),
        actor_organisation_id=world.member.organisation_id,
    )
    for _ in range(n):
        access_log_record(
            context=context,
            action=Action.READ,
            purpose=Purpose.SIGNAL_HANDLING,
            subject_id=world.signal.subject_id,
            object_type="signals.signal",
            object_id=world.signal.pk,
        )


# --- the access log --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Ingezien", "Opvolgen van een signaal", "Gelukt"]),
        ("en", ["Viewed", "Following up a signal", "Succeeded"]),
    ],
)
def test_the_access_log_speaks_words_and_names(world, language, words):
    _reads(world, 1)
    _officer, client = _officer_client(language)
    page = client.get(LOG, {"subject": str(world.signal.subject_id)}).content.decode()
    for word in words:
        assert word in page
    assert "Mila Lid" in page  # the actor by name
    assert str(world.member.pk) not in page.replace(f"?actor={world.member.pk}", "")
    assert "signal_handling" not in page and ">read<" not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nl",
            "e-mailadres, notities van het buurtteam, reden van het intrekken van de toestemming, "
            "reden van de noodinzage, antwoorden op de vragen over verbinding, voorkeurstaal, "
            "an_older_name",
        ),
        (
            "en",
            "e-mail address, neighbourhood team notes, reason for withdrawing consent, reason for "
            "the break-glass opening, answers to the questions on connection, preferred language, "
            "an_older_name",
        ),
    ],
)
def test_the_access_log_names_the_fields_in_words(world, language, words):
    """The Data column: each field the row names by its one declared label (issue 20); a name
    no app declares (an older row's) as recorded."""
    recorded = [
        "contact_email",
        "notes.body",
        "withdrawal_reason",
        "break_glass_reason",
        "measurements.answers",
        "preferred_language",
        "an_older_name",
    ]
    access_log_record(
        context=AccessContext(actor_id=world.member.pk, actor_roles=actor_roles(world.member)),
        action=Action.READ,
        purpose=Purpose.SIGNAL_HANDLING,
        subject_id=world.signal.subject_id,
        object_type="signals.signal",
        object_id=world.signal.pk,
        fields_touched=recorded,
    )
    _officer, client = _officer_client(language)
    page = client.get(LOG, {"subject": str(world.signal.subject_id)}).content.decode()
    cells = [cell for cell in page.split("<td>") if "an_older_name" in cell]
    assert len(cells) == 1, cells
    for word in words.split(", "):
        assert word in cells[0], (word, cells[0])
    for code in recorded[:-1]:
        assert code not in page, code


def test_paging_reaches_every_row_not_only_the_newest_hundred(world):
    _reads(world, 130)
    _officer, client = _officer_client()
    query = {"subject": str(world.signal.subject_id), "action": "read"}
    first = client.get(LOG, query)
    rows = first.context["rows"]
    assert len(rows) == 100 and first.context["next_url"]
    second = client.get(LOG + first.context["next_url"])
    older = second.context["rows"]
    assert len(older) == 30 and second.context["next_url"] is None
    seen = {r.event_id for r in rows} | {r.event_id for r in older}
    assert len(seen) == 130
    assert max(r.occurred_at for r in older) <= min(r.occurred_at for r in rows)
    reads = AccessLog.objects.filter(action=Action.AUDIT_READ, details__format="workspace")
    assert reads.count() == 2  # each page read is logged


def test_the_period_is_chosen_in_local_days_and_a_bad_cursor_is_refused(world):
    _reads(world, 2)
    _officer, client = _officer_client()
    today = timezone.localdate()
    query = {"action": "read", "date_from": str(today), "date_to": str(today)}
    assert len(client.get(LOG, query).context["rows"]) == 2
    yesterday = str(today - timedelta(days=1))
    assert client.get(LOG, {"action": "read", "date_to": yesterday}).context["rows"] == []
    bad = client.get(LOG, {"after": "nonsense"})
    assert bad.context["rows"] == [] and "Deze paginalink is ongeldig." in bad.content.decode()
    assert 'type="date"' in client.get(LOG).content.decode()


# --- requests ----------------------------------------------------------------------------------


def _register_form(world, **extra):
    return {
        "kind": "erasure",
        "subject_id": str(world.signal.subject_id),
        "received_on": str(timezone.localdate()),
        "channel": "letter",
        "reason": "Wil niet meer benaderd worden.",
        **extra,
    }


def test_registering_asks_for_confirmation_first(world):
    officer, client = _officer_client()
    summary = client.post(NEW, _register_form(world))
    assert summary.status_code == 200
    assert "Wissen (art. 17)" in summary.content.decode()
    assert not SubjectRequest.objects.exists()
    done = client.post(NEW, _register_form(world, confirm="True"))
    request = SubjectRequest.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"{request.pk}/")
    assert request.registered_by == officer and request.kind == "erasure"
    assert AccessLog.objects.filter(
        action=Action.CREATE, object_type="privacy.subjectrequest", actor_id=officer.pk
    ).exists()


def test_an_unknown_subject_is_a_message_and_nothing_is_registered(world):
    import uuid

    _officer, client = _officer_client("en")
    response = client.post(NEW, _register_form(world, subject_id=str(uuid.uuid4()), confirm="True"))
    assert response.status_code == 400
    assert "No data is known for this subject id." in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_erasure_happens_only_when_confirmed(world):
    officer, client = _officer_client()
    request = subject_request_register(
        actor=officer,
        kind="erasure",
        subject_id=world.signal.subject_id,
        received_at=timezone.now(),
        channel="letter",
        reason="Wil niet meer benaderd worden.",
    )
    handle = f"{REQUESTS}{request.pk}/afhandelen/"
    page = client.get(f"{REQUESTS}{request.pk}/").content.decode()
    assert "Wissen kan niet ongedaan worden gemaakt." in page
    unconfirmed = client.post(handle, {"decision": "carry_out"})
    assert unconfirmed.status_code == 400
    assert "Vink het vakje aan" in unconfirmed.content.decode()
    world.signal.refresh_from_db()
    assert world.signal.personal_data_erased_at is None
    confirmed = client.post(handle, {"decision": "carry_out", "confirm": "on"})
    assert confirmed.status_code == 302
    request.refresh_from_db()
    assert request.status == "completed" and request.handled_by == officer
    signal = Signal.objects.get(pk=world.signal.pk)
    assert signal.resident_first_name == ""
    assert AccessLog.objects.filter(action=Action.DELETE, subject_id=signal.subject_id).exists()


def test_an_access_request_is_exported_then_closed(world):
    officer, client = _officer_client("en")
    request = subject_request_register(
        actor=officer,
        kind="access",
        subject_id=world.signal.subject_id,
        received_at=timezone.now(),
        channel="email",
    )
    export = f"{REQUESTS}{request.pk}/inzage/"
    assert client.post(export, {"format": "pdf"}).status_code == 400
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
    pdf = client.post(export, {"format": "pdf", "confirm": "on"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    data = client.post(export, {"format": "json", "confirm": "on"})
    body = data.json()
    assert body["language"] == "nl"  # the resident's, not the English officer's
    assert AccessLog.objects.filter(action=Action.EXPORT, actor_id=officer.pk).count() == 2
    closed = client.post(
        f"{REQUESTS}{request.pk}/afhandelen/", {"decision": "completed", "confirm": "on"}
    )
    assert closed.status_code == 302
    request.refresh_from_db()
    assert request.status == "completed"
    again = client.post(export, {"format": "json", "confirm": "on"}, follow=True)
    assert "This request has already been closed." in again.content.decode()


def test_a_refusal_needs_its_reasons(world):
    officer, client = _officer_client("en")
    request = subject_request_register(
        actor=officer,
        kind="access",
        subject_id=world.signal.subject_id,
        received_at=timezone.now(),
        channel="email",
    )
    handle = f"{REQUESTS}{request.pk}/afhandelen/"
    refused = client.post(handle, {"decision": "refused", "confirm": "on"}, follow=True)
    assert "Explain why the request is refused." in refused.content.decode()
    request.refresh_from_db()
    assert request.status == "open"


# --- break-glass review ------------------------------------------------------------------------


def test_a_break_glass_opening_is_reviewed_once_with_a_note(world):
    opening = signal_break_glass_open(
        signal_id=world.signal.pk, actor=world.other_member, reason="Team A onbereikbaar."
    )
    officer, client = _officer_client()
    listing = client.get("/werkruimte/privacy/noodinzage/").content.decode()
    assert "Olga Ander" in listing and "Team A onbereikbaar." in listing
    url = f"/werkruimte/privacy/noodinzage/{opening.pk}/beoordelen/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "Terecht."}).status_code == 400
    assert not BreakGlassReview.objects.exists()
    assert client.post(url, {"note": "Terecht.", "confirm": "on"}).status_code == 302
    review = BreakGlassReview.objects.get()
    assert review.note == "Terecht." and review.reviewed_by == officer
    row = AccessLog.objects.get(object_type="privacy.breakglassreview")
    assert row.subject_id == world.signal.subject_id and row.action == Action.CREATE
    twice = client.post(url, {"note": "Nog eens.", "confirm": "on"}, follow=True)
    assert "Deze noodinzage is al beoordeeld." in twice.content.decode()
    assert BreakGlassReview.objects.count() == 1
    assert (
        "Beoordeeld door Functionaris Fenna"
        in client.get("/werkruimte/privacy/noodinzage/").content.decode()
    )


def test_a_team_member_cannot_review(world):
    opening = signal_break_glass_open(
        signal_id=world.signal.pk, actor=world.other_member, reason="Team A onbereikbaar."
    )
    client = workspace_login(Client(), world.member)
    url = f"/werkruimte/privacy/noodinzage/{opening.pk}/beoordelen/"
    assert client.post(url, {"note": "x", "confirm": "on"}).status_code == 403
    assert not BreakGlassReview.objects.exists()


def test_the_registers_page_has_no_python_values(world):
    _officer, client = _officer_client("en")
    page = client.get("/werkruimte/privacy/registers/").content.decode()
    assert "Lawful basis per processing activity" in page and "Security measures" in page
    assert "{'" not in page and "True" not in page and "<pre" not in page
