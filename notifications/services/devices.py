"""Device registry: the app installations that receive pushes."""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from backend.errors import DomainError
from notifications.models import Device

logger = logging.getLogger(__name__)


def device_register(
    *,
    user: User,
    platform: str,
    registration_token: str = "",
    installation_id: str = "",
    app_version: str = "",
    language: str | None = None,
    login_session_id: uuid.UUID | str | None = None,
) -> tuple[Device, bool]:
    """Registers this app installation for the user's pushes, or refreshes it; it is known by
    its registration token or its Firebase installation id (at least one is required). A device
    registered by another user moves to this user: a shared phone pushes to whoever logged in
    last. Returns the device and whether it is new.

    A user has at most DEVICE_MAX_ACTIVE_PER_USER active devices: beyond that the least
    recently seen stop receiving pushes (displaced), so one signal never fans out to more than
    that many pushes per person. Registrations of one user take a lock on the user row, so the
    cap holds under concurrent calls too.

    Side effects: a Device row created or updated (owner, addresses, details, last_seen_at,
    reactivated); a second row for the same installation deleted; the user's surplus active
    devices deactivated (reason displaced)."""
    if not registration_token and not installation_id:
        raise DomainError("device_address_required")
    fields: dict[str, Any] = {
        "user": user,
        "platform": platform,
        "app_version": app_version,
        "language": language or user.language,
        "login_session_id": login_session_id,
        "is_active": True,
        "deactivated_at": None,
        "deactivation_reason": "",
        "last_seen_at": timezone.now(),
    }
    # An address the app leaves out this time keeps its earlier value.
    if registration_token:
        fields["registration_token"] = registration_token
    if installation_id:
        fields["installation_id"] = installation_id
    with transaction.atomic():
        # Serialises this user's registrations: the count below cannot race another one.
        User.objects.select_for_update().get(pk=user.pk)
        device, created = _device_upsert(registration_token, installation_id, fields)
        _displace_beyond_cap(user=user, keep=device)
    return device, created


def _device_upsert(
    registration_token: str, installation_id: str, fields: dict[str, Any]
) -> tuple[Device, bool]:
    device = _device_to_refresh(registration_token, installation_id)
    if device is None:
        try:
            with transaction.atomic():
                return Device.objects.create(**fields), True
        except IntegrityError:  # a concurrent registration of the same installation won
            device = _device_to_refresh(registration_token, installation_id)
            if device is None:
                raise
    if device.user_id != fields["user"].pk:
        logger.info("device moved to another user", extra={"device_id": str(device.pk)})
    for name, value in fields.items():
        setattr(device, name, value)
    device.save()
    return device, False


def _displace_beyond_cap(*, user: User, keep: Device) -> None:
    others = (
        Device.objects.filter(user=user, is_active=True)
        .exclude(pk=keep.pk)
        .order_by("-last_seen_at", "-created_at")
        .values_list("pk", flat=True)
    )
    surplus = list(others[max(settings.DEVICE_MAX_ACTIVE_PER_USER - 1, 0) :])
    if surplus:
        _deactivate(Device.objects.filter(pk__in=surplus), Device.DeactivationReason.DISPLACED)
        logger.info("devices displaced by a newer one", extra={"count": len(surplus)})


def _device_to_refresh(registration_token: str, installation_id: str) -> Device | None:
    by_token = by_installation = None
    if registration_token:
        by_token = (
            Device.objects.select_for_update().filter(registration_token=registration_token).first()
        )
    if installation_id:
        by_installation = (
            Device.objects.select_for_update().filter(installation_id=installation_id).first()
        )
    if by_token and by_installation and by_token.pk != by_installation.pk:
        # One installation, registered twice (say its token rotated before the app sent its
        # FID): keep one row, or it would get every push twice.
        by_installation.delete()
    return by_token or by_installation


def device_delete(*, user: User, device_id: uuid.UUID) -> None:
    """Stops pushes to one of the user's own devices. Someone else's device is not found.

    Side effects: the Device deactivated (reason deleted_by_owner)."""
    with transaction.atomic():
        device = (
            Device.objects.select_for_update()
            .filter(pk=device_id, user=user, is_active=True)
            .first()
        )
        if device is None:
            raise DomainError("device_not_found")
        _deactivate(Device.objects.filter(pk=device.pk), Device.DeactivationReason.DELETED_BY_OWNER)


def devices_remove_for_user(
    *, user: User, reason: str, login_session_id: uuid.UUID | str | None = None
) -> int:
    """Stops pushes to the user's devices: all of them, or only those registered in one login
    session (logout on one phone leaves the tablet alone). Returns how many.

    Side effects: Device rows deactivated with `reason`; their pending notifications are not
    pushed (delivery checks the device)."""
    devices = Device.objects.filter(user=user, is_active=True)
    if login_session_id is not None:
        devices = devices.filter(login_session_id=login_session_id)
    with transaction.atomic():
        return _deactivate(devices, reason)


def _deactivate(devices: Any, reason: str) -> int:
    return devices.update(
        is_active=False, deactivated_at=timezone.now(), deactivation_reason=reason
    )


def devices_prune(*, now: datetime | None = None) -> int:
    """Deletes devices (active or not) unseen for DEVICE_PRUNE_DAYS. Returns how many.

    Side effects: Device rows deleted; their notifications keep their history without a
    device."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DEVICE_PRUNE_DAYS)
    with transaction.atomic():
        deleted, _ = Device.objects.filter(last_seen_at__lt=cutoff).delete()
    if deleted:
        logger.info("unseen devices pruned", extra={"count": deleted})
    return deleted
