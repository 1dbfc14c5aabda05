"""Issue 19 item 2: the data-subject request services check their actor themselves, as the
signal services do, not only the DRF permission class in front of them: called directly
(a command, a page, a later front end) by anyone but a privacy officer, or with no actor or the
system, they refuse with 403 permission_denied and nothing is read, written or logged."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actors import SYSTEM
from audit.models import AccessLog
from backend.errors import DomainError
from privacy import subject_rights
from privacy.models import SubjectRequest
from signals.models import Status
from tests.factories import UserFactory
from tests.privacy.rights import case, open_request

pytestmark = pytest.mark.django_db

RESIDENT_TABLES = re.compile(r'"(privacy_subjectrequest|signals_signal)"')


def wrong_actors(c) -> dict:
    return {
        "team member": c.worker,
        "signaller": c.signaller,
        "admin": UserFactory(admin=True),
        "deactivated officer": UserFactory(privacy_officer=True, is_active=False),
        "none": None,
        "the system": SYSTEM,
    }


def refused(call) -> str:
    """The refusal's code, after checking that nothing was written and that neither a request
    nor a signal was read on the way (the check comes first)."""
    rows, requests = AccessLog.objects.count(), SubjectRequest.objects.count()
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as error:
        call()
    assert (AccessLog.objects.count(), SubjectRequest.objects.count()) == (rows, requests)
    read = [q["sql"] for q in queries if RESIDENT_TABLES.search(q["sql"])]
    assert read == []
    assert error.value.status == 403
    return error.value.code


def test_registering_a_request_needs_a_privacy_officer():
    c = case(note=False, team_read=False)
    for name, actor in wrong_actors(c).items():
        code = refused(
            lambda actor=actor: subject_rights.subject_request_register(
                actor=actor,
                kind=SubjectRequest.Kind.ACCESS,
                subject_id=c.signal.subject_id,
                received_at=timezone.now(),
                channel="letter",
            )
        )
        assert code == "permission_denied", name
    made = subject_rights.subject_request_register(
        actor=c.officer,
        kind=SubjectRequest.Kind.ACCESS,
        subject_id=c.signal.subject_id,
        received_at=timezone.now(),
        channel="letter",
    )
    assert made.registered_by == c.officer


def test_closing_a_request_needs_a_privacy_officer():
    c = case(note=False, team_read=False)
    request_id = open_request(c.officer, c.signal.subject_id)
    for name, actor in wrong_actors(c).items():
        code = refused(
            lambda actor=actor: subject_rights.subject_request_close(
                actor=actor,
                subject_request_id=request_id,
                status=SubjectRequest.Status.COMPLETED,
            )
        )
        assert code == "permission_denied", name
    assert SubjectRequest.objects.get(pk=request_id).status == SubjectRequest.Status.OPEN
    closed = subject_rights.subject_request_close(
        actor=c.officer, subject_request_id=request_id, status=SubjectRequest.Status.COMPLETED
    )
    assert (closed.status, closed.handled_by) == (SubjectRequest.Status.COMPLETED, c.officer)


@pytest.mark.parametrize(
    ("service", "kind"),
    [
        (subject_rights.subject_erase, SubjectRequest.Kind.ERASURE),
        (subject_rights.subject_restrict, SubjectRequest.Kind.RESTRICTION),
    ],
)
def test_a_rights_action_is_refused_before_the_gate_reads_anything(service, kind):
    c = case(state=Status.CLOSED, note=False, team_read=False)
    request_id = open_request(c.officer, c.signal.subject_id, kind)
    for name, actor in wrong_actors(c).items():
        code = refused(
            lambda actor=actor: service(
                actor=actor,
                subject_id=c.signal.subject_id,
                reason="Verzoek van de bewoner",
                subject_request_id=request_id,
            )
        )
        assert code == "permission_denied", name
    assert SubjectRequest.objects.get(pk=request_id).status == SubjectRequest.Status.OPEN
