"""The request id follows a task run, also when a worker runs the same task in two threads at
once (the demo's filesystem broker runs a retry's countdown on the timer thread)."""

import logging
import threading

from celery.signals import task_postrun, task_prerun

from backend.request_context import current_request_id
from signals.tasks import route_signal


def _start(task_id: str, request_id: str) -> None:
    route_signal.push_request(id=task_id, request_id=request_id)
    task_prerun.send(sender=route_signal, task_id=task_id, task=route_signal, args=(), kwargs={})


def _finish(task_id: str) -> None:
    task_postrun.send(sender=route_signal, task_id=task_id, task=route_signal, args=(), kwargs={})
    route_signal.pop_request()


def test_overlapping_runs_of_one_task_in_two_threads_restore_their_own_request_id(caplog):
    caplog.set_level(logging.ERROR)
    seen: dict[str, str] = {}
    retry_started, first_finished = threading.Event(), threading.Event()

    def retry_on_the_timer_thread() -> None:
        _start("retry", "req-retry")
        retry_started.set()
        first_finished.wait(5)
        seen["retry during"] = current_request_id()
        _finish("retry")
        seen["retry after"] = current_request_id()

    _start("first", "req-first")
    timer = threading.Thread(target=retry_on_the_timer_thread)
    timer.start()
    retry_started.wait(5)
    seen["first during"] = current_request_id()
    _finish("first")
    seen["first after"] = current_request_id()
    first_finished.set()
    timer.join(5)

    assert seen == {
        "first during": "req-first",
        "first after": "-",
        "retry during": "req-retry",
        "retry after": "-",
    }
    assert not [r for r in caplog.records if "different Context" in r.getMessage()], caplog.text
