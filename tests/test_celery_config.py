"""Celery settings that recovery depends on (docs/adr/0019)."""

from django.conf import settings

from backend.celery import app


def _longest_countdown(task) -> float:
    """The longest retry countdown the task's autoretry can schedule (Celery's defaults where
    the decorator says nothing, as celery.app.autoretry reads them)."""
    backoff = getattr(task, "retry_backoff", False)
    factor = 1 if backoff is True else backoff
    if not factor:
        return task.default_retry_delay
    maximum = getattr(task, "retry_backoff_max", 600)
    return min(maximum, factor * 2 ** (task.max_retries - 1))


def test_no_retry_waits_in_the_broker_as_long_as_the_visibility_timeout():
    """Redis hands an unacknowledged task out again after the visibility timeout, and a task
    waiting for its countdown is unacknowledged: a longer countdown would be run twice."""
    app.loader.import_default_modules()
    retrying = {
        name: _longest_countdown(task)
        for name, task in app.tasks.items()
        if getattr(task, "autoretry_for", ())
    }
    assert {"signals.route_signal", "notifications.tasks.notifications_send"} <= set(retrying)
    too_long = {n: c for n, c in retrying.items() if c >= settings.CELERY_VISIBILITY_TIMEOUT}
    assert not too_long, too_long


def test_broker_sockets_give_up_and_unacknowledged_tasks_come_back_within_a_minute():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 2.0
    redelivered_within = (
        options["visibility_timeout"]
        + options["unacked_restore_interval"] * (options["unacked_restore_throttle"])
    )
    assert redelivered_within <= 60
    assert settings.CELERY_BROKER_CHANNEL_ERROR_RETRY is True


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.seal_access_log" in scheduled  # the access log's sealer (docs/adr/0025)
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
