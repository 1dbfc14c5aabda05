"""The resident's own overview of who looked (NEN 7513, docs/adr/0048): one line per look, not
one per poll of the app; a period to choose; in words."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from audit.context import AccessContext, actor_roles
from audit.models import AccessLog, Action, Purpose
from audit.services import access_log_record
from privacy.rights_selectors import LOOK_GAP, looks_of
from tests.privacy.rights import case, export, export_url, requested

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _read(c, at: datetime, *, action: str = Action.READ) -> None:
    with time_machine.travel(at, tick=False):
        access_log_record(
            context=AccessContext(
                actor_id=c.worker.pk,
                actor_roles=actor_roles(c.worker),
                actor_organisation_id=c.worker.organisation_id,
            ),
            action=action,
            purpose=Purpose.SIGNAL_HANDLING,
            subject_id=c.signal.subject_id,
            object_type="signals.signal",
            object_id=c.signal.pk,
        )


def _worker_looks(body):
    """The looks this test made (in November 2026): the set-up's services log now (ADR 41)."""
    return [
        x
        for x in body["looks"]
        if x["purpose"] == Purpose.SIGNAL_HANDLING and x["first_at"] < "2026-11-03"
    ]


def test_polls_of_the_app_are_one_look_and_a_pause_starts_another(client_for):
    c = case(team_read=False, note=False)
    for second in range(0, 600, 2):  # ten minutes of the app polling every two seconds
        _read(c, START + timedelta(seconds=second))
    _read(c, START + timedelta(minutes=40))  # back after a pause longer than LOOK_GAP
    body = export(client_for(c.officer), c).json()
    looks = _worker_looks(body)
    assert [look["count"] for look in looks] == [300, 1]
    assert looks[0]["first_at"] == "2026-11-02T10:00:00+01:00"
    assert looks[0]["last_at"] == "2026-11-02T10:09:58+01:00"
    assert looks[0]["action_text"] == "Ingezien"
    reads = [
        r
        for r in body["access_history"]
        if r["purpose"] == Purpose.SIGNAL_HANDLING and r["occurred_at"] < "2026-11-03"
    ]
    assert len(reads) == 301


def test_a_change_is_never_folded_into_a_look():
    rows = [
        AccessLog(
            occurred_at=START + timedelta(minutes=m),
            action=action,
            outcome="success",
            purpose=Purpose.SIGNAL_HANDLING,
            actor_id=None,
            object_type="signals.signal",
            object_id="x",
        )
        for m, action in [(0, Action.UPDATE), (1, Action.UPDATE), (2, Action.READ)]
    ]
    assert [look.count for look in looks_of(rows)] == [1, 1, 1]
    assert timedelta(minutes=15) == LOOK_GAP


def test_the_period_limits_who_looked_in_local_days(client_for):
    c = case(team_read=False, note=False)
    _read(c, datetime(2026, 11, 1, 22, 30, tzinfo=UTC))  # 1 November, 23:30 Amsterdam
    _read(c, datetime(2026, 11, 1, 23, 30, tzinfo=UTC))  # 2 November, 00:30 Amsterdam
    response = client_for(c.officer).get(
        export_url(c.signal.subject_id),
        {"request": requested(c), "from": "2026-11-01", "to": "2026-11-01"},
    )
    assert response.status_code == 200
    looks = _worker_looks(response.json())
    assert [look["first_at"] for look in looks] == ["2026-11-01T23:30:00+01:00"]
    row = AccessLog.objects.get(action=Action.EXPORT)
    assert row.details["period"] == {
        "from": "2026-11-01T00:00:00+01:00",
        "to": "2026-11-02T00:00:00+01:00",
    }


def test_a_period_that_ends_before_it_starts_is_refused(client_for):
    c = case(team_read=False, note=False)
    response = client_for(c.officer).get(
        export_url(c.signal.subject_id),
        {"request": requested(c), "from": "2026-11-02", "to": "2026-11-01"},
    )
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
