"""Logging authorisation denials: the subscriber of backend.exception_handler.access_denied.

A denial serves no personal data, so here the log is *not* fail-closed: if the write fails, the
client still gets the original 401/403/404/423 and the failure goes to the application log
(without personal data). Failing closed would turn every denial into a 500 and hide the real
answer (docs/adr/0011-access-log.md).
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from audit.context import AccessContext
from audit.models import AccessOutcome, Action, Purpose
from audit.services import access_log_record
from backend.exception_handler import Denial

logger = logging.getLogger(__name__)

_OBJECT_KWARGS = ("pk", "id", "uuid", "signal_id", "subject_id", "object_id")


def access_denied_record(denial: Denial) -> None:
    """Logs `denial` as access_denied. Never raises.

    Side effects: one AccessLog row (in its own savepoint, so a failure cannot poison an outer
    transaction)."""
    context = denial.context
    request = context.get("request")
    if request is None:
        return
    # Read the user DRF already resolved; touching request.user could re-run authentication.
    # A workspace page (a plain Django request) has its session user from the middleware.
    user = request.__dict__.get("_user") or request.__dict__.get("user") or AnonymousUser()
    match = getattr(request, "resolver_match", None)
    view_name = (match.view_name if match else "") or type(context.get("view")).__name__
    kwargs = context.get("kwargs") or {}
    object_id = next((str(kwargs[key]) for key in _OBJECT_KWARGS if key in kwargs), "")
    try:
        with transaction.atomic():
            access_log_record(
                context=AccessContext.from_request(request, user=user),
                action=Action.ACCESS_DENIED,
                outcome=AccessOutcome.DENIED,
                purpose=Purpose.AUTHENTICATION,
                authorisation_rule=f"view:{view_name}"[:128],
                object_id=object_id[:64],
                details={"view": view_name, "method": request.method, "reason": denial.reason},
            )
    except Exception as error:  # never mask the denial itself
        logger.error(
            "access log write for a denial failed",
            extra={"view": view_name, "error": type(error).__name__},
        )
