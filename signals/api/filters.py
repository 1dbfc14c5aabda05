"""The queue's query parameters, parsed at the edge (HackSoft's FilterSerializer): the API view
validates them here and hands signals.selectors.queue_list a typed QueueFilter; the workspace's
queue page does the same with its form (workspace.forms.QueueFilterForm). Docs/adr/0037."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.serializers import FilterSerializer, QueryBooleanField
from signals.models import Status, TargetGroup, Urgency
from signals.selectors import QUEUE_ORDERINGS, Assigned, QueueFilter


class QueueFilterInput(FilterSerializer):
    status = serializers.MultipleChoiceField(choices=Status.choices, required=False)
    urgency = serializers.MultipleChoiceField(choices=Urgency.choices, required=False)
    target_group = serializers.MultipleChoiceField(choices=TargetGroup.choices, required=False)
    wijk = serializers.CharField(required=False, max_length=200)
    buurt = serializers.CharField(required=False, max_length=200)
    team = serializers.UUIDField(required=False)
    overdue = QueryBooleanField(required=False)
    assigned = serializers.ChoiceField(choices=[a.value for a in Assigned], required=False)
    ordering = serializers.CharField(required=False)

    def validate_ordering(self, value: str) -> str:
        if value not in QUEUE_ORDERINGS:
            raise serializers.ValidationError(
                _("Choose one of: {choices}.").format(choices=", ".join(QUEUE_ORDERINGS)),
                code="invalid_choice",
            )
        return value

    def to_filter(self) -> QueueFilter:
        data = self.validated_data
        assigned = data.get("assigned")
        return QueueFilter(
            statuses=frozenset(data.get("status", ())),
            urgencies=frozenset(data.get("urgency", ())),
            target_groups=frozenset(data.get("target_group", ())),
            wijk=data.get("wijk", ""),
            buurt=data.get("buurt", ""),
            team_id=data.get("team"),
            overdue=data.get("overdue"),
            assigned=Assigned(assigned) if assigned else None,
            ordering=data.get("ordering", "deadline"),
        )
