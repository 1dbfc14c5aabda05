"""Issue 19 item 6: no task that nothing runs. Every task of the apps is started by the beat
schedule or named by code outside its own module (a service that enqueues it); a task only tests
call (as `signal_event_fan_out` was, docs/adr/0039) fails here."""

import re
import sys
from pathlib import Path

from django.conf import settings

from backend.celery import app

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "initiatives", "notifications", "outcomes", "privacy", "signals")


def _sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for package in (*APPS, "workspace", "backend")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_every_task_is_scheduled_or_enqueued_by_code():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = {name: task for name, task in app.tasks.items() if name.split(".", 1)[0] in APPS}
    assert "signals.route_signal" in ours  # the discovery found the apps' tasks
    sources = _sources()
    unreached = []
    for name, task in sorted(ours.items()):
        if name in scheduled:
            continue
        function = task.run.__name__
        home = Path(sys.modules[task.__module__].__file__).resolve()
        word = re.compile(rf"\b{re.escape(function)}\b")
        if not any(word.search(text) for path, text in sources.items() if path != home):
            unreached.append(name)
    assert unreached == []
