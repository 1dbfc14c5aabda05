"""Break-glass called directly: a grant that reads until it expires, and never more."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from backend.errors import DomainError
from signals import services
from signals.models import Signal, SignalUserObjectPermission

pytestmark = pytest.mark.django_db

REASON = "Bewoner belde ons team over dit signaal."


def test_a_grant_opens_the_signal_for_reading_until_it_expires(world):
    access = services.signal_break_glass_open(
        signal_id=world.signal.pk, actor=world.foreign, reason=REASON
    )
    assert access.expires_at == access.opened_at + timedelta(hours=settings.BREAK_GLASS_HOURS)
    readable = Signal.objects.visible_to(world.foreign)
    assert list(readable.values_list("pk", flat=True)) == [world.signal.pk]
    with time_machine.travel(access.expires_at + timedelta(seconds=1)):
        assert not Signal.objects.visible_to(world.foreign).exists()
        assert services.break_glass_grants_expire() == 1
    assert not SignalUserObjectPermission.objects.filter(user=world.foreign).exists()


def test_a_grant_gives_no_team_work(world):
    services.signal_break_glass_open(signal_id=world.signal.pk, actor=world.foreign, reason=REASON)
    with pytest.raises(DomainError) as refused:
        services.signal_note_add(signal_id=world.signal.pk, actor=world.foreign, body="Gebeld.")
    assert refused.value.code == "break_glass_read_only"


def test_the_own_team_needs_no_break_glass(world):
    with pytest.raises(DomainError) as refused:
        services.signal_break_glass_open(
            signal_id=world.signal.pk, actor=world.member, reason=REASON
        )
    assert refused.value.code == "break_glass_not_needed"


def test_a_restricted_signal_cannot_be_opened(world):
    services.signal_restrict(signal_id=world.signal.pk, actor=world.officer)
    with pytest.raises(Signal.DoesNotExist):
        services.signal_break_glass_open(
            signal_id=world.signal.pk, actor=world.foreign, reason=REASON
        )
