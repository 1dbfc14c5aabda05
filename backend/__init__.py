# Every entry point (manage.py, backend.wsgi, the Celery app) falls back to these settings when
# DJANGO_SETTINGS_MODULE is unset, so a worker and the web process cannot quietly disagree. They
# refuse to start without their environment; the demo and the tests name their own module.
DEFAULT_SETTINGS_MODULE = "backend.settings.production"

from backend.celery import app as celery_app  # noqa: E402 - needs the constant above

__all__ = ("DEFAULT_SETTINGS_MODULE", "celery_app")
