"""The team queue at scale (docs/adr/0029): `visible_to(..., ids_first=True)` gives the same rows
as the subquery form, shares included, and lets PostgreSQL read a one-team member's page from
the `signal_team_queue` index in page order, with no sort over the team's open work."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from signals import selectors
from signals.models import Signal, SignalUserObjectPermission, Status
from tests.factories import member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return team_with_coverage("Buurtteam Binnenstad", postcode="3511AB")


def share(user, signal, *, expires_at=None) -> None:
    SignalUserObjectPermission.objects.create(
        user=user,
        permission=Permission.objects.get(codename="view_signal"),
        content_object=signal,
        expires_at=expires_at,
    )


def ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def test_ids_first_gives_the_same_signals_as_the_subqueries(team):
    member = member_of(team)
    own = [make_signal(state=Status.ROUTED) for _ in range(2)]
    elsewhere = team_with_coverage("Buurtteam Zuid", postcode="3523AB")
    address = {"postcode": "3523AB", "house_number": 5, "addition": ""}
    shared, granted, other = (make_signal(state=Status.ROUTED, address=address) for _ in range(3))
    share(member, shared)
    share(member, granted, expires_at=timezone.now() + timedelta(hours=1))  # break-glass
    assert elsewhere and other
    for break_glass in (True, False):
        plain = Signal.objects.visible_to(member, break_glass=break_glass)
        first = Signal.objects.visible_to(member, break_glass=break_glass, ids_first=True)
        assert ids(first) == ids(plain)
    assert ids(Signal.objects.visible_to(member, break_glass=False, ids_first=True)) == {
        *(s.pk for s in own),
        shared.pk,
    }


def test_ids_first_of_someone_in_no_team_is_empty():
    outsider = member_of(team_with_coverage("Buurtteam Oost", postcode="3581AB"))
    outsider.memberships.all().delete()
    assert not Signal.objects.visible_to(outsider, ids_first=True).exists()


def test_the_index_condition_is_the_open_work_of_a_team():
    index = next(i for i in Signal._meta.indexes if i.name == "signal_team_queue")
    assert dict(index.condition.children) == {
        # Written out, not read from OPEN_FOR_TEAM: a wrong constant must fail here.
        "status__in": ["acknowledged", "contacted", "in_follow_up", "routed"],
        "restricted_at__isnull": True,
    }


def test_a_queue_page_is_read_from_the_index_in_page_order(team):
    member = member_of(team)
    make_signal(state=Status.ROUTED)
    page = selectors.queue_list(user=member, filters=selectors.QueueFilter()).order_by(
        "due_at", "id"
    )[:51]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the choice
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "signal_team_queue" in plan, plan
    assert "Sort" not in plan, plan  # an OR of subqueries scans and sorts all open work
