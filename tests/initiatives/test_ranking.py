"""The pure scoring function on fixed cases; the expected order is written out."""

from initiatives.ranking import Need, Offer, rank, score

NEED = Need(
    buurt_code="BU03440610",
    wijk_code="WK034406",
    target_group="elderly_at_home",
    reasons=frozenset({"few_contacts", "limited_mobility"}),
    language="nl",
)


def offer(name: str, **fields) -> Offer:
    values = {
        "id": name,
        "name": name,
        "is_active": True,
        "citywide": False,
        "buurt_codes": frozenset(),
        "wijk_codes": frozenset(),
        "target_groups": frozenset(),
        "reasons": frozenset(),
        "languages": frozenset({"nl"}),
        "accepting_new": True,
        **fields,
    }
    return Offer(**values)


OFFERS = [
    offer(
        "Stadsbus",
        citywide=True,
        target_groups=frozenset({"elderly_at_home"}),
        reasons=frozenset({"limited_mobility"}),
        transport_offered=True,
    ),
    offer("Buurthuis", buurt_codes=frozenset({"BU03440610"})),
    offer(
        "Wijkkoor",
        wijk_codes=frozenset({"WK034406"}),
        target_groups=frozenset({"elderly_at_home"}),
        reasons=frozenset({"few_contacts", "limited_mobility"}),
    ),
    offer(
        "Vol",
        buurt_codes=frozenset({"BU03440610"}),
        target_groups=frozenset({"elderly_at_home"}),
        accepting_new=False,
    ),
    offer("Gesloten", citywide=True, is_active=False, target_groups=frozenset({"elderly_at_home"})),
    offer("Elders", buurt_codes=frozenset({"BU03440310"}), wijk_codes=frozenset({"WK034403"})),
    offer(
        "Engelstalig",
        citywide=True,
        languages=frozenset({"en"}),
        target_groups=frozenset({"elderly_at_home"}),
    ),
]


def test_fixed_case_order_is_as_written() -> None:
    ranked = rank(NEED, OFFERS)
    assert [(s.offer.name, s.score) for s in ranked] == [
        ("Wijkkoor", 20 + 20 + 30 + 10 + 10),  # wijk, group, two reasons, language, accepting
        ("Stadsbus", 10 + 20 + 15 + 10 + 10 + 3),
        ("Vol", 30 + 20 + 10),  # same buurt and group, but takes nobody new
        ("Buurthuis", 30 + 10 + 10),
        ("Engelstalig", 10 + 20 + 10),
    ]


def test_inactive_and_uncovered_never_appear() -> None:
    names = {s.offer.name for s in rank(NEED, OFFERS)}
    assert "Gesloten" not in names and "Elders" not in names


def test_each_item_explains_what_matched_and_what_did_not() -> None:
    item = score(NEED, OFFERS[0])
    assert item.matched == (
        "citywide",
        "target_group",
        "reasons",
        "language",
        "accepting_new",
        "transport_offered",
    )
    assert item.unmatched == ("step_free", "free")
    assert item.matched_reasons == ("limited_mobility",)


def test_coverage_counts_once_at_its_best_level() -> None:
    both = offer("Overal", citywide=True, buurt_codes=frozenset({"BU03440610"}))
    item = score(NEED, both)
    assert item.matched[0] == "same_buurt" and "citywide" not in item.matched


def test_ties_go_by_name_then_id() -> None:
    twins = [
        offer("b", id="2", citywide=True),
        offer("a", id="3", citywide=True),
        offer("a", id="1", citywide=True),
    ]
    assert [(s.offer.name, s.offer.id) for s in rank(NEED, twins)] == [
        ("a", "1"),
        ("a", "3"),
        ("b", "2"),
    ]


def test_no_language_asked_matches_any_language() -> None:
    need = Need("BU1", "WK1", "young_adult", frozenset(), "")
    assert "language" in score(need, offer("x", citywide=True, languages=frozenset())).matched
