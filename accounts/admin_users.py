"""The user admin. An admin never chooses anyone's credentials: there is no password field and no
password-change page for other users; new users are created without a usable password, and
"reset credentials" only invalidates (password, second factor, sessions) and issues a one-time
code that goes by e-mail to the account holder; the admin sees only that it is on its way, to a
masked address (docs/adr/0016, 0034). Roles, staff access and
activation are changed through the services, which own the separation-of-duties rules and log
every change."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django_otp import user_has_device

from accounts import services
from accounts.emails import mask_email
from accounts.models import CredentialCode, User
from accounts.services import ASSIGNABLE_ROLES, PRIVILEGED_ROLES
from accounts.services.credential_delivery import CODE_SEND_MAX_ATTEMPTS
from audit.context import AccessContext
from backend.errors import DomainError

ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


class UserAddForm(forms.ModelForm):
    """Who the person is, nothing they log in with: they choose their password themselves."""

    class Meta:
        model = User
        fields = ["email", "full_name", "organisation", "language"]


class UserChangeForm(forms.ModelForm):
    actor: User | None = None  # the admin making the change, set per request by get_form

    class Meta:
        model = User
        fields = ["email", "full_name", "organisation", "language", *ACCESS_FIELDS, "groups"]
        help_texts = {
            "groups": "Team roles come with a team membership (Teams); they are not listed here."
        }

    def wanted_roles(self) -> set[str]:
        """The direct roles after this change. Privileged roles the actor may not see (and so
        could not have unticked) are kept."""
        chosen = {group.name for group in self.cleaned_data.get("groups", [])}
        if self.actor is not None and not self.actor.is_superuser and self.instance.pk:
            kept = self.instance.groups.filter(name__in=PRIVILEGED_ROLES)
            chosen |= set(kept.values_list("name", flat=True))
        return chosen & ASSIGNABLE_ROLES

    def wanted_flag(self, name: str) -> bool:
        return bool(self.cleaned_data.get(name, getattr(self.instance, name)))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = User.objects.get(pk=self.instance.pk)
        try:
            services.user_access_check(
                user=stored,
                roles=self.wanted_roles(),
                is_staff=self.wanted_flag("is_staff"),
                is_superuser=self.wanted_flag("is_superuser"),
                actor=self.actor,
            )
        except DomainError as exc:
            raise ValidationError(exc.message(), code=exc.code) from exc
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "organisation"]
    search_fields = ["email", "full_name"]
    form = UserChangeForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("email", "credential_status")}),
        ("Profiel", {"fields": ("full_name", "organisation", "language")}),
        ("Rechten", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Datums", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "organisation", "language")}),)
    filter_horizontal = ("groups",)
    readonly_fields = ["credential_status", "last_login", "date_joined"]
    actions = ["reset_credentials", "reset_second_factor"]

    @admin.display(description="Inloggegevens")
    def credential_status(self, obj: User) -> str:
        parts = [
            "wachtwoord ingesteld" if obj.has_usable_password() else "geen wachtwoord",
            "tweede factor gekoppeld"
            if user_has_device(obj, confirmed=True)
            else "geen tweede factor",
        ]
        code = CredentialCode.objects.filter(user=obj).first()
        if code is not None:
            parts.append(_code_state(code))
        return "; ".join(parts)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        return not lookup.startswith("password") and super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
            return super().get_form(request, obj, **kwargs)
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    # A functional admin manages field workers and team members, but must not be able to make
    # anyone (itself included) superuser, admin or privacy officer, nor take over such an
    # account: those roles read the access log and resident exports. The services enforce the
    # same; these only keep the choices off the form.
    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff"]
        return fields

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            allowed = set(ASSIGNABLE_ROLES)
            if not request.user.is_superuser:
                allowed -= PRIVILEGED_ROLES
            kwargs["queryset"] = Group.objects.filter(name__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and _is_privileged(obj):
            return obj.pk == request.user.pk and super().has_change_permission(request, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and _is_privileged(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        context = AccessContext.from_request(request)
        if not change:
            created = services.user_create(
                email=obj.email,
                full_name=obj.full_name,
                organisation=obj.organisation,
                language=obj.language,
                actor=request.user,
                context=context,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        # Profile fields are saved here; access fields only through the services (save_related).
        # The address is one: one-time codes go there (accounts.services.email_change).
        stored = User.objects.get(pk=obj.pk)
        wanted_email = obj.email
        for name in (*ACCESS_FIELDS, "email"):
            setattr(obj, name, getattr(stored, name))
        obj.save()
        if wanted_email != stored.email:
            services.user_email_change(
                user=obj, email=wanted_email, actor=request.user, context=context
            )
            obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            return
        context = AccessContext.from_request(request)
        user = form.instance
        services.user_access_set(
            user=user,
            roles=form.wanted_roles(),
            is_staff=form.wanted_flag("is_staff"),
            is_superuser=form.wanted_flag("is_superuser"),
            actor=request.user,
            context=context,
        )
        active = form.wanted_flag("is_active")
        if active and not user.is_active:
            services.user_reactivate(user=user, actor=request.user, context=context)
        elif not active and user.is_active:
            services.user_deactivate(user=user, actor=request.user, context=context)

    def response_add(self, request: HttpRequest, obj: User, post_url_continue: Any = None) -> Any:
        if IS_POPUP_VAR in request.POST:  # a popup must answer with its script; code later
            return super().response_add(request, obj, post_url_continue)
        try:
            notice = services.credentials_reset(
                user=obj,
                actor=request.user,
                context=AccessContext.from_request(request),
                purpose=CredentialCode.Purpose.ONBOARDING,
            )
        except DomainError as exc:
            self.message_user(request, f"{obj.email}: {exc.message()}", messages.ERROR)
            return super().response_add(request, obj, post_url_continue)
        return self._sent_page(request, [notice], title="Account aangemaakt")

    @admin.action(description="Inloggegevens resetten (eenmalige code)")
    def reset_credentials(self, request: HttpRequest, queryset: QuerySet[User]) -> Any:
        return self._reset(
            request,
            list(queryset),
            action="reset_credentials",
            reset=services.credentials_reset,
            confirm_title="Inloggegevens resetten?",
            done_title="Inloggegevens gereset",
        )

    @admin.action(description="Alleen de tweede factor resetten (eenmalige code)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> Any:
        return self._reset(
            request,
            list(queryset),
            action="reset_second_factor",
            reset=services.second_factor_reset,
            confirm_title="Tweede factor resetten?",
            done_title="Tweede factor gereset",
        )

    def _reset(
        self,
        request: HttpRequest,
        users: list[User],
        *,
        action: str,
        reset: Callable[..., services.CodeNotice],
        confirm_title: str,
        done_title: str,
    ) -> Any:
        """A confirmation page, then `reset` per user through its service (which refuses what
        separation of duties forbids, shown as a message), then the page saying where each
        one-time code was sent."""
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/accounts/user/reset_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": confirm_title,
                    "users": users,
                    "action": action,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        context = AccessContext.from_request(request)
        notices = []
        for user in users:
            try:
                notices.append(reset(user=user, actor=request.user, context=context))
            except DomainError as exc:
                self.message_user(request, f"{user.email}: {exc.message()}", messages.ERROR)
        if not notices:
            return None
        keeps_password = action == "reset_second_factor"
        return self._sent_page(request, notices, title=done_title, keeps_password=keeps_password)

    def _sent_page(
        self,
        request: HttpRequest,
        notices: list[services.CodeNotice],
        *,
        title: str,
        keeps_password: bool = False,
    ) -> HttpResponse:
        """Says that each one-time code is on its way to the account holder's (masked)
        address. The admin never sees a code: it is made by the sending task."""
        response = TemplateResponse(
            request,
            "admin/accounts/user/credential_codes_sent.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "notices": notices,
                "keeps_password": keeps_password,
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response


def _is_privileged(user: User) -> bool:
    return services.user_is_privileged(user)


def _code_state(code: CredentialCode) -> str:
    """Where a one-time code stands, for the admin: sent (when, to which masked address),
    on its way, or not sent. Never the code."""
    if code.expires_at <= timezone.now():
        return f"eenmalige code verlopen op {code.expires_at:%Y-%m-%d %H:%M}"
    until = f"geldig tot {code.expires_at:%Y-%m-%d %H:%M}"
    if code.sent_at is not None:
        to, sent = mask_email(code.user.email), f"{code.sent_at:%Y-%m-%d %H:%M}"
        return f"eenmalige code per e-mail verstuurd naar {to} op {sent}, {until}"
    if code.send_attempts >= CODE_SEND_MAX_ATTEMPTS:
        return "eenmalige code kon niet per e-mail worden verstuurd; reset opnieuw"
    return f"eenmalige code wordt per e-mail verstuurd naar {mask_email(code.user.email)}, {until}"
