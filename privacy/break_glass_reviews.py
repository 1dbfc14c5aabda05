"""The privacy officer's review of break-glass openings (docs/adr/0014, 0048): the write that
marks one reviewed with a note, and the page's read of the openings with their reviews.

Both are access-logged here, in their own transaction (audit.disclosure.access_logged): the
review as a create, the list as an audit read (privacy.selectors.break_glass_review)."""

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.actors import require_capability
from accounts.models import User
from accounts.roles import VIEW_ACCESS_LOG
from audit.disclosure import Disclosure, access_logged
from audit.models import Action, Purpose
from backend.errors import DomainError
from privacy.models import BreakGlassReview
from privacy.selectors import AUTHORISATION_RULE
from signals.models import BreakGlassAccess

NOTE_MAX = 1000


def break_glass_review_record(*, actor: User, access_id: UUID | str, note: str) -> BreakGlassReview:
    """Marks one break-glass opening reviewed, with the officer's note (required, at most
    1000 characters). An opening is reviewed once (409 `break_glass_already_reviewed`).

    Side effects, in one transaction: a BreakGlassReview row; one AccessLog row (create,
    purpose audit, whose signal the opening was)."""
    require_capability(actor, VIEW_ACCESS_LOG)
    note = note.strip()
    if not note:
        raise DomainError("review_note_required")
    note = note[:NOTE_MAX]
    with access_logged(actor=actor) as log:
        access = (
            BreakGlassAccess.objects.select_for_update()
            .select_related("signal")
            .only("id", "signal__id", "signal__subject_id")
            .filter(pk=access_id)
            .first()
        )
        if access is None:
            raise DomainError("break_glass_not_found")
        if BreakGlassReview.objects.filter(access=access).exists():
            raise DomainError("break_glass_already_reviewed")
        try:
            with transaction.atomic():
                review = BreakGlassReview.objects.create(
                    access=access, reviewed_by=actor, reviewed_at=timezone.now(), note=note
                )
        except IntegrityError as exc:  # a second officer in the same instant
            raise DomainError("break_glass_already_reviewed") from exc
        log.add(
            Disclosure(
                action=Action.CREATE,
                purpose=Purpose.AUDIT,
                rule=AUTHORISATION_RULE,
                subject_id=access.signal.subject_id,
                object_type="privacy.breakglassreview",
                object_id=review.pk,
                details={"break_glass_access_id": str(access.pk)},
            )
        )
    return review


def reviews_of(openings: list[Any]) -> dict[Any, BreakGlassReview]:
    """The reviews of a page of openings, by opening id, with the reviewer (one query)."""
    rows = BreakGlassReview.objects.filter(access__in=[a.pk for a in openings]).select_related(
        "reviewed_by"
    )
    return {review.access_id: review for review in rows}
