from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from backend import health
from backend.formats import JsonErrorsMixin

# Staff need a verified second factor for /admin/ (docs/adr/0010-second-factor.md): admin.site
# is accounts.admin_site.LoggedOTPAdminSite, chosen by the admin's AppConfig in INSTALLED_APPS.
# There is no other login page: DRF's password-only /api-auth/ is not mounted (docs/adr/0015).
# This module imports no app: their URLs are included by dotted name (docs/adr/0020).


# Under /api/ errors are JSON in the one shape (docs/adr/0017), the schema's and docs' too.
class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JsonErrorsMixin, SpectacularSwaggerView):
    pass


class RedocView(JsonErrorsMixin, SpectacularRedocView):
    pass


api_v1 = [
    path("", include("accounts.urls")),
    path("", include("signals.urls")),
    path("", include("initiatives.urls")),
    path("", include("notifications.urls")),
    path("", include("outcomes.urls")),
    path("", include("privacy.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Prometheus, behind a bearer token (docs/adr/0045).
    path("", include("operations.urls")),
    path("admin/", admin.site.urls),
    # The team workspace: server-rendered pages (docs/adr/0027).
    path("werkruimte/", include("workspace.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
]
