"""What every workspace page shares: the guard (a Django session with a second factor verified
in it, accounts.guards), a capability check, and the API's refusals turned into pages in the
page's language: a message for a refusal the user can act on, the 404 page for what is outside
their visibility, 403 for a missing capability. Denials are logged as the API logs them
(backend.exception_handler.access_denied, audit.denials)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts.guards import verified_session_required
from backend.errors import DomainError
from backend.exception_handler import Denial, access_denied, denial_reason

View = Callable[..., HttpResponse]


def denial_log(request: HttpRequest, exc: Exception, kwargs: dict[str, Any]) -> None:
    """Logs a refusal as the API's exception handler does (an access_denied row)."""
    reason = denial_reason(exc)
    if reason is not None:
        access_denied.publish(
            Denial(reason=reason, exc=exc, context={"request": request, "kwargs": kwargs})
        )


def refusal_page(request: HttpRequest, exc: Exception, kwargs: dict[str, Any]) -> HttpResponse:
    """The page for a refusal outside a form: 404 for what is not visible (exactly the same for
    another team's signal as for one that never was), else the catalogue's status and
    message."""
    denial_log(request, exc, kwargs)
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return render(request, "workspace/refused.html", {"status": 404}, status=404)
    if isinstance(exc, PermissionDenied):
        exc = DomainError("permission_denied")
    assert isinstance(exc, DomainError)
    context = {"status": exc.status, "message": exc.message()}
    return render(request, "workspace/refused.html", context, status=exc.status)


def page(*capabilities: str) -> Callable[[View], View]:
    """A workspace page: verified session, then one of `capabilities` (none: any signed-in
    user). A DomainError the page does not handle itself becomes the refusal page."""

    def decorate(view: View) -> View:
        @verified_session_required
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if capabilities and not any(request.user.has_perm(c) for c in capabilities):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            except (DomainError, ObjectDoesNotExist, Http404, PermissionDenied) as exc:
                return refusal_page(request, exc, kwargs)

        return guarded

    return decorate


def action_refused(request: HttpRequest, exc: DomainError, back: str) -> HttpResponse:
    """A form the service refused for a reason the user can act on (409 version conflict, 400
    outcome required, ...): back to the page with the catalogue's message. Visibility and
    permission refusals are not caught here; they become the refusal page."""
    if exc.status in (403, 404, 423):
        raise exc
    messages.error(request, exc.message())
    return HttpResponseRedirect(back)
