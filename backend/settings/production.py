"""Production: everything from the environment, HTTPS only. `manage.py check --deploy` passes."""

from backend.settings.base import *  # noqa: F403
from backend.settings.base import env

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No default outside demo/test: a deployment states whether it pushes through FCM or only logs.
PUSH_GATEWAY = env.str("PUSH_GATEWAY")
# No default either: the e-mails to people whose pushes fail and the daily digests must reach
# them, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 (docs/adr/0028).
# `check --deploy` refuses a backend that delivers nowhere (notifications.checks).
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL")
