"""The figures for the network: JSON, one table as JSON or CSV, and the two charts as SVG
(docs/adr/0030), each of a stored monthly release (`?period=YYYY-MM`, default the latest;
docs/adr/0031). For coordinators, privacy officers and admins (outcomes.view_statistics).
Every number comes from a stored release through outcomes.stats.selectors; these views only
shape it.
The figures hold no personal data, so reading them is not access-logged."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_capability
from audit.csv_export import csv_cell
from backend.formats import CsvRenderer, JsonErrorsMixin, SvgRenderer
from backend.schema import error_responses
from outcomes.api import stats_serializers as s
from outcomes.api.views import VIEW_STATISTICS
from outcomes.stats import charts, selectors, tables


def _query(request: Request, serializer: type[s.StrictSerializer]) -> dict[str, Any]:
    params = request.query_params.copy()
    params.pop("format", None)  # the renderer's, not a filter
    query = serializer(data=params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _stats(query: dict[str, Any]) -> selectors.Stats:
    filters = {k: v for k, v in query.items() if k not in ("name", "period")}
    return selectors.stats_get(filters=filters, period=query.get("period"))


# no_figures_released (404): no release of that month (or none yet); figures_month_open (409):
# the month asked for has not ended, so it cannot have a release.
RELEASE_ERRORS = error_responses(404, 409)


class _StatsApi(JsonErrorsMixin, APIView):
    permission_classes = [has_capability(VIEW_STATISTICS)]


class StatsApi(_StatsApi):
    """Anonymous figures of one released month (the latest, or `period`), small counts
    suppressed. Counts per wijk, month,
    target group, urgency, status and outcome; times to acknowledgement and first contact;
    shares closed as connected; the score distributions and the paired change; referrals per
    kind of initiative. Counts under the threshold, and those that would give them away, are
    null."""

    @extend_schema(parameters=[s.StatsQuery], responses={200: s.StatsOutput, **RELEASE_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(s.StatsOutput(_stats(_query(request, s.StatsQuery))).data)


def _csv(columns: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v if isinstance(v, int | float) else csv_cell(v)
                         for v in row])  # fmt: skip
    return out.getvalue()


class StatsTableApi(_StatsApi):
    """One table of the figures, as JSON or (`?format=csv`) CSV; suppressed counts are empty."""

    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[s.TableQuery],
        responses={
            (200, "application/json"): s.TableOutput,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            **RELEASE_ERRORS,
        },
    )
    def get(self, request: Request) -> Any:
        query = _query(request, s.TableQuery)
        name = query["name"]
        columns, rows = tables.table_of(_stats(query), name)
        if request.accepted_renderer.format == "csv":
            response = HttpResponse(_csv(columns, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="stats-{name}.csv"'
            return response
        return Response({"name": name, "columns": columns, "rows": rows})


class StatsChartApi(_StatsApi):
    """A chart of the figures as SVG: `signals-per-wijk-month` or `score-distribution`."""

    renderer_classes = [SvgRenderer, JSONRenderer]

    @extend_schema(
        parameters=[s.ChartQuery],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR),
            **RELEASE_ERRORS,
        },
    )
    def get(self, request: Request) -> Any:
        query = _query(request, s.ChartQuery)
        svg = charts.CHARTS[query["name"]](selectors.chart_stats_get(period=query.get("period")))
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
