"""Logging authorisation denials from the API exception handler.

A denial serves no personal data, so here the log is *not* fail-closed: if the write fails, the
client still gets the original 401/403/404 and the failure goes to the application log (without
personal data). Failing closed would turn every denial into a 500 and hide the real answer
(docs/adr/0011-access-log.md).
"""

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from rest_framework import exceptions

from backend.errors import DomainError
from privacy.context import AccessContext
from privacy.models import Action, Outcome, Purpose
from privacy.services import access_log_record

logger = logging.getLogger(__name__)

_OBJECT_KWARGS = ("pk", "id", "uuid", "signal_id", "subject_id", "object_id")
# 423: a restricted resident's data (AVG art. 18) refused to everyone but the audit.
_DENIAL_STATUSES = (403, 404, 423)


def denial_reason(exc: Exception) -> str | None:
    """The reason code when `exc` is an authorisation denial worth logging, else None."""
    if isinstance(exc, DomainError):
        return exc.code if exc.status in _DENIAL_STATUSES else None
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated"
    if isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied):
        return "permission_denied"
    # Selectors raise Model.DoesNotExist outside the caller's visibility; the handler makes it 404.
    if isinstance(exc, exceptions.NotFound | Http404 | ObjectDoesNotExist):
        return "not_found"
    return None


def access_denied_record(*, exc: Exception, context: dict[str, Any]) -> None:
    """Logs `exc` as access_denied when it is a denial. Never raises.

    Side effects: one AccessLog row (in its own savepoint, so a failure cannot poison an outer
    transaction)."""
    reason = denial_reason(exc)
    request = context.get("request")
    if reason is None or request is None:
        return
    # Read the user DRF already resolved; touching request.user could re-run authentication.
    user = request.__dict__.get("_user") or AnonymousUser()
    match = getattr(request, "resolver_match", None)
    view_name = (match.view_name if match else "") or type(context.get("view")).__name__
    kwargs = context.get("kwargs") or {}
    object_id = next((str(kwargs[key]) for key in _OBJECT_KWARGS if key in kwargs), "")
    try:
        with transaction.atomic():
            access_log_record(
                context=AccessContext.from_request(request, user=user),
                action=Action.ACCESS_DENIED,
                outcome=Outcome.DENIED,
                purpose=Purpose.AUTHENTICATION,
                authorisation_rule=f"view:{view_name}"[:128],
                object_id=object_id[:64],
                details={"view": view_name, "method": request.method, "reason": reason},
            )
    except Exception as error:  # never mask the denial itself
        logger.error(
            "access log write for a denial failed",
            extra={"view": view_name, "error": type(error).__name__},
        )
