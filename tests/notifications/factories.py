"""Notification factories, and signal/event rows made directly for the recipient rules (the
full signal flow is exercised through the real services in test_canary.py)."""

import uuid
from typing import Any

import factory

from accounts.models import Team, User
from notifications.models import Device, Notification, NotificationPreference
from signals.models import Signal, SignalEvent, Status, TargetGroup, Urgency
from tests.factories import UserFactory


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    registration_token = factory.Sequence(lambda n: f"fcm-token-{n:04d}:APA91b{'x' * 120}")
    platform = Device.Platform.ANDROID
    app_version = "1.4.0"
    language = "nl"

    class Params:
        ios = factory.Trait(platform=Device.Platform.IOS)
        english = factory.Trait(language="en")
        inactive = factory.Trait(is_active=False, deactivation_reason="logout")


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)


class SignalFactory(factory.django.DjangoModelFactory):
    """A routed signal row; personal fields are filled so leaks would be visible."""

    class Meta:
        model = Signal

    client_uuid = factory.LazyFunction(uuid.uuid4)
    request_fingerprint = "0" * 64
    created_by = factory.SubFactory(UserFactory, field_worker=True)
    resident_first_name = "Geertruida"
    contact_phone = "+31 6 87654321"
    postcode = "3511AB"
    house_number = 7
    observation = "Voelt zich eenzaam sinds haar man overleed."
    target_group = TargetGroup.ELDERLY_AT_HOME
    urgency = Urgency.NORMAL
    status = Status.ROUTED

    class Params:
        urgent = factory.Trait(urgency=Urgency.URGENT)


def event_for(
    signal: Signal,
    type: str,
    *,
    actor: User | None = None,
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> SignalEvent:
    return SignalEvent.objects.create(
        signal=signal, type=type, actor=actor, to_status=to_status, data=data or {}
    )


def routed_event(signal: Signal, team: Team, **data: Any) -> SignalEvent:
    signal.team = team
    signal.save(update_fields=["team"])
    return event_for(
        signal,
        SignalEvent.Type.ROUTED,
        to_status=Status.ROUTED,
        data={"team_id": str(team.pk), **data},
    )


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    device = factory.SubFactory(DeviceFactory)
    user = factory.LazyAttribute(lambda o: o.device.user)
    kind = Notification.Kind.SIGNAL_ROUTED
    object_id = factory.LazyFunction(uuid.uuid4)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
