"""A list call names its rows' residents in `details.subject_ids`; asking the access log about
one resident must find those list rows too (audit filter and the art. 15 access history)."""

import pytest

from accounts.models import TeamRole
from audit.models import Action
from privacy.rights_selectors import subject_export
from signals.models import Status
from tests.factories import UserFactory, member_of
from tests.privacy.rights import open_request
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db


def test_queue_list_rows_are_found_by_subject(client_for):
    team = team_with_coverage()
    worker = member_of(team, TeamRole.MEMBER)
    listed = make_signal(state=Status.ROUTED, worker=worker)
    other = make_signal(signaller=UserFactory(field_worker=True))  # never listed (not routed)
    assert client_for(worker).get("/api/v1/queue").status_code == 200

    officer = UserFactory(privacy_officer=True)
    rows = (
        client_for(officer)
        .get("/api/v1/audit/access-log", {"subject": str(listed.subject_id), "action": Action.LIST})
        .json()["results"]
    )
    assert [row["actor_id"] for row in rows] == [str(worker.pk)]
    nothing = (
        client_for(officer)
        .get("/api/v1/audit/access-log", {"subject": str(other.subject_id), "action": Action.LIST})
        .json()["results"]
    )
    assert nothing == []

    access_request = open_request(officer, listed.subject_id)
    history = subject_export(
        subject_id=listed.subject_id, subject_request_id=access_request
    ).access_history
    assert Action.LIST in {row.action for row in history}
