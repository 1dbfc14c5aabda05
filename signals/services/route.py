"""Routing to a team, and escalation past the acknowledgement deadline."""

import logging
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from signals import routing, workflow
from signals.access import signal_for_system
from signals.deadlines import response_deadlines
from signals.models import (
    DeadlinePolicy,
    Signal,
    Status,
)
from signals.write_path import Event, append_event, save_signal

logger = logging.getLogger(__name__)


def _deadlines_from(signal: Signal, start: Any) -> None:
    policy = DeadlinePolicy.objects.filter(urgency=signal.urgency).first()
    due = response_deadlines(start, policy)
    signal.acknowledge_due_at = due.acknowledge_due_at
    signal.first_contact_due_at = due.first_contact_due_at


def signal_route(*, signal_id: UUID | str, actor: Actor) -> Signal | None:
    """Routes a received or forwarded signal to a team, as the system (`actor` a SystemActor;
    a person is refused, 403). Idempotent: anything else returns as is.

    Side effects: team, deadlines and status on the signal; a `routed` event (which notifies the
    team); or a `routing_failed` event when no team and no central team exists (the first time;
    every failed attempt bumps the version)."""
    with transaction.atomic():
        signal = signal_for_system(actor=actor, signal_id=signal_id)
        if signal is None or signal.status not in workflow.ROUTABLE or signal.restricted_at:
            return signal
        forwarded = signal.status == Status.FORWARDED
        if forwarded:
            decision = routing.RouteDecision(
                signal.forward_to_team, "forwarded", signal.neighbourhood, signal.mapping_version
            )
        else:
            decision = routing.decide(signal)
        if decision.team is None:
            last = signal.events.order_by("-created_at", "-id").first()
            if last is None or last.type != Event.ROUTING_FAILED:
                append_event(
                    signal, Event.ROUTING_FAILED, actor=actor, data={"reason": decision.reason}
                )
            logger.error(
                "no team to route to; configure a central team",
                extra={"signal_id": str(signal.pk), "reason": decision.reason},
            )
            # Move it to the back of the sweeper's line, so stuck signals cannot starve others.
            save_signal(signal)
            return signal
        now = timezone.now()
        from_status = signal.status
        signal.team = decision.team
        signal.neighbourhood = decision.neighbourhood
        signal.mapping_version = decision.mapping_version
        signal.routing_rule = decision.rule
        signal.forward_to_team = None
        signal.assigned_to = None
        signal.escalated_at = None
        signal.routed_at = now
        signal.status = Status.ROUTED
        _deadlines_from(signal, now)
        signal.due_at = signal.acknowledge_due_at
        save_signal(
            signal,
            "team",
            "neighbourhood",
            "mapping_version",
            "routing_rule",
            "forward_to_team",
            "assigned_to",
            "escalated_at",
            "routed_at",
            "status",
            "acknowledge_due_at",
            "first_contact_due_at",
            "due_at",
        )
        append_event(
            signal,
            Event.ROUTED,
            actor=actor,
            from_status=from_status,
            to_status=Status.ROUTED,
            data={
                "team_id": str(decision.team.pk),
                "reason": decision.reason,
                "rule_id": decision.rule.pk if decision.rule else None,
                "forwarded": forwarded,
            },
        )
    return signal


def signal_escalate(*, signal_id: UUID | str, actor: Actor) -> bool:
    """Escalates a routed signal past its acknowledgement deadline to the team's coordinators,
    once, as the system (a person is refused, 403). Returns whether it escalated now.

    Side effects: escalated_at and version; an `escalated` event (notifies the coordinators)."""
    with transaction.atomic():
        signal = signal_for_system(actor=actor, signal_id=signal_id)
        now = timezone.now()
        if (
            signal is None
            or signal.restricted_at
            or signal.status != Status.ROUTED
            or signal.escalated_at
            or signal.acknowledge_due_at is None
            or signal.acknowledge_due_at > now
        ):
            return False
        signal.escalated_at = now
        save_signal(signal, "escalated_at")
        append_event(
            signal,
            Event.ESCALATED,
            actor=actor,
            data={
                "team_id": str(signal.team_id),
                "acknowledge_due_at": signal.acknowledge_due_at.isoformat(),
            },
        )
    return True
