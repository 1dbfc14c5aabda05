"""Tests: real PostgreSQL and Redis at 127.0.0.1, overridable by DATABASE_URL / REDIS_URL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-5b8e2d1c9a7f4e6b3d0c")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/buurtsignaal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("LOG_FORMAT", "json")

from backend.settings.base import *  # noqa: F403
from backend.settings.base import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"login": "1000/min", "refresh": "1000/min"},
}
