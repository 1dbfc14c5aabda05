"""The validity of a login session, kept in Redis so an authenticated request does not read the
database (docs/adr/0047).

An entry holds what the session check needs: the user as loaded with their organisation, and
the session's start (the absolute lifetime is still checked on every request). It is valid only
together with the user's *generation*, a random token in its own key: the request reads both in
one round trip (MGET), and an entry written under another generation is a miss. Whatever can
end a session or change what the check compares (logout, a revoked or refreshed session, a
password, second factor, activation or credential change: a save of the user or of a login
session, and `login_sessions_end`) gives the user a new generation, before its transaction
commits and again after: no request can use an entry it filled from a database read that came
before the change. A missing generation (evicted, Redis emptied) is a fresh one, so a lost key
never revives an entry.

Redis gone or failing: every call here gives up quietly and the database answers, as before.
Entries expire after AUTH_SESSION_CACHE_SECONDS whatever happens, which bounds how long a change
that reaches neither the services nor a model save (a raw SQL UPDATE) can go unnoticed.
"""

import copy
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

_PREFIX = "auth:v1"


@dataclass(frozen=True)
class CachedSession:
    generation: str
    session_id: Any
    user: Any  # accounts.models.User with its organisation, without its password hash
    created_at: datetime


def _session_key(session_id: Any) -> str:
    return f"{_PREFIX}:session:{session_id}"


def _generation_key(user_id: Any) -> str:
    return f"{_PREFIX}:generation:{user_id}"


def cached_session(*, session_id: Any, user_id: Any) -> tuple[CachedSession | None, str | None]:
    """The cached entry if it is of the user's current generation, and that generation (None
    when Redis cannot be used: then nothing is to be cached either). One round trip."""
    try:
        values = cache.get_many([_session_key(session_id), _generation_key(user_id)])
        generation = values.get(_generation_key(user_id))
        if generation is None:
            cache.add(_generation_key(user_id), uuid.uuid4().hex, timeout=None)
            return None, cache.get(_generation_key(user_id))
    except Exception:
        logger.warning("session cache unavailable; checking the session in the database")
        return None, None
    entry = values.get(_session_key(session_id))
    if isinstance(entry, CachedSession) and entry.generation == generation:
        return entry, generation
    return None, generation


def session_cache_fill(
    *, session_id: Any, generation: str, user: Any, created_at: datetime
) -> None:
    """Keeps a session just found current in the database, under the generation read before
    that database read."""
    # The password hash stays out of Redis: in the cached copy it is a deferred field, which
    # Django loads from the database on the rare request that reads it.
    snapshot = copy.copy(user)
    snapshot.__dict__.pop("password", None)
    entry = CachedSession(
        generation=generation, session_id=session_id, user=snapshot, created_at=created_at
    )
    try:
        cache.set(_session_key(session_id), entry, timeout=settings.AUTH_SESSION_CACHE_SECONDS)
    except Exception:
        logger.warning("session cache unavailable; session not cached")


def _new_generation(user_id: Any) -> None:
    try:
        cache.set(_generation_key(user_id), uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.error(
            "session cache generation not renewed; cached sessions of this user expire within "
            "AUTH_SESSION_CACHE_SECONDS",
            extra={"user_id": str(user_id)},
        )


def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    session_cache_invalidate(user_id=instance.pk)


def _session_gone(sender: Any, instance: Any, **kwargs: Any) -> None:
    session_cache_invalidate(user_id=instance.user_id)


def connect() -> None:
    """Called by AccountsConfig.ready: any save or delete of a user (a password set and saved
    on whatever path, a deactivation, the admin's forms) and a deleted login session renew the
    user's generation. Cache upkeep only; no domain rule lives in these receivers."""
    from django.db.models.signals import post_delete, post_save

    from accounts.models import LoginSession, User

    post_save.connect(_user_changed, sender=User, dispatch_uid="accounts.session_cache.user")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="accounts.session_cache.user_del")
    post_delete.connect(
        _session_gone, sender=LoginSession, dispatch_uid="accounts.session_cache.session_del"
    )


def session_cache_invalidate(*, user_id: Any) -> None:
    """Every cached session of the user stops counting: now, and again once the current
    transaction commits (an entry filled in between, from the database as it was before the
    change, is then of an old generation too)."""
    _new_generation(user_id)
    transaction.on_commit(lambda: _new_generation(user_id))
