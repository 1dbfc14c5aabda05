"""The admin requires a verified second factor (django-otp) and logs its logins."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts.account_log import access_log_login, access_log_login_failed
from accounts.services import password_change
from accounts.services.second_factor import second_factor_device_for
from audit.context import AccessContext


class OneStepOTPLoginForm(OTPAdminSite.login_form):
    """E-mail, password and a code in one step (issue 13): django-otp wants a device chosen,
    which its form can only offer after a first submit has named the user; here the code's
    shape picks the device (six digits: the authenticator app, else a recovery code:
    accounts.services.second_factor.second_factor_device_for). No challenge button (no
    interactive devices here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("otp_device", None)
        self.fields.pop("otp_challenge", None)
        self.fields["otp_token"].label = _("Code from your authenticator app, or a recovery code")
        self.fields["otp_token"].widget.attrs.update(autocomplete="one-time-code")

    def _verify_token(self, user: Any, token: str, device: Any = None) -> Any:
        device = device or second_factor_device_for(user=user, code=token)
        if device is None:
            raise forms.ValidationError(
                self.otp_error_messages["invalid_token"], code="invalid_token"
            )
        return super()._verify_token(user, token, device)


class LoggedOTPAdminSite(OTPAdminSite):
    """OTPAdminSite: staff without a device verified in this session are treated as non-staff,
    and the login form asks for a TOTP or recovery code. Logins and refusals are logged like
    API logins. This login form is the only place a Django session is opened. It is the
    default admin.site (accounts.admin_config.OTPAdminConfig in INSTALLED_APPS)."""

    login_form = OneStepOTPLoginForm
    login_template = "admin/otp_login.html"

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

    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        """Changing one's own password (the old one required) goes through the credential
        service, so it is logged and every other session of the user ends; this one stays."""
        defaults: dict[str, Any] = {
            "form_class": AdminPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return OwnPasswordChangeView.as_view(**defaults)(request)


class OwnPasswordChangeView(PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        password_change(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            context=AccessContext.from_request(self.request),
        )
        form.user.refresh_from_db()
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())
