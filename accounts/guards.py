"""The guard for server-rendered pages (the team web workspace, issue 13): a page with personal
data opens only for a Django session whose second factor is verified in this session, the same
rule accounts.authentication.VerifiedSessionAuthentication applies to the API. Anyone else is
sent to settings.LOGIN_URL, which must be a login that asks for the second factor
(docs/adr/0015-sessions-and-second-factor-on-every-path.md)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from accounts.authentication import session_is_verified

View = Callable[..., HttpResponse]


def verified_session_required(view: View) -> View:
    """Decorator for a function view: active user, second factor verified in this session."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_active and session_is_verified(user):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)

    return guarded
