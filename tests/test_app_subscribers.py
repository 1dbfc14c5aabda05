"""The start-up subscribers that replace upward imports (docs/adr/0020): each hook has exactly
the subscribers its higher apps register, once each, in INSTALLED_APPS order, and starting the
apps again adds none."""

from django.apps import apps

from accounts.hooks import login_sessions_ended
from audit.denials import access_denied_record
from backend.exception_handler import access_denied
from initiatives import subscribers as initiatives
from notifications.subscribers import on_login_sessions_ended, on_signal_event_appended
from outcomes import subscribers as outcomes
from signals.hooks import closing, consent_recorded, event_appended, queue_deadlines

EXPECTED = {
    # INSTALLED_APPS order: initiatives, notifications, outcomes.
    "signals.event_appended": (
        event_appended,
        (
            initiatives.on_signal_event_appended,
            on_signal_event_appended,
            outcomes.on_signal_event_appended,
        ),
    ),
    "signals.queue_deadlines": (queue_deadlines, (outcomes.on_queue_deadlines,)),
    "signals.closing": (closing, (initiatives.on_signal_closing,)),
    "signals.consent_recorded": (consent_recorded, (initiatives.on_consent_recorded,)),
    "accounts.login_sessions_ended": (login_sessions_ended, (on_login_sessions_ended,)),
    "backend.access_denied": (access_denied, (access_denied_record,)),
}


def test_each_hook_has_exactly_its_subscribers_after_start_up():
    for name, (hook, subscribers) in EXPECTED.items():
        assert hook.name == name
        assert hook.subscribers == subscribers, name


def test_running_our_apps_ready_again_registers_nothing_twice():
    ours = ("audit", "accounts", "signals", "initiatives", "notifications", "outcomes")
    for label in (*ours, "privacy"):
        apps.get_app_config(label).ready()

    for name, (hook, subscribers) in EXPECTED.items():
        assert hook.subscribers == subscribers, name
