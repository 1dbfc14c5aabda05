"""OpenAPI description of our JWT authentication (bearer token)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class SessionBoundJWTScheme(SimpleJWTScheme):
    target_class = "accounts.authentication.SessionBoundJWTAuthentication"
    name = "jwtAuth"
