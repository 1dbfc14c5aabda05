from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from guardian.admin import GuardedModelAdmin

from accounts.models import (
    AddressPoint,
    LoginSession,
    MappingVersion,
    Neighbourhood,
    Organisation,
    Team,
    TeamCoverage,
    TeamMembership,
    User,
)
from accounts.roles import Role
from accounts.services import team_membership_set


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "organisation"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profiel", {"fields": ("full_name", "organisation", "language")}),
        ("Rechten", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Datums", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)

    # A functional admin manages field workers and team members, but must not be able to make
    # anyone (itself included) superuser, admin or privacy officer, nor take over such an
    # account: those roles read the access log and resident exports.
    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "user_permissions"]
        return fields

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=PRIVILEGED_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and _is_privileged(obj):
            return obj.pk == request.user.pk and super().has_change_permission(request, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and _is_privileged(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        kept = []
        if change and not request.user.is_superuser:
            # The groups field hides privileged roles; saving must not strip them.
            kept = list(form.instance.groups.filter(name__in=PRIVILEGED_ROLES))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)


PRIVILEGED_ROLES = [Role.ADMIN.value, Role.PRIVACY_OFFICER.value]


def _is_privileged(user: User) -> bool:
    return user.is_superuser or user.groups.filter(name__in=PRIVILEGED_ROLES).exists()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


class CoverageInline(admin.TabularInline):
    model = TeamCoverage
    extra = 0
    autocomplete_fields = ["neighbourhood"]


@admin.register(Team)
class TeamAdmin(GuardedModelAdmin):
    list_display = ["name", "organisation", "is_central", "is_active"]
    list_filter = ["is_central", "is_active"]
    search_fields = ["name"]
    inlines = [MembershipInline, CoverageInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not TeamMembership:
            super().save_formset(request, form, formset, change)
            return
        # Through the service, so the member also gets the role group that carries the
        # capabilities (work the queue, coordinate).
        memberships = formset.save(commit=False)
        for removed in formset.deleted_objects:
            removed.delete()
        for membership in memberships:
            team_membership_set(team=form.instance, user=membership.user, role=membership.role)


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
    list_display = ["id", "user", "created_at", "last_refreshed_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["id", "user", "created_at", "last_refreshed_at", "user_agent"]
