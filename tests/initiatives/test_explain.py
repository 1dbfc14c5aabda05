"""A suggestion's criteria in words in both languages (issue 20, docs/adr/0049)."""

import pytest
from django.utils import translation

from initiatives.explain import suggestion_in_words
from initiatives.ranking import Need, Offer, score

pytestmark = pytest.mark.django_db

NEED = Need("BU1", "WK1", "migrant_elderly", frozenset({"language_barrier"}), "tr")
OFFER = Offer(
    id="1",
    name="Taal doet meer",
    is_active=True,
    citywide=False,
    buurt_codes=frozenset(),
    wijk_codes=frozenset({"WK1"}),
    target_groups=frozenset({"migrant_elderly"}),
    reasons=frozenset({"language_barrier"}),
    languages=frozenset({"tr"}),
    accepting_new=True,
)


@pytest.mark.parametrize(
    ("language", "expected", "not_matched"),
    [
        ("nl", ["zelfde wijk", "voor deze doelgroep", "spreekt Turks"], ["drempelvrij", "gratis"]),
        ("en", ["same wijk", "for this target group", "speaks Turkish"], ["step-free access"]),
    ],
)
def test_a_suggestion_says_why_in_words(language, expected, not_matched):
    suggestion = score(NEED, OFFER)
    with translation.override(language):
        matched, unmatched = suggestion_in_words(suggestion, language="tr")
    assert set(expected) <= set(matched), matched
    assert set(not_matched) <= set(unmatched), unmatched
    assert not any("_" in words for words in matched + unmatched), (matched, unmatched)
    reasons = next(words for words in matched if ":" in words)
    assert "language_barrier" not in reasons, reasons


def test_an_unknown_language_is_said_without_its_code():
    suggestion = score(NEED, OFFER)
    with translation.override("nl"):
        matched, _ = suggestion_in_words(suggestion, language="xx")
    assert "spreekt de taal van de bewoner" in matched
