"""Writes for accounts, one module a job; import the services from here.

- `sessions`: login sessions and their tokens (open, refresh, logout, end all of a user's);
- `login`: the password step, a password re-check, completing a login;
- `oidc_login`: a login at an organisation's OpenID Provider, matched to an account (ADR 46);
- `second_factor`: TOTP enrolment, recovery codes, the TOTP login step;
- `credentials`: credential resets with a one-time code, choosing and changing a password;
- `credential_delivery`: e-mailing that code to the account holder (claimed, leased, swept);
- `second_factor_reset`: an admin resets the second factor alone, the password kept;
- `memberships`: team memberships and roles under the separation-of-duties rules, new users;
- `membership_requests`: a team role asked for by an admin, approved or refused by a second person;
- `users`: deactivating and reactivating an account;
- `email_change`: an account's address; changed by someone else, its team roles wait for approval;
- `lockout`: the callables django-axes is configured with (named in settings, not here).
"""

from accounts.services.credential_delivery import (
    CodeNotice,
    credential_code_deliver,
    credential_codes_requeue,
)
from accounts.services.credentials import (
    credentials_reset,
    credentials_reset_check,
    credentials_set,
    password_change,
    second_factor_remove,
)
from accounts.services.email_change import user_email_change
from accounts.services.login import login, login_complete, password_reverify
from accounts.services.membership_requests import (
    membership_decision_check,
    team_has_coordinator,
    team_membership_approve,
    team_membership_refuse,
    team_membership_request,
)
from accounts.services.memberships import (
    ASSIGNABLE_ROLES,
    PRIVILEGED_ROLES,
    TEAM_ROLES,
    team_membership_check,
    team_membership_remove,
    team_membership_set,
    user_access_check,
    user_access_set,
    user_create,
    user_has_team_role,
    user_is_privileged,
)
from accounts.services.oidc_login import oidc_identity_match, oidc_login
from accounts.services.second_factor import (
    TOTP_DEVICE_NAME,
    TotpConfirmation,
    TotpEnrolment,
    mfa_login_verify,
    recovery_codes_replace,
    totp_enrolment_begin,
    totp_enrolment_confirm,
)
from accounts.services.second_factor_reset import (
    second_factor_reset,
    second_factor_reset_check,
)
from accounts.services.sessions import (
    TokenPair,
    login_session_open,
    login_sessions_end,
    logout,
    token_refresh,
)
from accounts.services.users import (
    CHANGE_USER,
    user_deactivate,
    user_reactivate,
)

__all__ = [
    "ASSIGNABLE_ROLES",
    "CHANGE_USER",
    "PRIVILEGED_ROLES",
    "TEAM_ROLES",
    "TOTP_DEVICE_NAME",
    "CodeNotice",
    "TokenPair",
    "TotpConfirmation",
    "TotpEnrolment",
    "credential_code_deliver",
    "credential_codes_requeue",
    "credentials_reset",
    "credentials_reset_check",
    "credentials_set",
    "login",
    "login_complete",
    "login_session_open",
    "login_sessions_end",
    "logout",
    "membership_decision_check",
    "mfa_login_verify",
    "oidc_identity_match",
    "oidc_login",
    "password_change",
    "password_reverify",
    "recovery_codes_replace",
    "second_factor_remove",
    "second_factor_reset",
    "second_factor_reset_check",
    "team_has_coordinator",
    "team_membership_approve",
    "team_membership_check",
    "team_membership_refuse",
    "team_membership_remove",
    "team_membership_request",
    "team_membership_set",
    "token_refresh",
    "totp_enrolment_begin",
    "totp_enrolment_confirm",
    "user_access_check",
    "user_access_set",
    "user_create",
    "user_deactivate",
    "user_email_change",
    "user_has_team_role",
    "user_is_privileged",
    "user_reactivate",
]
