from django.contrib import admin
from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.request import Request
from rest_framework.response import Response

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


class OpenApiJsonView(JsonErrorsMixin, SpectacularJSONAPIView):
    """The NL API Design Rules' /openapi.json (docs/adr/0043): the same public document as
    /api/schema/, as application/json, readable from any origin (it holds nothing per caller
    and the view reads no credentials)."""

    renderer_classes = [OpenApiJsonRenderer2]

    @extend_schema(exclude=False, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """This API's OpenAPI document, as JSON."""
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


api_v1 = [
    path("openapi.json", OpenApiJsonView.as_view(), name="openapi-json"),
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
