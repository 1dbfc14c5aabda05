from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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
