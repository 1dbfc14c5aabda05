"""Who is acting and from where: the actor part of an access log row, built from a request."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from backend.request_context import client_address, current_origin, current_request_id

USER_AGENT_MAX = 255


def _clean_user_agent(value: str) -> str:
    printable = "".join(ch for ch in value if ch.isprintable())
    return printable[:USER_AGENT_MAX]


def remember_actor_roles(user: Any, group_names: Any) -> None:
    """Keeps the user's group names for the log rows of this request: a caller that read them
    already (accounts.backends, in the permission query) saves `actor_roles` its query."""
    roles = sorted(set(group_names))
    if user.is_superuser:
        roles.append("superuser")
    user._access_log_roles = roles


def actor_roles(user: Any) -> list[str]:
    """Role names for the log, cached on the user object for the rest of the request. Roles are
    the user's groups (docs/adr/0003): their names are the role codes, so this app needs no
    list of roles from accounts (docs/adr/0020)."""
    if getattr(user, "_access_log_roles", None) is None:
        remember_actor_roles(user, user.groups.values_list("name", flat=True))
    return list(user._access_log_roles)


@dataclass(frozen=True)
class AccessContext:
    actor_id: uuid.UUID | None = None
    actor_roles: list[str] = field(default_factory=list)
    actor_organisation_id: uuid.UUID | None = None
    client_address: str = ""
    user_agent: str = ""
    request_id: str = ""

    @classmethod
    def from_request(cls, request: Any, *, user: Any = None) -> "AccessContext":
        """Actor and origin of a Django or DRF request. Pass `user` when request.user is not
        (yet) the actor, e.g. during login, or must not trigger authentication."""
        http_request: HttpRequest = getattr(request, "_request", request)
        if user is None:
            user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        return cls(
            actor_id=user.pk if authenticated else None,
            actor_roles=actor_roles(user) if authenticated else [],
            actor_organisation_id=getattr(user, "organisation_id", None) if authenticated else None,
            client_address=client_address(http_request),
            user_agent=_clean_user_agent(http_request.headers.get("User-Agent", "")),
            request_id=_request_id(http_request),
        )

    @classmethod
    def current(cls, actor: Any) -> "AccessContext":
        """The actor, and the origin and id of the request (or task) in progress from
        backend.request_context, so no caller has to carry the request down to a service.
        An actor that is no authenticated user (a system actor: routing, retention) is logged
        with its name as its role."""
        if getattr(actor, "is_authenticated", False):
            origin = current_origin()
            request_id = current_request_id()
            return cls(
                actor_id=actor.pk,
                actor_roles=actor_roles(actor),
                actor_organisation_id=getattr(actor, "organisation_id", None),
                client_address=origin.client_address,
                user_agent=_clean_user_agent(origin.user_agent),
                request_id="" if request_id == "-" else request_id[:64],
            )
        return cls.system(role=str(getattr(actor, "name", None) or "system"))

    @classmethod
    def system(cls, *, role: str = "system") -> "AccessContext":
        """For work no person started (retention, Celery tasks)."""
        request_id = current_request_id()
        return cls(actor_roles=[role], request_id="" if request_id == "-" else request_id)


def _request_id(request: HttpRequest) -> str:
    value = getattr(request, "request_id", None) or current_request_id()
    return "" if value == "-" else str(value)[:64]
