"""Scoring of the De Jong Gierveld 6-item scale as its manual prescribes, on the seeded
instrument (the data migration) and the pure scoring function (docs/adr/0030).

Emotional items (emptiness, miss_people, rejected) count 1 for "yes" or "more or less"; social
items (rely_on, trust, close_to) count 1 for "no" or "more or less". Sub-scores 0-3, total
0-6; 0-1 not lonely, 2-4 moderately lonely, 5-6 severely lonely; a missing item: no total."""

import pytest

from outcomes.instruments import instrument_current, spec_of
from outcomes.scoring import UnknownAnswer, score

pytestmark = pytest.mark.django_db

EMOTIONAL = ("emptiness", "miss_people", "rejected")
SOCIAL = ("rely_on", "trust", "close_to")
Y, M, N = "yes", "more_or_less", "no"


def answers(emotional: tuple, social: tuple) -> dict[str, str]:
    given = dict(zip(EMOTIONAL, emotional, strict=True)) | dict(zip(SOCIAL, social, strict=True))
    return {item: option for item, option in given.items() if option is not None}


@pytest.fixture
def djg6():
    return spec_of(instrument_current("djg6"))


# (emotional answers, social answers, emotional score, social score, total, band)
CASES = [
    # the same answer everywhere
    ((N, N, N), (Y, Y, Y), 0, 0, 0, "not_lonely"),
    ((Y, Y, Y), (Y, Y, Y), 3, 0, 3, "moderately_lonely"),
    ((N, N, N), (N, N, N), 0, 3, 3, "moderately_lonely"),
    ((M, M, M), (M, M, M), 3, 3, 6, "severely_lonely"),
    ((Y, Y, Y), (N, N, N), 3, 3, 6, "severely_lonely"),
    # "more or less" counts on both subscales
    ((M, N, N), (Y, Y, Y), 1, 0, 1, "not_lonely"),
    ((N, N, N), (M, Y, Y), 0, 1, 1, "not_lonely"),
    # each sub-score on its own
    ((Y, N, N), (Y, Y, Y), 1, 0, 1, "not_lonely"),
    ((Y, Y, N), (Y, Y, Y), 2, 0, 2, "moderately_lonely"),
    ((N, N, N), (N, Y, Y), 0, 1, 1, "not_lonely"),
    ((N, N, N), (N, N, Y), 0, 2, 2, "moderately_lonely"),
    # the band edges: 1|2 and 4|5
    ((Y, N, N), (N, Y, Y), 1, 1, 2, "moderately_lonely"),
    ((Y, Y, N), (N, N, Y), 2, 2, 4, "moderately_lonely"),
    ((Y, Y, Y), (N, N, Y), 3, 2, 5, "severely_lonely"),
]


@pytest.mark.parametrize(("emotional", "social", "e", "s", "total", "band"), CASES)
def test_manual_scoring(djg6, emotional, social, e, s, total, band):
    result = score(djg6, answers(emotional, social))
    assert result.subscores == {"emotional": e, "social": s}
    assert result.total == total
    assert result.band == band
    assert result.missing == ()


def test_a_missing_emotional_item_leaves_no_emotional_score_and_no_total(djg6):
    result = score(djg6, answers((Y, None, Y), (N, N, N)))
    assert result.subscores == {"emotional": None, "social": 3}
    assert result.total is None
    assert result.band is None
    assert result.missing == ("miss_people",)


def test_a_missing_social_item_leaves_no_social_score_and_no_total(djg6):
    result = score(djg6, answers((N, N, N), (Y, None, None)))
    assert result.subscores == {"emotional": 0, "social": None}
    assert result.total is None
    assert result.missing == ("trust", "close_to")


def test_no_answers_no_scores(djg6):
    result = score(djg6, {})
    assert result.subscores == {"emotional": None, "social": None}
    assert result.total is None
    assert len(result.missing) == 6


def test_unknown_item_or_option_is_refused(djg6):
    with pytest.raises(UnknownAnswer):
        score(djg6, {"lonely": "yes"})
    with pytest.raises(UnknownAnswer):
        score(djg6, {"trust": "sometimes"})


def test_the_seeded_instrument_is_the_published_scale():
    instrument = instrument_current("djg6")
    items = list(instrument.items.order_by("position"))
    assert [item.text_nl for item in items] == [
        "Ik ervaar een leegte om me heen.",
        "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
        "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
        "Ik mis mensen om me heen.",
        "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
        "Vaak voel ik me in de steek gelaten.",
    ]
    assert [item.subscale.code for item in items] == [
        "emotional",
        "social",
        "social",
        "emotional",
        "social",
        "emotional",
    ]
    assert {o.label_nl for o in items[0].options.all()} == {"Ja", "Min of meer", "Nee"}
    assert "Research on Aging 28(5)" in instrument.source
    assert spec_of(instrument).max_total == 6
