"""Shapes of the figures (GET /api/v1/stats). Every count may be null: suppressed."""

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.serializers import DateTimeField, StrictSerializer
from outcomes.api.serializers import InstrumentRefOutput
from outcomes.stats.charts import CHARTS
from outcomes.stats.labels import label
from outcomes.stats.release import TABLES
from outcomes.stats.tables import BUILDERS
from signals.models import TargetGroup

PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@extend_schema_field({"type": "string", "pattern": PERIOD.pattern})
class PeriodField(serializers.CharField):
    """A released month, `YYYY-MM`; without it the latest release."""

    default_error_messages = {"invalid": _("A month as YYYY-MM.")}

    def __init__(self) -> None:
        super().__init__(
            required=False, help_text="the released month, YYYY-MM (default: the latest release)"
        )

    def to_internal_value(self, data: Any) -> date:
        text = super().to_internal_value(data)
        if not PERIOD.fullmatch(text):
            self.fail("invalid")
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:  # year 0000, month 13: the pattern's shape, not a month
            self.fail("invalid")


class StatsQuery(StrictSerializer):
    """The month of a release, and at most one filter: a wijk (CBS code, or `unmapped`) or a
    target group."""

    period = PeriodField()
    wijk = serializers.RegexField(r"^(WK[0-9]{6}|unmapped)$", max_length=8, required=False)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices, required=False)


class TableQuery(StatsQuery):
    """One table by name, with the same filter as the figures."""

    name = serializers.ChoiceField(choices=sorted(BUILDERS), help_text="the table")


class ChartQuery(StrictSerializer):
    period = PeriodField()
    name = serializers.ChoiceField(choices=sorted(CHARTS), help_text="the chart")


class FigureOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.SerializerMethodField()
    count = serializers.IntegerField(allow_null=True, help_text="null: suppressed")
    suppressed = serializers.BooleanField()

    def get_label(self, figure: Any) -> str:
        return label(self.context["table"], figure.value, self.context["wijk_names"])


def _table_field(name: str) -> serializers.Field:
    return serializers.SerializerMethodField(help_text=f"counts per {name}")


class TablesOutput(serializers.Serializer):
    """One list per table; the filtered attribute's own table is left out."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: _TableField(name) for name in TABLES}


@extend_schema_field(FigureOutput(many=True, allow_null=True))
class _TableField(serializers.Field):
    def __init__(self, name: str) -> None:
        super().__init__(source="*", read_only=True, required=False)
        self.name = name

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, stats: Any) -> Any:
        figures = stats.tables.get(self.name)
        if figures is None:
            return None
        context = {"table": self.name, "wijk_names": stats.wijk_names}
        return FigureOutput(figures, many=True, context=context).data


class GridRowOutput(serializers.Serializer):
    wijk = serializers.CharField()
    month = serializers.CharField()
    signals = serializers.IntegerField(allow_null=True)
    connections = serializers.IntegerField(allow_null=True)


class TimeOutput(serializers.Serializer):
    median_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)


class TimesOutput(serializers.Serializer):
    acknowledgement = TimeOutput()
    first_contact = TimeOutput()


class SharesOutput(serializers.Serializer):
    connected = serializers.FloatField(allow_null=True)
    connected_to_initiative = serializers.FloatField(allow_null=True)
    connected_to_informal_network = serializers.FloatField(allow_null=True)


class PairedChangeOutput(serializers.Serializer):
    pairs = serializers.IntegerField(allow_null=True)
    mean_change = serializers.FloatField(
        allow_null=True, help_text="follow-up minus baseline total; negative: less lonely"
    )


class KindOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.SerializerMethodField()
    referrals = serializers.IntegerField(allow_null=True)
    first_meetings = serializers.IntegerField(allow_null=True)

    def get_label(self, figures: Any) -> str:
        return label("kind", figures.kind, {})


class StatsOutput(serializers.Serializer):
    period = serializers.CharField(help_text="the released month these figures are of")
    released = serializers.ListField(
        child=serializers.CharField(), help_text="every released month, oldest first"
    )
    threshold = serializers.IntegerField(help_text="counts under this are suppressed")
    up_to = DateTimeField(source="end", help_text="signals submitted in the month, before this")
    months = serializers.ListField(child=serializers.CharField())
    instrument = InstrumentRefOutput()
    filter = serializers.DictField(child=serializers.CharField())
    total = serializers.IntegerField(allow_null=True)
    tables = TablesOutput(source="*")
    grid = GridRowOutput(many=True, allow_null=True)
    times = TimesOutput()
    shares = SharesOutput()
    paired_change = PairedChangeOutput()
    referrals = KindOutput(
        many=True, allow_null=True, help_text="per kind of initiative; without a filter only"
    )


class TableOutput(serializers.Serializer):
    name = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(allow_null=True))
