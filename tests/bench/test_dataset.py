"""The bench data set loads against the current schema: a model that grows a column, or a
state the loader gets wrong, fails here rather than in the middle of `make bench`."""

import pytest

from bench.dataset import bulk, world
from signals.models import Signal, SignalEvent, Status
from signals.workflow import OPEN_FOR_TEAM
from tests.fixtures import token_client


@pytest.mark.django_db
def test_the_data_set_has_every_state_readable_through_the_api():
    city = world.build()
    loaded = bulk.load(world=city, size=3000)

    assert loaded["counts"]["signal"] == 3000
    assert set(Signal.objects.values_list("status", flat=True).distinct()) == set(Status)
    assert loaded["counts"]["event"] > 3 * 3000  # events and notes per signal
    assert loaded["counts"]["note"] > 3000
    open_signal = Signal.objects.get(pk=loaded["detail_signal_ids"][0])
    assert open_signal.resident_first_name in bulk.NAMES  # real Fernet tokens, decrypted
    assert open_signal.observation in bulk.OBSERVATIONS
    erased = Signal.objects.filter(status=Status.WITHDRAWN).first()
    assert (erased.resident_first_name, erased.personal_data_erased_at is not None) == ("", True)
    assert SignalEvent.objects.filter(signal=erased, type="personal_data_erased").exists()

    member = type(open_signal.team.members.first()).objects.get(email=city.queue_member["email"])
    client = token_client(member)
    detail = client.get(f"/api/v1/signals/{open_signal.pk}")
    assert detail.status_code == 200, detail.content
    queue = client.get("/api/v1/queue?page_size=50")
    assert queue.status_code == 200
    open_in_team = Signal.objects.filter(
        team_id=city.queue_member["team_id"], status__in=sorted(OPEN_FOR_TEAM)
    ).count()
    assert open_in_team > 20
    assert len(queue.json()["results"]) == min(50, open_in_team)
