"""The callables django-axes is configured with (AXES_USERNAME_CALLABLE, AXES_LOCKOUT_CALLABLE
in backend.settings.base): which name a login attempt counts against, and the answer to a
locked-out login."""

from typing import Any

from django.http import HttpRequest, JsonResponse

from accounts.emails import normalise_email
from backend.errors import message_for
from backend.exception_handler import error_body


def login_username_from_credentials(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """Axes: the login name is the email, whether it came from the API or the admin form."""
    value = credentials.get("email") or credentials.get("username") or ""
    return normalise_email(str(value))


def lockout_response(request: HttpRequest, response: object, credentials: dict[str, Any]) -> Any:
    """A locked-out login gets our standard JSON error in the API (browsers get a page:
    workspace.views_login.lockout_response, the configured callable, calls this for /api/)."""
    return JsonResponse(error_body("login_locked", message_for("login_locked")), status=429)
