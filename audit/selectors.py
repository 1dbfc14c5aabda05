"""Reads of the access log for operations (the officer's reads are privacy.selectors)."""

from audit.models import AccessLog
from backend.backlog import Backlog, backlog_of


def unsealed_backlog() -> Backlog:
    """Rows written but not yet sealed into the chain, and the oldest one's written time: the
    sealer's lag (docs/adr/0025). Reads the partial index `accesslog_unsealed_idx`; discloses
    nobody's data, so no access-log row."""
    return backlog_of(AccessLog.objects.filter(row_hash__isnull=True), "occurred_at")
