"""The audit API for privacy officers: the access log (cursor-paginated list and CSV export)
and the review of break-glass openings.

Every query is itself logged as an audit_read row by the selector that reads it, in its own
transaction (docs/adr/0041): if that write fails, the officer gets an error, not the data.
"""

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_capability
from accounts.roles import VIEW_ACCESS_LOG
from audit.csv_export import csv_lines
from audit.models import AccessLog, AccessOutcome, Action
from backend.formats import JsonErrorsMixin
from backend.pagination import CursorPage
from backend.serializers import DateTimeField, StrictSerializer
from backend.throttling import ScopedThrottle
from privacy import selectors
from signals.api.serializers import BreakGlassOutput


class AccessLogFilterInput(StrictSerializer):
    subject = serializers.UUIDField(required=False, help_text="Pseudonymous subject id.")
    actor = serializers.UUIDField(required=False, help_text="User id of the actor.")
    action = serializers.ChoiceField(choices=Action.choices, required=False)
    outcome = serializers.ChoiceField(choices=AccessOutcome.choices, required=False)
    break_glass = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="true: only rows of break-glass openings and reads; false: none of those.",
    )
    object_type = serializers.CharField(
        required=False,
        max_length=64,
        help_text="What the row is about, e.g. `accounts.user` for membership, role, password "
        "and second-factor changes.",
    )
    object_id = serializers.CharField(
        required=False, max_length=64, help_text="Its id, e.g. the user id of the changed account."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # `from` is a Python keyword, so these cannot be class attributes.
        fields["from"] = DateTimeField(required=False, help_text="Inclusive.")
        fields["to"] = DateTimeField(required=False, help_text="Exclusive.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["from"] >= attrs["to"]:
            raise serializers.ValidationError(
                {"to": _("Must be after from.")}, code="invalid_period"
            )
        return attrs

    def to_filter(self) -> selectors.AccessLogFilter:
        data = self.validated_data
        return selectors.AccessLogFilter(
            subject_id=data.get("subject"),
            actor_id=data.get("actor"),
            action=data.get("action"),
            outcome=data.get("outcome"),
            break_glass=data.get("break_glass"),
            object_type=data.get("object_type"),
            object_id=data.get("object_id"),
            period_from=data.get("from"),
            period_to=data.get("to"),
        )


class AccessLogListQuery(AccessLogFilterInput):
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(
        required=False, min_value=1, help_text="Rows per page; more than 200 gives 200."
    )


class AccessLogExportQuery(AccessLogFilterInput):
    format = serializers.ChoiceField(choices=["csv"], required=False)


class AccessLogEntryOutput(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = [
            "sequence",
            "event_id",
            "occurred_at",
            "action",
            "outcome",
            "actor_id",
            "actor_roles",
            "actor_organisation_id",
            "client_address",
            "user_agent",
            "subject_id",
            "object_type",
            "object_id",
            "fields_touched",
            "purpose",
            "authorisation_rule",
            "consent_id",
            "request_id",
            "details",
        ]
        read_only_fields = fields

    occurred_at = DateTimeField(default_timezone=UTC)
    actor_roles = serializers.ListField(child=serializers.CharField())
    fields_touched = serializers.ListField(child=serializers.CharField())
    details = serializers.DictField()


class AccessLogPagination(CursorPage):
    ordering = ("-occurred_at", "-event_id")
    page_size = 50
    max_page_size = 200


def _filters(request: Request, query: type[AccessLogFilterInput]) -> selectors.AccessLogFilter:
    data = query(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.to_filter()


class AccessLogListApi(generics.ListAPIView):
    """The access log, newest first. The query itself is logged."""

    permission_classes = [has_capability(VIEW_ACCESS_LOG)]
    pagination_class = AccessLogPagination
    serializer_class = AccessLogEntryOutput
    queryset = AccessLog.objects.none()  # schema only; rows come from the selector

    @extend_schema(parameters=[AccessLogListQuery])
    def get(self, request: Request) -> Response:
        filters = _filters(request, AccessLogListQuery)
        page = selectors.access_log_search(
            actor=request.user, filters=filters, fmt="json", paginate=self.paginate_queryset
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


CSV_COLUMNS = AccessLogEntryOutput.Meta.fields
EXPORT_PAGE_SIZE = 2000


def _csv_lines(rows: Iterator[AccessLog]) -> Iterator[str]:
    return csv_lines(CSV_COLUMNS, ([getattr(row, name) for name in CSV_COLUMNS] for row in rows))


class CsvStreamRenderer(BaseRenderer):
    """Lets clients send `Accept: text/csv`. The rows stream past the renderers and errors are
    rendered as JSON (JsonErrorsMixin), so this renderer never renders anything itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return json.dumps(data).encode()


class AccessLogExportApi(JsonErrorsMixin, APIView):
    """The access log as CSV with the same filters. The export itself is logged. Exports are
    limited per user (EXPORT_THROTTLE_RATE, shared with the other exports)."""

    permission_classes = [has_capability(VIEW_ACCESS_LOG)]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "export"
    renderer_classes = [JSONRenderer, CsvStreamRenderer]

    @extend_schema(
        parameters=[AccessLogExportQuery],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        rows = selectors.access_log_export(
            actor=request.user,
            filters=_filters(request, AccessLogExportQuery),
            limit=settings.ACCESS_LOG_EXPORT_MAX_ROWS,
            page_size=EXPORT_PAGE_SIZE,
        )
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
        return response


# --- Break-glass review (docs/adr/0014) ------------------------------------------------------


class BreakGlassEntryOutput(BreakGlassOutput):
    """For the privacy officer: who opened which subject's signal, when and why."""

    user_id = serializers.UUIDField()
    user_organisation_id = serializers.UUIDField(source="user.organisation_id", allow_null=True)
    subject_id = serializers.UUIDField(source="signal.subject_id")
    reason = serializers.CharField()


class BreakGlassPagination(CursorPage):
    ordering = ("-opened_at", "id")
    page_size = 50
    max_page_size = 200


class BreakGlassListApi(APIView):
    """Privacy officer: every break-glass opening with its reason, newest first. The query is
    itself logged."""

    permission_classes = [has_capability(VIEW_ACCESS_LOG)]
    pagination_class = BreakGlassPagination

    @extend_schema(responses={200: BreakGlassEntryOutput(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = selectors.break_glass_openings(
            actor=request.user,
            paginate=lambda rows: paginator.paginate_queryset(rows, request, view=self),
        )
        return paginator.get_paginated_response(BreakGlassEntryOutput(page, many=True).data)
