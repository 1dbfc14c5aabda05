"""The demo a newcomer meets (issue 20, docs/adr/0049): `/` opens the workspace, the replayed
history sends nobody a push or an e-mail, the queue holds today's work (the replay's dates
follow today), and today's digest can be had at once (`manage.py send_team_digests`)."""

import importlib
import os
import sys
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from notifications.models import EmailNotice, Notification
from outcomes import demo as outcomes_demo
from signals.models import OPEN_FOR_TEAM, Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    from accounts import demo as accounts_demo
    from initiatives import demo as initiatives_demo
    from signals import demo as signals_demo

    settings.DEMO_DATA_ALLOWED = True
    accounts_demo.load()
    signals_demo.load()
    initiatives_demo.load()
    before = set(Signal.objects.values_list("pk", flat=True))
    outcomes_demo.load()
    return set(Signal.objects.values_list("pk", flat=True)) - before


def test_the_replay_tells_nobody_and_leaves_only_recent_work_open(demo):
    replayed = demo
    assert len(replayed) > 150
    assert not EmailNotice.objects.filter(object_id__in=replayed).exists()
    assert not Notification.objects.filter(object_id__in=replayed).exists()
    # The live demo signals (signals.demo) still notify their team as real work would.
    assert EmailNotice.objects.exclude(object_id__in=replayed).exists()
    now = timezone.now()
    rows = Signal.objects.filter(pk__in=replayed)
    assert rows.filter(created_at__gt=now - timedelta(days=7)).exists()  # this week's work
    assert not rows.filter(created_at__gt=now).exists()
    stale = rows.filter(
        status__in=OPEN_FOR_TEAM, created_at__lt=now - outcomes_demo.RECENT - timedelta(hours=1)
    )
    assert not stale.exists(), [(s.status, s.created_at) for s in stale]
    assert rows.filter(status__in=OPEN_FOR_TEAM).count() >= 5


def test_the_digest_can_be_sent_now(demo):
    out = StringIO()
    call_command("send_team_digests", stdout=out)
    digests = EmailNotice.objects.filter(reason=EmailNotice.Reason.DIGEST)
    assert digests.exists()
    assert f"{digests.count()} recorded" in out.getvalue()
    call_command("send_team_digests", stdout=StringIO())  # once a day, however often
    assert EmailNotice.objects.filter(reason=EmailNotice.Reason.DIGEST).count() == digests.count()


@override_settings(ROOT_URLCONF="backend.urls_demo")
def test_the_demo_root_opens_the_workspace(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/werkruimte/"
    assert client.get("/werkruimte/inloggen/").status_code == 200


def test_the_demo_settings_use_the_demo_urls():
    """Read in isolation: importing the demo settings sets environment defaults (its filesystem
    broker) that every Celery worker a later test starts would inherit."""
    with mock.patch.dict(os.environ):
        demo_settings = importlib.import_module("backend.settings.demo")
        sys.modules.pop("backend.settings.demo")
        root_urlconf = demo_settings.ROOT_URLCONF
    assert "CELERY_BROKER_URL" not in os.environ or not os.environ["CELERY_BROKER_URL"].startswith(
        "filesystem"
    )
    assert root_urlconf == "backend.urls_demo"
