"""`manage.py check` warns about catalogue entries nobody verified for a while (admins see
the same list in the admin, filter "verification: not verified recently")."""

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def stale_initiatives(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    if not databases:  # only `check --database default`: a plain check touches no database
        return []
    from django.conf import settings

    from initiatives.selectors import initiatives_stale

    try:
        names = list(initiatives_stale().values_list("name", flat=True)[:20])
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Warning(
            f"{len(names)} initiative(s) not verified for {settings.INITIATIVE_VERIFY_AFTER_DAYS}"
            f" days: {', '.join(names)}",
            hint="Check them with the initiative and use the admin action 'Mark as verified "
            "today' (list filter 'verification').",
            id="initiatives.W001",
        )
    ]
