from typing import Any

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import admin_users  # noqa: F401  (registers the user admin)
from accounts.models import (
    AddressPoint,
    LoginSession,
    MappingVersion,
    MembershipRequest,
    Neighbourhood,
    Organisation,
    Team,
    TeamCoverage,
    TeamMembership,
)
from accounts.services import (
    team_membership_approve,
    team_membership_check,
    team_membership_refuse,
    team_membership_remove,
    team_membership_request,
)
from audit.context import AccessContext
from backend.errors import DomainError

# django-otp's device admins let a superuser create a device with a chosen key for anyone and
# show any device's secret as a QR code: choosing someone's credentials. Second factors are
# only enrolled by their owner and removed by "reset credentials" (docs/adr/0016).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MembershipFormSet(BaseInlineFormSet):
    """Shows the services' refusals (self-grant, privileged user) on the row that caused them."""

    actor: Any = None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            user = data.get("user")
            if user is None or data.get("DELETE") or not form.has_changed():
                continue
            try:
                team_membership_check(user=user, actor=self.actor)
            except DomainError as exc:
                form.add_error("user", exc.message())


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})


class CoverageInline(admin.TabularInline):
    model = TeamCoverage
    extra = 0
    autocomplete_fields = ["neighbourhood"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Not a GuardedModelAdmin: its object-permission pages let an admin grant anyone (itself
    included) permissions on a team. Access to data comes with a membership, through the
    service; the only object permissions are break-glass grants (docs/adr/0016)."""

    list_display = ["name", "organisation", "is_central", "is_active"]
    list_filter = ["is_central", "is_active"]
    search_fields = ["name"]
    inlines = [MembershipInline, CoverageInline]
    readonly_fields = ["pending_requests"]

    @admin.display(description="Aangevraagde teamrollen (nog zonder toegang)")
    def pending_requests(self, obj: Team) -> str:
        """Requested roles wait for a second person (docs/adr/0034): listed here, decided under
        "Aanvragen teamrol" or by the team's coordinator."""
        if obj.pk is None:
            return "-"
        pending = obj.membership_requests.filter(status=MembershipRequest.Status.PENDING)
        rows = [f"{r.user} ({r.get_role_display()})" for r in pending.select_related("user")]
        return "; ".join(rows) or "geen"

    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        _end_memberships(request, Team.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        _end_memberships(request, queryset)
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not TeamMembership:
            super().save_formset(request, form, formset, change)
            return
        # Through the services: they refuse what separation of duties forbids, keep the role
        # groups (the capabilities) in step with the memberships and log every change. A row
        # that adds access becomes a request a second person approves (docs/adr/0034).
        team, actor = form.instance, request.user
        context = AccessContext.from_request(request)
        memberships = formset.save(commit=False)
        for removed in formset.deleted_objects:
            team_membership_remove(team=team, user=removed.user, actor=actor, context=context)
        for membership, changed in formset.changed_objects:
            if "user" in changed:  # the row now names someone else: the old member leaves
                before = TeamMembership.objects.select_related("user").get(pk=membership.pk)
                team_membership_remove(team=team, user=before.user, actor=actor, context=context)
        for membership in memberships:
            pending = team_membership_request(
                team=team, user=membership.user, role=membership.role, actor=actor, context=context
            )
            if pending is not None:
                messages.info(
                    request,
                    f"{membership.user}: teamrol aangevraagd. Die geeft pas toegang als een "
                    "coördinator van het team (of, zonder coördinator, een tweede beheerder) hem "
                    "goedkeurt.",
                )


def _end_memberships(request: HttpRequest, teams: Any) -> None:
    """Deleting a team ends its memberships through the service first, so each is logged and
    the members lose the team role groups that came with it."""
    context = AccessContext.from_request(request)
    memberships = TeamMembership.objects.filter(team__in=teams).select_related("team", "user")
    for membership in memberships:
        team_membership_remove(
            team=membership.team, user=membership.user, actor=request.user, context=context
        )


@admin.register(MappingVersion)
class MappingVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "is_demo", "is_active", "imported_at", "source_name"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "wijk_code", "wijk_name", "municipality_code"]
    search_fields = ["code", "name", "wijk_name"]
    list_filter = ["municipality_code"]


@admin.register(AddressPoint)
class AddressPointAdmin(admin.ModelAdmin):
    list_display = ["postcode", "house_number", "neighbourhood", "mapping_version"]
    search_fields = ["postcode"]
    list_select_related = ["neighbourhood", "mapping_version"]
    raw_id_fields = ["neighbourhood"]


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin):
    """Read only: a revoked session must not be revived by clearing revoked_at."""

    list_display = ["id", "user", "created_at", "last_refreshed_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = [
        "id",
        "user",
        "created_at",
        "last_refreshed_at",
        "revoked_at",
        "revoked_reason",
        "user_agent",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    """Requested team roles. A second admin approves or refuses one here where the team has no
    coordinator; otherwise its coordinator decides in the workspace or the app. The services
    refuse the requester and the person themselves (docs/adr/0034). Read only otherwise."""

    list_display = ["user", "team", "role", "status", "requested_by", "created_at", "decided_by"]
    list_filter = ["status", "role", "team"]
    list_select_related = ["user", "team", "requested_by", "decided_by"]
    readonly_fields = [
        "team",
        "user",
        "role",
        "status",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Goedkeuren (als tweede persoon)", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, team_membership_approve, "goedgekeurd")

    @admin.action(description="Afwijzen (als tweede persoon)", permissions=["decide"])
    def refuse(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, team_membership_refuse, "afgewezen")

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.change_teammembership")

    def _decide(self, request: HttpRequest, queryset: Any, decide: Any, done: str) -> None:
        context = AccessContext.from_request(request)
        for pending in queryset.select_related("user", "team"):
            try:
                decide(request_id=pending.pk, actor=request.user, context=context)
            except (DomainError, MembershipRequest.DoesNotExist) as exc:
                reason = exc.message() if isinstance(exc, DomainError) else "niet gevonden"
                self.message_user(request, f"{pending}: {reason}", messages.ERROR)
                continue
            self.message_user(request, f"{pending.user} in {pending.team}: {done}.")
