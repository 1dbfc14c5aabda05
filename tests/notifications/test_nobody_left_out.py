"""Issue 13, "nobody left out": every routed signal reaches at least one person of the team
(members; coordinators too where the team has no member or it is the central team), and whoever
no push reaches gets a PII-free e-mail with a link to the workspace instead."""

import pytest
from django.core import mail

from accounts.actors import SYSTEM
from accounts.models import TeamRole
from notifications.models import EmailNotice, Notification
from notifications.services import (
    email_notices_deliver,
    notifications_deliver,
    signal_event_notify,
    team_digests_send,
)
from signals.services import signal_route
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import (
    DeviceFactory,
    NotificationPreferenceFactory,
    SignalFactory,
    routed_event,
)
from tests.signals.factories import make_signal

pytestmark = pytest.mark.django_db

COORDINATOR = TeamRole.COORDINATOR


def deliver_emails() -> list:
    email_notices_deliver(notice_ids=EmailNotice.objects.values_list("pk", flat=True))
    return mail.outbox


def test_a_normal_signal_for_an_unmapped_address_reaches_the_central_teams_coordinator():
    central = TeamFactory(name="Centraal team", is_central=True)
    coordinator = member_of(central, COORDINATOR)  # the central team's only person
    device = DeviceFactory(user=coordinator)
    signal = make_signal(address={"postcode": "9999ZZ", "house_number": 1})  # in no mapping

    routed = signal_route(actor=SYSTEM, signal_id=signal.pk)

    assert routed.team == central and routed.urgency == "normal"
    push = Notification.objects.get()
    assert (push.user_id, push.device_id, push.kind) == (
        coordinator.pk,
        device.pk,
        Notification.Kind.SIGNAL_ROUTED,
    )


def test_a_team_without_members_tells_its_coordinators():
    team = TeamFactory()
    coordinator = member_of(team, COORDINATOR)
    DeviceFactory(user=coordinator)

    signal_event_notify(event=routed_event(SignalFactory(), team))
    assert set(Notification.objects.values_list("user_id", flat=True)) == {coordinator.pk}


def test_a_team_with_members_still_spares_its_coordinators_normal_signals():
    team = TeamFactory()
    member = member_of(team)
    coordinator = member_of(team, COORDINATOR)
    DeviceFactory(user=member)
    DeviceFactory(user=coordinator)

    signal_event_notify(event=routed_event(SignalFactory(), team))
    assert set(Notification.objects.values_list("user_id", flat=True)) == {member.pk}


def test_someone_without_a_device_gets_a_pii_free_email_with_the_workspace_link(settings):
    settings.WORKSPACE_BASE_URL = "https://werk.example.test"
    central = TeamFactory(name="Centraal team", is_central=True)
    coordinator = member_of(central, COORDINATOR, email="cor@example.test")
    signal = make_signal(address={"postcode": "9999ZZ", "house_number": 1})

    signal_route(actor=SYSTEM, signal_id=signal.pk)

    notice = EmailNotice.objects.get()
    assert (notice.user_id, notice.reason) == (coordinator.pk, EmailNotice.Reason.NO_DEVICE)
    (message,) = deliver_emails()
    assert message.to == ["cor@example.test"]
    assert f"https://werk.example.test/werkruimte/signalen/{signal.pk}/" in message.body
    text = message.subject + message.body
    for personal in ("Wilhelmina", "3511", "9999", "bankje", "eenzaam", "+31"):
        assert personal not in text
    EmailNotice.objects.update()  # delivering again sends nothing more
    assert len(deliver_emails()) == 1
    assert EmailNotice.objects.get().status == EmailNotice.Status.SENT


def test_a_push_that_fails_becomes_an_email_once(settings):
    settings.PUSH_GATEWAY = "console"
    team = TeamFactory()
    member = member_of(team)
    device = DeviceFactory(user=member, inactive=False)

    event = routed_event(SignalFactory(), team)
    signal_event_notify(event=event)
    assert not EmailNotice.objects.exists()
    device.is_active = False  # the device went away before the push
    device.save(update_fields=["is_active"])
    notifications_deliver(notification_ids=Notification.objects.values_list("pk", flat=True))
    assert Notification.objects.get().status == Notification.Status.DEAD
    notice = EmailNotice.objects.get()
    assert (notice.user_id, notice.reason) == (member.pk, EmailNotice.Reason.PUSH_FAILED)


def test_the_daily_digest_goes_once_a_day_to_those_who_did_not_opt_out():
    central = TeamFactory(name="Centraal team", is_central=True)
    wants = member_of(central, COORDINATOR, email="wil@example.test")
    opted_out = member_of(central, COORDINATOR, email="niet@example.test")
    NotificationPreferenceFactory(user=opted_out, daily_digest=False)
    signal_route(
        actor=SYSTEM, signal_id=make_signal(address={"postcode": "9999ZZ", "house_number": 1}).pk
    )
    EmailNotice.objects.all().delete()

    assert team_digests_send() == 1
    assert team_digests_send() == 0  # the same day: nothing new
    digest = EmailNotice.objects.get(kind="team_digest")
    assert digest.user_id == wants.pk
    assert digest.data == {"new": 1, "open": 1, "overdue": 0}
    (message,) = deliver_emails()
    assert "/werkruimte/wachtrij/" in message.body and "Open: 1" in message.body


def test_the_central_team_tells_its_coordinators_even_when_it_has_members():
    central = TeamFactory(name="Centraal team", is_central=True)
    member = member_of(central)
    coordinator = member_of(central, COORDINATOR)
    signal_event_notify(event=routed_event(SignalFactory(), central))
    notified = set(EmailNotice.objects.values_list("user_id", flat=True))
    assert notified == {member.pk, coordinator.pk}
