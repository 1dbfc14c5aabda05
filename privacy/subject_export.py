"""The Art. 15 export as the API and the workspace hand it out (docs/adr/0048): read through
`rights_selectors.subject_export`, serialized and, for a PDF, laid out in the resident's
language (never the officer's), and access-logged in the transaction that builds it (fail
closed). One function, so the API and the page cannot disagree."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from accounts.models import User
from audit.disclosure import access_logged
from privacy import rights_selectors
from privacy.export_pdf import subject_export_pdf
from privacy.rights_serializers import SubjectExportOutput


@dataclass(frozen=True)
class RenderedExport:
    subject_id: UUID
    data: dict[str, Any]
    pdf: bytes | None
    language: str

    @property
    def filename(self) -> str:
        return f"inzage-{self.subject_id}.{'pdf' if self.pdf is not None else 'json'}"


def day_start(day: date | None) -> datetime | None:
    """Midnight at the start of `day` in local time (Europe/Amsterdam), as an aware moment."""
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def day_after(day: date | None) -> datetime | None:
    """Midnight at the end of `day` in local time: the exclusive end of a period to `day`."""
    return day_start(day + timedelta(days=1)) if day else None


def subject_export_render(
    *,
    actor: User,
    subject_id: UUID | str,
    subject_request_id: UUID | str | None,
    fmt: str,
    include_staff: bool = False,
    day_from: date | None = None,
    day_to: date | None = None,
) -> RenderedExport:
    """The resident's export as data (JSON) or a PDF (`fmt="pdf"`), in the resident's
    language, with who looked at their data from `day_from` to `day_to` (inclusive days,
    local time). Refused as `subject_export` refuses.

    Side effects: one AccessLog row (export) in the transaction that reads the data."""
    with access_logged(actor=actor) as log:
        export = rights_selectors.subject_export(
            subject_id=subject_id,
            subject_request_id=subject_request_id,
            period_from=day_start(day_from),
            period_to=day_after(day_to),
        )
        language = rights_selectors.export_language(export)
        with translation.override(language):
            context = {"include_staff": include_staff}
            data = SubjectExportOutput(export, context=context).data
            pdf = subject_export_pdf(data) if fmt == "pdf" else None
        log.add(
            rights_selectors.subject_export_disclosure(export),
            format=fmt,
            include_staff=include_staff,
        )
    return RenderedExport(subject_id=export.subject_id, data=data, pdf=pdf, language=language)
