"""Reads for the team's overview: counts per status and overdue for the queue header, and the
coordinator's workload per member, overdue and escalated signals. Every read starts from
Signal.objects.visible_to(user, break_glass=False), like the queue: team work only."""

from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import TeamMembership, User
from audit.disclosure import access_logged
from signals import disclosures, workflow
from signals.access import coordinated_team_ids
from signals.grounds import Rule
from signals.models import Signal


def _team_work(user: User) -> QuerySet[Signal]:
    return Signal.objects.visible_to(user, break_glass=False).filter(restricted_at__isnull=True)


def queue_counts(*, user: User) -> dict[str, Any]:
    """Open signals of the caller's teams per status, and how many are overdue. Counts only:
    no signal is disclosed, so nothing is access-logged."""
    now = timezone.now()
    rows = (
        _team_work(user)
        .filter(status__in=workflow.OPEN_FOR_TEAM)
        .values("status")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )
    per_status = Counter({row["status"]: row["total"] for row in rows})
    return {
        "per_status": {status: per_status[status] for status in workflow.OPEN_FOR_TEAM},
        "overdue": sum(row["overdue"] for row in rows),
        "open": sum(per_status.values()),
    }


@dataclass(frozen=True)
class MemberLoad:
    user_id: UUID
    full_name: str
    role: str
    open: int
    overdue: int


@dataclass(frozen=True)
class TeamWorkload:
    team_id: UUID
    team_name: str
    members: list[MemberLoad]
    unassigned: int
    overdue: list[Signal]
    escalated: list[Signal]


def team_workload(*, user: User, limit: int = 50) -> list[TeamWorkload]:
    """Per team the user coordinates: open signals per member, unassigned ones, and the
    overdue and escalated signals (at most `limit` each, soonest deadline first). The lists
    show no personal field, but name whose signals they are.

    Side effects: one AccessLog row (list, team_queue, `view` coordinator) naming the subjects
    of the overdue and escalated signals (docs/adr/0041)."""
    with access_logged(actor=user) as log:
        teams = _team_workload(user, limit)
        listed = {s.pk: s for t in teams for s in (*t.overdue, *t.escalated)}
        log.add(
            disclosures.signals_listed(listed.values(), rule=Rule.TEAM_QUEUE), view="coordinator"
        )
    return teams


def _team_workload(user: User, limit: int) -> list[TeamWorkload]:
    now = timezone.now()
    teams = coordinated_team_ids(user=user)
    open_work = _team_work(user).filter(team_id__in=teams, status__in=workflow.OPEN_FOR_TEAM)
    loads = {
        (row["team_id"], row["assigned_to_id"]): row
        for row in open_work.values("team_id", "assigned_to_id").annotate(
            total=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now))
        )
    }
    memberships = (
        TeamMembership.objects.filter(team_id__in=teams)
        .select_related("team", "user")
        .order_by("team__name", "user__full_name", "user__email")
    )
    result: dict[UUID, TeamWorkload] = {}
    for membership in memberships:
        team = membership.team
        if team.pk not in result:
            listed = open_work.filter(team_id=team.pk).select_related(
                "neighbourhood", "assigned_to"
            )
            result[team.pk] = TeamWorkload(
                team_id=team.pk,
                team_name=team.name,
                members=[],
                unassigned=loads.get((team.pk, None), {}).get("total", 0),
                overdue=list(listed.filter(due_at__lt=now).order_by("due_at", "id")[:limit]),
                escalated=list(
                    listed.filter(escalated_at__isnull=False).order_by("due_at", "id")[:limit]
                ),
            )
        load = loads.get((team.pk, membership.user_id), {})
        result[team.pk].members.append(
            MemberLoad(
                user_id=membership.user_id,
                full_name=membership.user.full_name or membership.user.email,
                role=membership.role,
                open=load.get("total", 0),
                overdue=load.get("late", 0),
            )
        )
    return list(result.values())
