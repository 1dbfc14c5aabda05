"""What a selector reports about a backlog for the metrics endpoint (docs/adr/0045): how many
rows wait, and since when the oldest has waited. Apps answer with it; `operations` renders it."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Min, QuerySet


class Backlog(NamedTuple):
    count: int
    oldest: datetime | None  # None when nothing waits


def backlog_of(queryset: QuerySet, since: str) -> Backlog:
    """One aggregate query: the rows of `queryset` and the smallest `since` among them."""
    row = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(since))
    return Backlog(count=row["count"], oldest=row["oldest"])
