"""Liveness and readiness probes, outside the API's authentication."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return type(exc).__name__
    return None


def _check_broker() -> str | None:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=2,
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return type(exc).__name__
    return None


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 naming whichever did not."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    failed = sorted(name for name, error in checks.items() if error)
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": {
            name: {"status": "fail", "error": error} if error else {"status": "ok"}
            for name, error in checks.items()
        },
    }
    if failed:
        logger.warning("readiness check failed", extra={"failed": failed})
    return JsonResponse(body, status=503 if failed else 200)
