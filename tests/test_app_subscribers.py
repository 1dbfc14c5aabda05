"""How the lower apps reach the higher ones without importing them (docs/adr/0020, 0037), by
what happens rather than by the names of the functions wired up:

- `signals.hooks.event_appended` is Django's own Signal; a receiver runs once per appended
  event, in the change's transaction, even when nothing else holds it, and its failure rolls
  the change back;
- starting the apps again connects and registers nothing twice;
- each question signals asks (signals.providers) has its one answer after start-up."""

import gc

import pytest
from django.apps import apps
from django.dispatch import Signal as DjangoSignal

from backend.providers import Provider
from signals import hooks, providers
from signals.models import Signal, SignalEvent, Status
from signals.services import signal_transition
from tests.factories import TeamFactory, member_of
from tests.notifications.factories import SignalFactory

pytestmark = pytest.mark.django_db
UID = "tests.test_app_subscribers.receiver"
# Every question declared in signals.providers, read from the module: a new one is covered.
QUESTIONS = [value for value in vars(providers).values() if isinstance(value, Provider)]
OUR_APPS = ("audit", "accounts", "signals", "initiatives", "notifications", "outcomes", "privacy")


@pytest.fixture
def routed():
    team = TeamFactory()
    return SignalFactory(team=team, status=Status.ROUTED), member_of(team)


@pytest.fixture
def connected():
    """Connects receivers for one test under UID; disconnects after."""
    yield lambda receiver: hooks.connect(receiver, uid=UID)
    hooks.event_appended.disconnect(sender=SignalEvent, dispatch_uid=UID)


def acknowledge(signal: Signal, member) -> None:
    signal_transition(
        signal_id=signal.pk, actor=member, to_status=Status.ACKNOWLEDGED, expected_version=None
    )


def test_event_appended_is_django_s_signal_and_a_receiver_nothing_else_holds_still_runs(
    routed, connected
):
    signal, member = routed
    seen: list[tuple[type, str, str]] = []

    def receiver(sender, event, **kwargs) -> None:
        seen.append((sender, event.type, event.to_status))

    connected(receiver)
    del receiver
    gc.collect()  # a weakly held receiver would be gone now
    acknowledge(signal, member)

    assert isinstance(hooks.event_appended, DjangoSignal)
    assert seen == [(SignalEvent, SignalEvent.Type.TRANSITIONED, Status.ACKNOWLEDGED)]


def test_a_failing_receiver_rolls_the_change_back(routed, connected):
    signal, member = routed
    version = Signal.objects.get(pk=signal.pk).version

    def refuse(sender, event, **kwargs) -> None:
        raise RuntimeError("cannot do my part")

    connected(refuse)
    with pytest.raises(RuntimeError):
        acknowledge(signal, member)

    signal.refresh_from_db()
    assert (signal.status, signal.version) == (Status.ROUTED, version)
    assert not signal.events.filter(type=SignalEvent.Type.TRANSITIONED).exists()


def test_connecting_again_under_the_same_uid_runs_the_receiver_once(routed, connected):
    signal, member = routed
    calls: list[int] = []

    def receiver(sender, event, **kwargs) -> None:
        calls.append(event.pk)

    connected(receiver)
    connected(receiver)
    acknowledge(signal, member)

    assert len(calls) == 1


def test_starting_the_apps_again_connects_and_registers_nothing_twice(routed):
    signal, member = routed
    answers = [question.answer for question in QUESTIONS]
    before = len(hooks.event_appended.receivers)

    for label in OUR_APPS:
        apps.get_app_config(label).ready()  # a second answer would raise ImproperlyConfigured

    assert len(hooks.event_appended.receivers) == before
    assert [question.answer for question in QUESTIONS] == answers
    acknowledge(signal, member)
    assert signal.events.filter(type=SignalEvent.Type.TRANSITIONED).count() == 1


def test_each_question_signals_asks_is_answered_after_start_up():
    assert len(QUESTIONS) == 4  # closing links, connected names, queue deadlines, recipients
    for question in QUESTIONS:
        assert question.answer is not None, question.name
