"""Who is acting, said one way in every app (docs/adr/0039): a person (an active `User`) or
the system (a `SystemActor`: routing, escalation, retention, the demo loader, a command, a
test's setup). Never None: a forgotten actor is refused (403 permission_denied), not taken
for the system.

Every service checks its actor here first, as the signal services always did
(docs/adr/0022): `require_capability` where only a person may act, `require_capability_or_system`
where the system may act too (account and membership writes by the demo loader or a command),
`require_system` where only the system acts (routing, escalation). This module sits in
accounts, the lowest app that knows `User`, so every app above can use it."""

from dataclasses import dataclass
from typing import Any

from accounts.models import User
from backend.errors import DomainError


@dataclass(frozen=True)
class SystemActor:
    """The actor of work no person started; recorded on events and in the access log as no
    person, by its name as the role."""

    name: str

    def __str__(self) -> str:
        return f"system:{self.name}"


SYSTEM = SystemActor("system")
Actor = User | SystemActor


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def require_capability(actor: Any, *capabilities: str) -> User:
    """The actor as an active user holding one of `capabilities`, else 403 permission_denied
    (also for None and for the system)."""
    if not isinstance(actor, User) or not any(actor.has_perm(c) for c in capabilities):
        raise DomainError("permission_denied")
    return actor


def require_person(actor: Any) -> User:
    """The actor as a user, whatever their capabilities (the caller checks a narrower rule,
    such as a team's coordinator deciding a request); None and the system are refused (403)."""
    if not isinstance(actor, User):
        raise DomainError("permission_denied")
    return actor


def require_capability_or_system(actor: Any, *capabilities: str) -> Actor:
    """The system, or a person as `require_capability`; None is refused (403)."""
    if is_system(actor):
        return actor
    return require_capability(actor, *capabilities)


def require_system(actor: Any) -> SystemActor:
    """Work only the system does (routing, escalation); a person asking is refused (403)."""
    if not is_system(actor):
        raise DomainError("permission_denied")
    return actor


def person(actor: Actor) -> User | None:
    """The user behind `actor`, None for the system: what a row's `issued_by`, `requested_by`
    or event actor records."""
    return actor if isinstance(actor, User) else None
