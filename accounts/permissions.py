"""DRF permission classes that check capabilities (permissions), never group names."""

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


def has_capability(permission: str) -> type[BasePermission]:
    class HasCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(permission))

    HasCapability.__name__ = f"Has_{permission.split('.')[-1]}"
    return HasCapability


def has_any_capability(*permissions: str) -> type[BasePermission]:
    class HasAnyCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            user = request.user
            return bool(
                user and user.is_authenticated and any(user.has_perm(p) for p in permissions)
            )

    return HasAnyCapability
