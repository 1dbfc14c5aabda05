"""A suggestion's criteria in words, in the page's language (docs/adr/0049): the labels are
declared with the criteria in initiatives.ranking; the resident's language is named by Django's
own language table ("spreekt Turks") and the matching reasons by their reason codes' labels."""

from collections.abc import Iterable

from backend.i18n import in_language, language_name
from initiatives.ranking import CRITERION_LABELS, SAME_REASONS, SPEAKS, Suggestion
from signals.models import ReasonCode


def reason_labels(codes: Iterable[str]) -> dict[str, str]:
    rows = ReasonCode.objects.filter(code__in=list(codes))
    return {row.code: in_language(row.label_nl, row.label_en) for row in rows}


def criterion_in_words(
    criterion: str, *, language: str = "", reasons: dict[str, str] | None = None
) -> str:
    if criterion == "language" and language_name(language):
        return str(SPEAKS % {"language": language_name(language)})
    if criterion == "reasons" and reasons:
        return str(SAME_REASONS % {"reasons": ", ".join(reasons.values()).lower()})
    return str(CRITERION_LABELS.get(criterion, criterion))


def suggestion_in_words(suggestion: Suggestion, *, language: str) -> tuple[list[str], list[str]]:
    """(what matched, what did not), each criterion in words."""
    reasons = reason_labels(suggestion.matched_reasons) if suggestion.matched_reasons else {}
    matched = [
        criterion_in_words(c, language=language, reasons=reasons) for c in suggestion.matched
    ]
    unmatched = [criterion_in_words(c, language=language) for c in suggestion.unmatched]
    return matched, unmatched
