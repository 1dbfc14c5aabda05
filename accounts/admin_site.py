"""The admin requires a verified second factor (django-otp) and logs its logins. Its login
opens the same browser session as the workspace's (accounts.session_login.session_open: the
same fixed lifetime) after the same second-factor check (lockout, logged refusals):
docs/adr/0035."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts.account_log import access_log_login_failed
from accounts.services import password_change
from accounts.services.login import password_login_allowed
from accounts.services.second_factor import second_factor_check
from accounts.session_login import session_open
from audit.context import AccessContext
from backend.errors import DomainError, message_for

ADMIN_LOGIN_METHOD = "admin_totp"


class OneStepOTPLoginForm(OTPAdminSite.login_form):
    """E-mail, password and a code in one step (issue 13): django-otp wants a device chosen,
    which its form can only offer after a first submit has named the user; here the code goes
    to the workspace's check (accounts.services.second_factor.second_factor_check), which finds
    the device itself. No challenge button (no interactive devices here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("otp_device", None)
        self.fields.pop("otp_challenge", None)
        self.fields["otp_token"].label = _("Code from your authenticator app, or a recovery code")
        self.fields["otp_token"].widget.attrs.update(autocomplete="one-time-code")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not password_login_allowed(user=user):  # docs/adr/0046
            raise forms.ValidationError(
                message_for("local_login_disabled"), code="local_login_disabled"
            )

    # Set when the second-factor check refused and logged it itself.
    refusal_logged = False

    def _verify_token(self, user: Any, token: str, device: Any = None) -> Any:
        """The workspace's second-factor check, not django-otp's: a locked account is refused,
        a wrong code counts towards the lockout (django-axes), and each is logged."""
        try:
            return second_factor_check(request=self.request, user=user, code=token)
        except DomainError as exc:
            self.refusal_logged = True
            raise forms.ValidationError(exc.message(), code=exc.code) from exc


class AdminLoginView(LoginView):
    """Django's login view, opening the session through the one session service."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        session_open(
            request=self.request,
            user=user,
            device=user.otp_device,
            method=ADMIN_LOGIN_METHOD,
            prefix="",
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        if self.request.method == "POST" and not form.refusal_logged:
            locked = getattr(self.request, "axes_locked_out", False)
            access_log_login_failed(
                context=AccessContext.from_request(self.request, user=AnonymousUser()),
                attempted_login=str(self.request.POST.get("username", "")),
                reason="login_locked" if locked else "admin_login_refused",
            )
        return super().form_invalid(form)


class LoggedOTPAdminSite(OTPAdminSite):
    """OTPAdminSite: staff without a device verified in this session are treated as non-staff,
    and the login form asks for a TOTP or recovery code. Logins and refusals are logged like
    API logins. It is the default admin.site (accounts.admin_config.OTPAdminConfig in
    INSTALLED_APPS)."""

    login_form = OneStepOTPLoginForm
    login_template = "admin/otp_login.html"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """AdminSite.login with AdminLoginView in place of Django's LoginView."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return AdminLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template,
        )(request)

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
