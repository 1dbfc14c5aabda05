"""The admin requires a verified second factor (django-otp) and logs its logins."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite

from privacy.context import AccessContext
from privacy.services import access_log_login, access_log_login_failed


class LoggedOTPAdminSite(OTPAdminSite):
    """OTPAdminSite: staff without a device verified in this session are treated as non-staff,
    and the login form asks for a TOTP or recovery code. Logins and refusals are logged like
    API logins. Installed on the default admin.site by backend/urls.py."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response: HttpResponse = super().login(request, extra_context)
        if request.method != "POST":
            return response
        user = request.user
        if response.status_code == 302 and user.is_authenticated:
            access_log_login(
                context=AccessContext.from_request(request, user=user), method="admin_totp"
            )
        else:
            locked = getattr(request, "axes_locked_out", False)
            access_log_login_failed(
                context=AccessContext.from_request(request, user=AnonymousUser()),
                attempted_login=str(request.POST.get("username", "")),
                reason="login_locked" if locked else "admin_login_refused",
            )
        return response
