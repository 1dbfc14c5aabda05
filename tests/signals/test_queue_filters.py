"""The queue's filters are parsed at the edge into one typed QueueFilter (issue 19, item 4): the
API's FilterSerializer and the workspace page's form turn the same query into the same filter,
the selector takes nothing else, and the page pages without a DRF request."""

import pytest
from django.http import QueryDict
from rest_framework import serializers

from accounts import selectors as account_selectors
from audit.models import AccessLog, Action
from backend.serializers import QueryBooleanField
from signals import selectors
from signals.api.filters import QueueFilterInput
from signals.models import Status
from signals.selectors import Assigned, QueueFilter
from tests.signals.factories import make_signal
from tests.workspace.helpers import two_teams, workspace_login
from workspace.forms import QueueFilterForm
from workspace.views_signals import QUEUE_PAGE_SIZE

pytestmark = pytest.mark.django_db
QUEUE = "/werkruimte/wachtrij/"


def from_api(query: str) -> QueueFilter:
    parsed = QueueFilterInput(data=QueryDict(query))
    assert parsed.is_valid(), parsed.errors
    return parsed.to_filter()


def from_page(query: str) -> QueueFilter:
    form = QueueFilterForm(QueryDict(query), neighbourhoods=account_selectors.neighbourhood_names())
    assert form.is_valid(), form.errors
    return form.to_filter()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=routed&status=acknowledged&urgency=urgent&target_group=young_adult",
        "overdue=true&assigned=me&ordering=newest",
        "overdue=false&assigned=none&ordering=deadline",
        "wijk=&buurt=&overdue=&assigned=&ordering=",  # the form's empty choices
    ],
)
def test_the_api_and_the_page_parse_a_query_into_the_same_filter(query):
    assert from_api(query) == from_page(query)


def test_the_filter_is_typed():
    parsed = from_api("status=routed&overdue=1&assigned=none&team=" + "0" * 32)
    assert parsed.statuses == frozenset({Status.ROUTED})
    assert parsed.overdue is True
    assert parsed.assigned is Assigned.NOBODY
    assert parsed.team_id is not None and parsed.team_id.int == 0
    assert parsed.order_by == ("due_at", "id")


def test_the_selector_takes_a_typed_filter_and_no_query_parameters():
    world = two_teams()
    mine = selectors.queue_list(user=world.member, filters=QueueFilter(assigned=Assigned.ME))
    assert list(mine) == []
    nobody = selectors.queue_list(user=world.member, filters=QueueFilter(assigned=Assigned.NOBODY))
    assert [s.pk for s in nobody] == [world.signal.pk]
    with pytest.raises(AttributeError):
        selectors.queue_list(user=world.member, filters=QueryDict("assigned=me"))


@pytest.mark.parametrize("value", ["yes", "on", "t", "maybe"])
def test_a_yes_or_no_parameter_is_true_false_1_or_0_only(value):
    with pytest.raises(serializers.ValidationError):
        QueryBooleanField().run_validation(value)


def test_the_page_pages_with_its_filters_and_logs_each_page(client):
    world = two_teams()
    for _ in range(QUEUE_PAGE_SIZE):
        make_signal(state=Status.ROUTED)
    workspace_login(client, world.member)

    first = client.get(QUEUE, {"status": "routed", "ordering": "newest"})
    assert first.status_code == 200
    assert len(first.context["rows"]) == QUEUE_PAGE_SIZE
    assert first.context["previous_link"] is None
    link = first.context["next_link"]
    assert "status=routed" in link and "ordering=newest" in link and "page=2" in link
    second = client.get(QUEUE + link)
    rows = [r.pk for r in first.context["rows"]] + [r.pk for r in second.context["rows"]]
    assert len(rows) == len(set(rows)) == QUEUE_PAGE_SIZE + 1
    assert second.context["next_link"] is None
    lists = AccessLog.objects.filter(action=Action.LIST, actor_id=world.member.pk)
    assert lists.count() == 2


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "De filters zijn ongeldig."), ("en", "The filters are invalid.")],
)
def test_invalid_page_filters_say_so_in_words_and_list_nothing(client, language, message):
    world = two_teams()
    workspace_login(client, world.member)
    client.cookies["django_language"] = language

    response = client.get(QUEUE, {"overdue": "maybe"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert message in response.content.decode()
    assert not AccessLog.objects.filter(action=Action.LIST, actor_id=world.member.pk).exists()
