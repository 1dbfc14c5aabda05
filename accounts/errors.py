from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "invalid_credentials", 401, pgettext_lazy("error", "Email address or password is incorrect.")
)
register(
    "login_locked", 429, pgettext_lazy("error", "Too many failed login attempts. Try again later.")
)
register(
    "logout_not_a_login_session",
    400,
    pgettext_lazy(
        "error",
        "This ends an app login session (token) only. Log a browser session out on its own site "
        "(admin: /admin/logout/).",
    ),
)
register("session_revoked", 401, pgettext_lazy("error", "This session has ended; log in again."))

# Second factor (accounts.mfa, docs/adr/0010-second-factor.md).
register(
    "mfa_token_invalid",
    401,
    pgettext_lazy("error", "This login step has expired or is invalid; log in again."),
)
register(
    "mfa_code_invalid",
    401,
    pgettext_lazy("error", "The code is incorrect or has already been used."),
)
register(
    "mfa_required", 401, pgettext_lazy("error", "Your role needs a second factor; log in again.")
)
register(
    "mfa_enrolment_not_started",
    409,
    pgettext_lazy("error", "Start linking an authenticator app first."),
)
register(
    "mfa_reverification_required",
    403,
    pgettext_lazy(
        "error", "First confirm with a code from your current authenticator app or a recovery code."
    ),
)
register(
    "password_reverification_failed",
    403,
    pgettext_lazy("error", "Confirm this with your password; the password given is incorrect."),
)

# Separation of duties (accounts.services.memberships, docs/adr/0016).
register(
    "membership_self_grant",
    403,
    pgettext_lazy("error", "You cannot give yourself a team role; ask another administrator."),
)
register(
    "team_role_for_privileged",
    409,
    pgettext_lazy("error", "Administrators, privacy officers and staff cannot hold a team role."),
)
register(
    "privileged_role_with_team",
    409,
    pgettext_lazy(
        "error",
        "Someone with a team role cannot become administrator, privacy officer or staff; end "
        "their team memberships first.",
    ),
)
register(
    "role_self_change",
    403,
    pgettext_lazy("error", "You cannot change your own roles; ask another administrator."),
)
register(
    "role_change_not_allowed",
    403,
    pgettext_lazy(
        "error",
        "Only a superuser grants or revokes the administrator and privacy officer roles or "
        "staff access.",
    ),
)
register(
    "role_via_membership",
    400,
    pgettext_lazy("error", "Team roles come with a team membership; add the person to a team."),
)

# Credential reset and the one-time code (accounts.services.credentials, docs/adr/0016).
register(
    "credential_reset_self",
    403,
    pgettext_lazy("error", "You cannot reset your own credentials; ask another administrator."),
)
register(
    "credential_reset_not_allowed",
    403,
    pgettext_lazy(
        "error",
        "Only a superuser resets the credentials of an administrator, privacy officer or "
        "superuser.",
    ),
)
register(
    "credential_reset_without_email",
    409,
    pgettext_lazy(
        "error",
        "This account has no e-mail address: the one-time code goes only by e-mail to the "
        "person themselves. Fill in the e-mail address first.",
    ),
)
register(
    "credential_code_invalid",
    400,
    pgettext_lazy(
        "error",
        "This code is incorrect, has been used already or does not belong to this email address.",
    ),
)
register(
    "credential_code_expired",
    400,
    pgettext_lazy("error", "This code has expired; ask an administrator for a new one."),
)
register(
    "password_invalid",
    400,
    pgettext_lazy("error", "This password does not meet the requirements (see details)."),
)
register(
    "second_factor_reset_without_password",
    409,
    pgettext_lazy("error", "This account has no password; reset its full credentials instead."),
)
register(
    "second_factor_code_required",
    403,
    pgettext_lazy(
        "error",
        "An administrator reset your second factor: give the one-time code you were e-mailed.",
    ),
)

# Memberships that give access to resident data take effect after a second person approves them
# (accounts.services.membership_requests, docs/adr/0034).
register(
    "membership_approval_required",
    409,
    pgettext_lazy(
        "error",
        "A team role takes effect only once a second person approves it; request it instead.",
    ),
)
register(
    "membership_request_not_pending",
    409,
    pgettext_lazy("error", "This request has been decided already."),
)
register(
    "membership_approval_by_requester",
    403,
    pgettext_lazy(
        "error", "Whoever requests a team role does not approve it; a second person decides."
    ),
)
register(
    "membership_approval_own", 403, pgettext_lazy("error", "You cannot approve your own team role.")
)
register(
    "membership_approval_not_allowed",
    403,
    pgettext_lazy(
        "error",
        "Only a coordinator of this team approves this, or a second administrator when the team "
        "has no coordinator.",
    ),
)

# Sign-in with an organisation's OpenID Provider (accounts.oidc, docs/adr/0046).
register(
    "oidc_provider_unknown",
    400,
    pgettext_lazy(
        "error",
        "No sign-in with your organisation is set up for this e-mail address.",
    ),
)
register(
    "oidc_provider_unavailable",
    503,
    pgettext_lazy(
        "error",
        "Your organisation's sign-in service cannot be reached now. Try again later.",
    ),
)
register(
    "oidc_token_invalid",
    401,
    pgettext_lazy(
        "error",
        "The sign-in at your organisation could not be verified; sign in again.",
    ),
)
register(
    "oidc_account_unknown",
    403,
    pgettext_lazy(
        "error",
        "No account belongs to this sign-in at your organisation. Ask the administrator for an "
        "account with your e-mail address.",
    ),
)
register(
    "local_login_disabled",
    403,
    pgettext_lazy(
        "error",
        "Logging in with a password is switched off for your role; sign in with your organisation.",
    ),
)
