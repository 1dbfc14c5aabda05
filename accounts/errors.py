from backend.errors import register

register(
    "invalid_credentials",
    401,
    nl="E-mailadres of wachtwoord klopt niet.",
    en="Email address or password is incorrect.",
)
register(
    "login_locked",
    429,
    nl="Te veel mislukte inlogpogingen. Probeer het later opnieuw.",
    en="Too many failed login attempts. Try again later.",
)
register(
    "session_revoked",
    401,
    nl="Deze sessie is beëindigd; log opnieuw in.",
    en="This session has ended; log in again.",
)

# Second factor (accounts.mfa, docs/adr/0010-second-factor.md).
register(
    "mfa_token_invalid",
    401,
    nl="Deze inlogstap is verlopen of ongeldig; log opnieuw in.",
    en="This login step has expired or is invalid; log in again.",
)
register(
    "mfa_code_invalid",
    401,
    nl="De code klopt niet of is al gebruikt.",
    en="The code is incorrect or has already been used.",
)
register(
    "mfa_required",
    401,
    nl="Voor jouw rol is een tweede factor nodig; log opnieuw in.",
    en="Your role needs a second factor; log in again.",
)
register(
    "mfa_enrolment_not_started",
    409,
    nl="Begin eerst met het koppelen van een authenticator-app.",
    en="Start linking an authenticator app first.",
)
register(
    "mfa_reverification_required",
    403,
    nl="Bevestig eerst met een code van je huidige authenticator-app of een herstelcode.",
    en="First confirm with a code from your current authenticator app or a recovery code.",
)
