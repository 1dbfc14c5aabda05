"""The catalogue's query parameters, parsed at the edge (HackSoft's FilterSerializer) into the
typed initiatives.selectors.InitiativeFilter (docs/adr/0037)."""

from rest_framework import serializers

from backend.serializers import FilterSerializer, QueryBooleanField
from initiatives.models import ActivityKind
from initiatives.selectors import InitiativeFilter
from signals.models import TargetGroup


class InitiativeFilterInput(FilterSerializer):
    buurt = serializers.CharField(required=False, max_length=10)
    wijk = serializers.CharField(required=False, max_length=8)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices, required=False)
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    language = serializers.CharField(required=False, max_length=8)
    reason = serializers.CharField(required=False, max_length=48)
    accepting = QueryBooleanField(required=False)
    q = serializers.CharField(required=False, max_length=200)

    def to_filter(self) -> InitiativeFilter:
        data = self.validated_data
        return InitiativeFilter(
            buurt=data.get("buurt", ""),
            wijk=data.get("wijk", ""),
            target_group=data.get("target_group", ""),
            kind=data.get("kind", ""),
            language=data.get("language", ""),
            reason=data.get("reason", ""),
            accepting=data.get("accepting"),
            text=data.get("q", ""),
        )
