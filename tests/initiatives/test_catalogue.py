"""GET /api/v1/initiatives: filters, full-text search (PostgreSQL and the plain fallback),
cursor pages and ETag / If-None-Match."""

import pytest

from initiatives import search
from initiatives.models import Initiative
from initiatives.selectors import has_member
from tests.factories import NeighbourhoodFactory, UserFactory, member_of
from tests.initiatives.factories import make_initiative
from tests.signals.factories import team_with_coverage

pytestmark = pytest.mark.django_db
URL = "/api/v1/initiatives"


@pytest.fixture
def reader(client_for):
    return client_for(UserFactory(field_worker=True))


@pytest.fixture
def catalogue():
    buurt = NeighbourhoodFactory(code="BU03440610", wijk_code="WK034406")
    NeighbourhoodFactory(code="BU03440611", wijk_code="WK034406")
    return {
        "bus": make_initiative(
            name="Domstad Plusbus",
            description_nl="Uitjes met een busje voor ouderen.",
            kinds=["outing"],
            target_groups=["elderly_at_home"],
            reasons=("limited_mobility",),
        ),
        "taal": make_initiative(
            name="Taal doet meer",
            citywide=False,
            wijk_codes=["WK034406"],
            description_nl="Taalgroepen en wandelingen voor wie Nederlands oefent.",
            kinds=["language"],
            languages=["nl", "ar"],
            target_groups=["migrant_elderly"],
        ),
        "buurthuis": make_initiative(
            name="Buurthuis De Leeuw",
            citywide=False,
            buurt_codes=[buurt.code],
            kinds=["meeting_place"],
            accepting_new=False,
        ),
        "elders": make_initiative(name="Elders", citywide=False, buurt_codes=["BU03440310"]),
        "closed": make_initiative(name="Gesloten initiatief", is_active=False),
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_lists_active_initiatives_by_name(reader, catalogue) -> None:
    assert names(reader.get(URL)) == [
        "Buurthuis De Leeuw",
        "Domstad Plusbus",
        "Elders",
        "Taal doet meer",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"buurt": "BU03440610"}, ["Buurthuis De Leeuw", "Domstad Plusbus", "Taal doet meer"]),
        ({"buurt": "BU03440611"}, ["Domstad Plusbus", "Taal doet meer"]),
        ({"wijk": "WK034406"}, ["Buurthuis De Leeuw", "Domstad Plusbus", "Taal doet meer"]),
        ({"kind": "language"}, ["Taal doet meer"]),
        ({"target_group": "elderly_at_home"}, ["Domstad Plusbus"]),
        ({"language": "ar"}, ["Taal doet meer"]),
        ({"reason": "limited_mobility"}, ["Domstad Plusbus"]),
        ({"accepting": "false"}, ["Buurthuis De Leeuw"]),
        ({"kind": "language", "buurt": "BU03440310"}, []),
    ],
)
def test_filters(reader, catalogue, query, expected) -> None:
    assert names(reader.get(URL, query)) == expected


def test_unknown_filter_value_is_a_400(reader, catalogue) -> None:
    response = reader.get(URL, {"kind": "knitting"})
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert reader.get(URL, {"accepting": "maybe"}).status_code == 400


def test_postgres_search_uses_the_dutch_configuration(reader, catalogue) -> None:
    # "ouders" and "wandelen" match the stored "ouderen" and "wandelingen" only through
    # Dutch stemming (the plain fallback finds neither, below).
    assert names(reader.get(URL, {"q": "ouders"})) == ["Domstad Plusbus"]
    assert names(reader.get(URL, {"q": "wandelen"})) == ["Taal doet meer"]
    assert names(reader.get(URL, {"q": "busje ouderen"})) == ["Domstad Plusbus"]


def test_the_search_column_is_generated_and_indexed() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'initiatives_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_plain_fallback_matches_every_word_without_stemming(catalogue) -> None:
    rows = Initiative.objects.filter(is_active=True)
    found = search.full_text(rows, "busje OUDEREN", vendor="sqlite")
    assert [i.name for i in found] == ["Domstad Plusbus"]
    assert not search.full_text(rows, "ouders", vendor="sqlite").exists()
    assert not search.full_text(rows, "wandelen", vendor="sqlite").exists()
    assert [i.name for i in search.full_text(rows, "wandelingen", vendor="sqlite")] == [
        "Taal doet meer"
    ]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_list_membership_both_ways(catalogue, vendor) -> None:
    found = Initiative.objects.filter(has_member("languages", "ar", vendor=vendor))
    assert [i.name for i in found] == ["Taal doet meer"]
    # A code that is a prefix of another stored code does not match.
    assert not Initiative.objects.filter(has_member("languages", "a", vendor=vendor)).exists()


def test_cursor_pages(reader, catalogue) -> None:
    first = reader.get(URL, {"page_size": 2}).json()
    assert [r["name"] for r in first["results"]] == ["Buurthuis De Leeuw", "Domstad Plusbus"]
    second = reader.get(first["next"]).json()
    assert [r["name"] for r in second["results"]] == ["Elders", "Taal doet meer"]


def test_etag_and_if_none_match(reader, catalogue) -> None:
    first = reader.get(URL)
    etag = first["ETag"]
    again = reader.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    catalogue["bus"].accepting_new = False
    catalogue["bus"].save()
    changed = reader.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Another filter is another page with another tag.
    assert reader.get(URL, {"kind": "language"})["ETag"] != changed["ETag"]


def test_readable_by_field_workers_and_team_members_only(client_for, catalogue) -> None:
    team = team_with_coverage()
    assert client_for(member_of(team)).get(URL).status_code == 200
    assert client_for(UserFactory(privacy_officer=True)).get(URL).status_code == 403
    assert client_for(UserFactory(admin=True)).get(URL).status_code == 403


def test_never_shows_inactive(reader, catalogue) -> None:
    assert "Gesloten initiatief" not in names(reader.get(URL, {"q": "gesloten"}))
