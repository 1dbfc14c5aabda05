"""Tests: real PostgreSQL and Redis at 127.0.0.1, overridable by DATABASE_URL / REDIS_URL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-5b8e2d1c9a7f4e6b3d0c")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/buurtsignaal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("LOG_FORMAT", "json")
os.environ.setdefault("METRICS_TOKEN", "test-only-metrics-token")
# base64 of "test-only-not-secret-key-32bytes"
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LW5vdC1zZWNyZXQta2V5LTMyYnl0ZXM=")

from backend.settings.base import *  # noqa: F403
from backend.settings.base import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
# The access log refuses TRUNCATE; transactional tests flush with TRUNCATE. The trigger lets a
# superuser through only with this setting on (privacy/migrations/0002_append_only.py).
if "postgresql" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["OPTIONS"]["options"] += " -c buurtsignaal.allow_access_log_truncate=on"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_DATA_ALLOWED = True  # only here and in backend.settings.demo
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    # High enough never to interfere; throttle tests lower one scope (tests/throttling.py).
    "DEFAULT_THROTTLE_RATES": {
        scope: "1000/min"
        for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # noqa: F405
    },
}
