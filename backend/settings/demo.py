"""Local demo: SQLite, Celery over kombu's filesystem transport, no Redis needed.

Only this variant and the test variant carry default secrets; they must never reach production.
"""

import os
from pathlib import Path

from backend.settings._paths import BASE_DIR

# scripts/run-demo exports DEMO_VAR_DIR (default var/); tests point it at a temporary folder.
VAR_DIR = Path(os.environ.get("DEMO_VAR_DIR", BASE_DIR / "var")).resolve()
os.environ.setdefault("DJANGO_SECRET_KEY", "demo-only-not-secret-1f9c0e2b7a5d4c3e8f6a")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR_DIR / 'demo.sqlite3'}")
os.environ.setdefault("CELERY_BROKER_URL", "filesystem://")
os.environ.setdefault("LOG_FORMAT", "text")
# base64 of "demo-only-not-secret-key-32bytes"
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGVtby1vbmx5LW5vdC1zZWNyZXQta2V5LTMyYnl0ZXM=")

from backend.settings.base import *  # noqa: E402,F403
from backend.settings.base import DATABASES, env  # noqa: E402

# SQLite has no server-side connection to keep alive.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads and the worker write to one file. WAL lets readers go on while
    # one writes; IMMEDIATE takes the write lock when a transaction begins (a transaction that
    # read first cannot then fail to upgrade its lock), and the busy timeout makes a writer
    # wait its turn instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

ALLOWED_HOSTS = ["*"]

# The demo's figures come from a few hundred fictitious signals: the suppression floor, so
# that its charts show something (production keeps the default of 10).
STATS_SUPPRESSION_THRESHOLD = 5

# `manage.py load_demo_data` (accounts with a published password) runs here and in the tests only.
DEMO_DATA_ALLOWED = True

# No Redis in the demo: an in-process cache is enough for throttling on one machine; worker
# heartbeats cross processes, so they go to files.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "health": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "health"),
    },
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

_queue_dir = VAR_DIR / "celery" / "queue"
_processed_dir = VAR_DIR / "celery" / "processed"
# kombu's exchange-to-queue tables; without this option they land in ./control, wherever the
# process was started (they were once committed from the repository root).
_control_dir = VAR_DIR / "celery" / "control"
if env.str("CELERY_BROKER_URL").startswith("filesystem"):
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
    # The filesystem transport has no fanout exchange, so no remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False

# `/` goes to the workspace (docs/adr/0049).
ROOT_URLCONF = "backend.urls_demo"
