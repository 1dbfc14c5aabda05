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
