"""The Django admin with our site class: listed in INSTALLED_APPS instead of
django.contrib.admin, so `admin.site` is a LoggedOTPAdminSite from the start and nothing has to
swap its class at import time (docs/adr/0010, docs/adr/0020)."""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.LoggedOTPAdminSite"
