"""A measurement's moment lies between the signal's submission and now: a date before the
signal existed is refused with the field named, and nothing is written (issue 19, item 7: the
rule could be dropped without a test failing)."""

from datetime import timedelta

import pytest

from audit.models import AccessLog
from outcomes.models import Measurement
from signals.models import ConsentPurpose, Status
from tests.factories import member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

MEASURED = {"purposes": frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.MEASURE_OUTCOME})}


def post(client, signal, taken_at) -> object:
    return client.post(
        f"/api/v1/signals/{signal.pk}/measurements",
        {"phase": "baseline", "declined": True, "taken_at": taken_at.isoformat()},
        format="json",
    )


def test_a_measurement_dated_before_the_signal_is_refused(client_for):
    worker = member_of(team_with_coverage())
    signal = make_signal(state=Status.CONTACTED, worker=worker, consent=MEASURED)
    client = client_for(worker)
    rows = AccessLog.objects.count()
    response = post(client, signal, signal.created_at - timedelta(minutes=1))
    assert response.status_code == 400, response.json()
    assert "taken_at" in response.json()["details"]["fields"]
    assert not Measurement.objects.exists()
    assert AccessLog.objects.count() == rows
    # The control: the moment of submission itself is accepted.
    assert post(client, signal, signal.created_at).status_code == 201
