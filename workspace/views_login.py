"""Logging in and out of the workspace: the password, then a TOTP or recovery code, or on first
login linking an authenticator app by its QR code. Thin views over accounts.session_login; the
session holds only the short-lived mfa_token between the steps."""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import oidc, session_login
from accounts.services.lockout import lockout_response as api_lockout_response
from backend.cache_control import API_PREFIX
from backend.errors import DomainError, message_for
from workspace.forms import CodeForm, LoginForm, OidcStartForm, ResetCodeForm

PENDING = "workspace_mfa_token"
OIDC_PENDING = "workspace_oidc"
ENROLMENT = "workspace_enrolment"
NEXT = "workspace_next"


def _next_url(request: HttpRequest) -> str:
    wanted = request.session.get(NEXT) or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("workspace:home")


def _pending(request: HttpRequest) -> str | None:
    return request.session.get(PENDING)


def _steps_done(request: HttpRequest) -> str:
    """Forgets the login steps' state; returns where to go now."""
    target = _next_url(request)
    for key in (PENDING, ENROLMENT, NEXT):
        request.session.pop(key, None)
    return target


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "GET" and request.GET.get("next"):
        request.session[NEXT] = request.GET["next"]
    if request.method == "POST" and form.is_valid():
        try:
            token, enrol = session_login.session_password_step(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            messages.error(request, exc.message())
        else:
            request.session[PENDING] = token
            step = "workspace:login-enrol" if enrol else "workspace:login-code"
            return HttpResponseRedirect(reverse(step))
    return render(request, "workspace/login.html", _login_context(form))


def _login_context(form: LoginForm) -> dict[str, Any]:
    providers = oidc.providers()
    oidc_form = OidcStartForm()
    if providers:  # the organisation's sign-in comes first on the page, so the focus does too
        form.fields["email"].widget.attrs.pop("autofocus", None)
        oidc_form.fields["email"].widget.attrs["autofocus"] = True
    return {"form": form, "providers": providers, "oidc_form": oidc_form}


def _oidc_callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("workspace:login-oidc-callback"))


def _provider_down(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A clear page when the organisation's provider cannot be reached; the local login stays
    on it for the roles that may still use it."""
    context = {**_login_context(LoginForm()), "message": exc.message()}
    return render(request, "workspace/login_oidc_unavailable.html", context, status=503)


@require_POST
def login_oidc_start_view(request: HttpRequest) -> HttpResponse:
    """Sign in with the organisation's provider: chosen by its button, or by the domain of the
    e-mail address given (docs/adr/0046)."""
    form = OidcStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, message_for("oidc_provider_unknown"))
        return HttpResponseRedirect(reverse("workspace:login"))
    try:
        begun = session_login.session_oidc_begin(
            provider_name=form.cleaned_data["provider"],
            email=form.cleaned_data["email"],
            redirect_uri=_oidc_callback_uri(request),
        )
    except DomainError as exc:
        if exc.code == "oidc_provider_unavailable":
            return _provider_down(request, exc)
        messages.error(request, exc.message())
        return HttpResponseRedirect(reverse("workspace:login"))
    request.session[OIDC_PENDING] = asdict(begun)
    return HttpResponseRedirect(begun.url)


@require_http_methods(["GET"])
def login_oidc_callback_view(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error) and our state."""
    pending = request.session.pop(OIDC_PENDING, None)
    state = request.GET.get("state", "")
    code = request.GET.get("code", "")
    if not pending or not code or not constant_time_compare(state, pending["state"]):
        messages.error(request, message_for("oidc_token_invalid"))
        return HttpResponseRedirect(reverse("workspace:login"))
    try:
        step = session_login.session_oidc_step(
            request=request,
            pending=oidc.AuthorizationRequest(**pending),
            code=code,
            redirect_uri=_oidc_callback_uri(request),
            issuer=request.GET.get("iss", ""),
        )
    except DomainError as exc:
        if exc.code == "oidc_provider_unavailable":
            return _provider_down(request, exc)
        messages.error(request, exc.message())
        return HttpResponseRedirect(reverse("workspace:login"))
    if step is None:
        return HttpResponseRedirect(_steps_done(request))
    token, enrol = step
    request.session[PENDING] = token
    return HttpResponseRedirect(
        reverse("workspace:login-enrol" if enrol else "workspace:login-code")
    )


@require_http_methods(["GET", "POST"])
def login_code_view(request: HttpRequest) -> HttpResponse:
    token = _pending(request)
    if not token:
        return HttpResponseRedirect(reverse("workspace:login"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_login.session_code_step(
                request=request, mfa_token=token, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            if exc.code == "mfa_token_invalid":
                request.session.pop(PENDING, None)
                messages.error(request, exc.message())
                return HttpResponseRedirect(reverse("workspace:login"))
            messages.error(request, exc.message())
        else:
            return HttpResponseRedirect(_steps_done(request))
    return render(request, "workspace/login_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_enrol_view(request: HttpRequest) -> HttpResponse:
    """First login: a QR code for the authenticator app, then its first code confirms it. The
    recovery codes are shown once, on the page that follows. A wrong code shows the same QR
    code again (the session keeps it until the code is right). After an admin reset the second
    factor alone, the one-time code e-mailed to the user is asked first."""
    token = _pending(request)
    if not token:
        return HttpResponseRedirect(reverse("workspace:login"))
    giving_reset_code = "reset_code" in request.POST
    form = CodeForm(None if giving_reset_code else request.POST or None)
    form.fields["code"].label = _("Code from your authenticator app")
    try:
        if request.method == "POST" and not giving_reset_code and form.is_valid():
            try:
                codes = session_login.session_enrolment_confirm(
                    request=request, mfa_token=token, code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                if exc.code not in ("mfa_code_invalid", "mfa_enrolment_not_started"):
                    raise
                messages.error(request, exc.message())
            else:
                context = {"codes": codes, "next": _steps_done(request)}
                return render(request, "workspace/recovery_codes.html", context)
        enrolment = request.session.get(ENROLMENT)
        if request.method == "GET" or not enrolment or giving_reset_code:
            reset_form = ResetCodeForm(request.POST if giving_reset_code else None)
            reset_code = reset_form.cleaned_data["reset_code"] if reset_form.is_valid() else ""
            try:
                begun = session_login.session_enrolment_begin(
                    request=request, mfa_token=token, reset_code=reset_code
                )
            except DomainError as exc:
                if exc.code not in ("second_factor_code_required", "credential_code_expired"):
                    raise
                if giving_reset_code:
                    messages.error(request, exc.message())
                context = {"form": ResetCodeForm()}
                return render(request, "workspace/login_reset_code.html", context)
            enrolment = request.session[ENROLMENT] = asdict(begun)
    except DomainError as exc:  # the step's token expired or no longer fits the account
        request.session.pop(PENDING, None)
        messages.error(request, exc.message())
        return HttpResponseRedirect(reverse("workspace:login"))
    return render(request, "workspace/login_enrol.html", {"form": form, "enrolment": enrolment})


def lockout_response(request: HttpRequest, response: object, credentials: dict[str, Any]) -> Any:
    """django-axes (AXES_LOCKOUT_CALLABLE): a locked-out login gets a page in a browser (the
    workspace's and the admin's login) and the standard JSON error in the API."""
    if request.path.startswith(API_PREFIX):
        return api_lockout_response(request, response, credentials)
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "message": message_for("login_locked"),
        "minutes": max(1, int(cooloff.total_seconds() // 60)) if cooloff else 0,
    }
    return render(request, "workspace/login_locked.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    session_login.session_close(request=request)
    messages.info(request, _("You are logged out."))
    return HttpResponseRedirect(settings.LOGIN_URL)
