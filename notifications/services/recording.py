"""Recording what already left (a push, an e-mail) survives a database restart: the second
transaction of a claimed delivery is retried in the task for about 7.5 s, because a claim left
unrecorded goes out again once its lease runs out (docs/adr/0023, 0036)."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

RECORD_PAUSES_SECONDS = (0.5, 1.0, 2.0, 4.0)


def record_with_retries(record: Callable[[], T], *, what: str) -> T:
    """Runs `record` (one transaction), again after each pause while the database is lost; the
    last try's error reaches the task, whose retry claims the same rows again."""
    for pause in RECORD_PAUSES_SECONDS:
        try:
            return record()
        except (OperationalError, InterfaceError):
            logger.warning("recording failed; trying again", extra={"what": what}, exc_info=True)
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            time.sleep(pause)
    return record()
