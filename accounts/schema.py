"""OpenAPI description of our two ways in: a JWT bearer token, and a Django session cookie whose
second factor is verified."""

from typing import Any

from django.conf import settings
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionBoundJWTScheme(SimpleJWTScheme):
    target_class = "accounts.authentication.SessionBoundJWTAuthentication"
    name = "jwtAuth"


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.VerifiedSessionAuthentication"
    name = "verifiedSessionCookie"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A Django session whose second factor (TOTP) was verified at login; "
            "writes also need the CSRF token. A password-only session is not accepted.",
        }
