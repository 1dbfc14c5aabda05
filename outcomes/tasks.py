"""Celery tasks of the outcomes app: take ids (or nothing), call one service, idempotent."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from outcomes.stats import releases


@shared_task(
    name="outcomes.release_figures",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def release_figures() -> list[str]:
    """Beat task: releases the figures of every whole month not yet released (docs/adr/0031);
    a month already released is left alone, so running it twice changes nothing. Returns the
    months it released.

    Side effects: see outcomes.stats.releases.figure_release_create."""
    return [f"{made.period:%Y-%m}" for made in releases.figure_releases_create()]
