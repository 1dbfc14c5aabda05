"""Logging authorisation denials: the subscriber of backend.exception_handler.access_denied.

A denial serves no personal data, so here the log is *not* fail-closed: if the write fails, the
client still gets the original 401/403/404/423 and the failure goes to the application log
(without personal data). Failing closed would turn every denial into a 500 and hide the real
answer (docs/adr/0011-access-log.md).

A 401 without an authenticated actor writes no access-log row: the NEN 7513 log records who
reached (or was refused) personal data, and an anonymous request reached none and names nobody.
It goes to the security log (logger `audit.security`) instead, at most
UNAUTHENTICATED_LOG_PER_MINUTE lines per client address a minute, the address only as a keyed
hash: a flood of anonymous requests can neither grow the sealed log nor the application log
without bound (docs/adr/0035).
"""

import logging
import time

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from audit.context import AccessContext
from audit.models import AccessOutcome, Action, Purpose
from audit.services import access_log_record
from backend.exception_handler import Denial
from backend.request_context import client_address

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("audit.security")

UNAUTHENTICATED_LOG_PER_MINUTE = 10

_OBJECT_KWARGS = ("pk", "id", "uuid", "signal_id", "subject_id", "object_id")
_CLIENT_SALT = "audit.security.client"


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
    if not user.is_authenticated:
        unauthenticated_record(request=request, view_name=view_name, reason=denial.reason)
        return
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


def unauthenticated_record(*, request: HttpRequest, view_name: str, reason: str) -> None:
    """A refused anonymous request, in the security log: view, method, reason and a keyed hash
    of the client address, the first UNAUTHENTICATED_LOG_PER_MINUTE a minute per address, then
    one line saying the rest of that minute is left out. Never raises.

    Side effects: a log record; a counter in the cache (fails open: logged anyway)."""
    client = salted_hmac(_CLIENT_SALT, client_address(request), algorithm="sha256").hexdigest()
    client = client[:16]
    key = f"audit:unauthenticated:{client}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # a lost cache must not cost the answer or the line
        count = 1
    fields = {"view": view_name, "method": request.method, "reason": reason, "client": client}
    if count <= UNAUTHENTICATED_LOG_PER_MINUTE:
        security_logger.warning("unauthenticated request refused", extra=fields)
    elif count == UNAUTHENTICATED_LOG_PER_MINUTE + 1:
        security_logger.warning(
            "unauthenticated requests refused: more from this client this minute not logged",
            extra=fields,
        )
