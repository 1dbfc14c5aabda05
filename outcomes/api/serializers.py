"""Input and output shapes of the outcomes API. No business logic here."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Language
from backend.serializers import DateTimeField, StrictSerializer
from outcomes.models import Phase
from outcomes.selectors import answers_of, score_of
from outcomes.services import MeasurementInput


class OptionOutput(serializers.Serializer):
    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_en = serializers.CharField()


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    subscale = serializers.CharField(source="subscale.code")
    text_nl = serializers.CharField()
    text_en = serializers.CharField()
    options = OptionOutput(many=True)


class SubscaleOutput(serializers.Serializer):
    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_en = serializers.CharField()


class BandOutput(SubscaleOutput):
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class InstrumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.CharField()
    name_nl = serializers.CharField()
    name_en = serializers.CharField()
    source = serializers.CharField()
    subscales = SubscaleOutput(many=True)
    items = ItemOutput(many=True)
    bands = BandOutput(many=True)


class AnswerInput(StrictSerializer):
    item = serializers.SlugField(max_length=32)
    option = serializers.SlugField(max_length=32)


class MeasurementCreateInput(StrictSerializer):
    """One phase: the answers the resident gave (an item left out is missing: no total), or
    `declined: true` when they did not want to answer."""

    phase = serializers.ChoiceField(choices=Phase.choices)
    declined = serializers.BooleanField(default=False)
    answers = AnswerInput(many=True, required=False, max_length=50)
    instrument_id = serializers.IntegerField(required=False, help_text="default: the current")
    language = serializers.ChoiceField(choices=Language.choices, default=Language.DUTCH)
    taken_at = DateTimeField(required=False, help_text="default: now")
    follow_up_on = serializers.DateField(
        required=False, help_text="baseline only: the follow-up date (default three months on)"
    )

    def validate_answers(self, value: list[dict[str, str]]) -> list[dict[str, str]]:
        items = [answer["item"] for answer in value]
        if len(items) != len(set(items)):
            raise serializers.ValidationError("Answer each item once.", code="repeated")
        return value

    def to_input(self) -> MeasurementInput:
        data = self.validated_data
        return MeasurementInput(
            phase=data["phase"],
            declined=data["declined"],
            answers={a["item"]: a["option"] for a in data.get("answers", [])},
            instrument_id=data.get("instrument_id"),
            language=data["language"],
            taken_at=data.get("taken_at"),
            follow_up_on=data.get("follow_up_on"),
        )


class InstrumentRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.CharField()


class ScoreOutput(serializers.Serializer):
    subscores = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)
    band = serializers.CharField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())


class AnswerOutput(serializers.Serializer):
    item = serializers.CharField()
    option = serializers.CharField()


class MeasurementOutput(serializers.Serializer):
    id = serializers.UUIDField()
    phase = serializers.CharField()
    instrument = InstrumentRefOutput()
    declined = serializers.BooleanField()
    answers = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    language = serializers.CharField()
    taken_at = DateTimeField()
    follow_up_due_at = DateTimeField(allow_null=True)
    recorded_at = DateTimeField()
    erased_at = DateTimeField(allow_null=True)

    @extend_schema_field(AnswerOutput(many=True))
    def get_answers(self, measurement: Any) -> list[dict[str, str]]:
        return [{"item": k, "option": v} for k, v in sorted(answers_of(measurement).items())]

    @extend_schema_field(ScoreOutput(allow_null=True))
    def get_score(self, measurement: Any) -> dict[str, Any] | None:
        result = score_of(measurement)
        return None if result is None else ScoreOutput(result).data
