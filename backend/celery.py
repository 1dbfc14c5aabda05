"""The Celery application. Configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery

from backend import DEFAULT_SETTINGS_MODULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)

app = Celery("buurtsignaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Liveness: every worker beats while it consumes (backend/worker_health.py).
from backend.worker_health import Heartbeat  # noqa: E402

app.steps["consumer"].add(Heartbeat)

# Propagate the request id from the web request into the tasks it enqueues.
from backend import request_context  # noqa: E402

request_context.connect_celery_signals()

# Workers run longer statements than web requests (docs/adr/0025).
from celery.signals import worker_init  # noqa: E402


@worker_init.connect
def _worker_database_timeouts(**kwargs: object) -> None:
    from backend.database import use_worker_timeouts

    use_worker_timeouts()
