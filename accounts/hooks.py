"""What accounts tells the layers above it, without importing them (docs/adr/0020).

Subscribers are registered in their AppConfig.ready and run inside the transaction that ended
the sessions: if one fails, the logout or deactivation rolls back with it."""

import uuid
from dataclasses import dataclass

from accounts.models import User
from backend.hooks import Hook


@dataclass(frozen=True)
class LoginSessionsEnded:
    """One login session of `user` ended (logout), or all of them (`login_session_id` None:
    a credential change, a second-factor change, a deactivation)."""

    user: User
    reason: str  # the LoginSession.revoked_reason written: logout, user_deactivated, ...
    login_session_id: uuid.UUID | None = None


login_sessions_ended = Hook[LoginSessionsEnded]("accounts.login_sessions_ended")
