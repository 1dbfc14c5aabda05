"""Break-glass: a time-limited, logged read of a signal outside the own team."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.actors import Actor
from audit.disclosure import access_logged
from backend.errors import DomainError
from signals import disclosures
from signals.access import signal_for_break_glass
from signals.models import BreakGlassAccess, SignalUserObjectPermission


def signal_break_glass_open(
    *, signal_id: UUID | str, actor: Actor, reason: str
) -> BreakGlassAccess:
    """Opens one signal outside the actor's teams for reading, for BREAK_GLASS_HOURS, on a typed
    reason. Opening again records a new reason and extends the grant.

    Raises permission_denied (403) without the `signals.break_glass_signal` capability,
    Signal.DoesNotExist (404) for a missing or ineligible signal, and break_glass_not_needed
    when the actor can already open it as team work (signals.access.signal_for_break_glass).

    Side effects: a BreakGlassAccess row; a view_signal SignalUserObjectPermission (django-
    guardian) with `expires_at`, created or extended; one AccessLog row (create, rule
    break_glass, the reason's field name), in this transaction (docs/adr/0041)."""
    with access_logged(actor=actor) as log:
        signal = signal_for_break_glass(actor=actor, signal_id=signal_id)
        reason = reason.strip()
        if not reason:
            raise DomainError("reason_required")
        now = timezone.now()
        expires_at = now + timedelta(hours=settings.BREAK_GLASS_HOURS)
        access = BreakGlassAccess.objects.create(
            user=actor, signal=signal, reason=reason, opened_at=now, expires_at=expires_at
        )
        permission = Permission.objects.get(
            content_type__app_label="signals", codename="view_signal"
        )
        grant, created = SignalUserObjectPermission.objects.select_for_update().get_or_create(
            user=actor,
            permission=permission,
            content_object=signal,
            defaults={"expires_at": expires_at},
        )
        if not created and grant.expires_at is not None and grant.expires_at < expires_at:
            grant.expires_at = expires_at
            grant.save(update_fields=["expires_at"])
        log.add(disclosures.break_glass_opened(access))
    return access


def break_glass_grants_expire(*, now: Any = None) -> int:
    """Deletes break-glass object permissions past their expiry, so django-guardian's own checks
    (and the admin) agree with `visible_to`, which already ignores them. The BreakGlassAccess
    register stays. Returns how many grants it removed.

    Side effects: deletes SignalUserObjectPermission rows with `expires_at` in the past."""
    now = now or timezone.now()
    deleted, _ = SignalUserObjectPermission.objects.filter(expires_at__lte=now).delete()
    return deleted
