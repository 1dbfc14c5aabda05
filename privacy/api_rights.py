"""Data-subject rights and registers for privacy officers (capability handle_privacy_requests):
the Art. 15 export (JSON or PDF), erasure (Art. 17), restriction and its lifting (Art. 18),
request tracking, the consent register (JSON or CSV) and the Art. 30 processing register (JSON or
Markdown). Thin views: validate, call one service or selector, serialize. Reads of personal data
are access-logged in the transaction that builds the response (fail closed)."""

from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_capability
from accounts.roles import HANDLE_PRIVACY_REQUESTS
from backend.formats import CsvRenderer, JsonErrorsMixin, MarkdownRenderer, PdfRenderer
from backend.pagination import CursorPage
from backend.schema import error_responses
from backend.throttling import ScopedThrottle
from privacy import registers, rights_selectors, subject_rights
from privacy import rights_serializers as s
from privacy.subject_export import subject_export_render

CanHandleRequests = has_capability(HANDLE_PRIVACY_REQUESTS)
SUBJECT_ID = OpenApiParameter(
    "subject_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Pseudonymous subject id."
)
REQUEST_ID = OpenApiParameter("request_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class _PrivacyApi(JsonErrorsMixin, APIView):
    """Errors are JSON even when a file format was asked for (no-store: backend.cache_control)."""

    permission_classes = [CanHandleRequests]
    renderer_classes = [JSONRenderer]


def _query(serializer_class: type, request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


# --- Art. 15 export ---------------------------------------------------------------------------


class SubjectExportApi(_PrivacyApi):
    """Art. 15 export for the resident's open access request named in `?request=`.

    Everything held about one resident, what for, with whom shared, until when, and who
    accessed it. Refused without an open access request of that resident; the export does not
    close it: close it once the export was sent. `?format=pdf` gives a readable PDF. The export
    itself is logged. Exports are limited per user (EXPORT_THROTTLE_RATE, shared with the other
    exports)."""

    renderer_classes = [JSONRenderer, PdfRenderer]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "export"

    @extend_schema(
        parameters=[SUBJECT_ID, s.SubjectExportQuery],
        responses={
            (200, "application/json"): s.SubjectExportOutput,
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, subject_id: Any) -> HttpResponse:
        query = _query(s.SubjectExportQuery, request)
        rendered = subject_export_render(
            actor=request.user,
            subject_id=subject_id,
            subject_request_id=query["request"],
            fmt=request.accepted_renderer.format,
            include_staff=query["include_staff"],
            day_from=query.get("from"),
            day_to=query.get("to"),
        )
        if rendered.pdf is None:
            return Response(rendered.data)
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        return response


# --- Art. 17 and 18 actions -------------------------------------------------------------------


class _SubjectActionApi(_PrivacyApi):
    service: Any = None

    @extend_schema(
        parameters=[SUBJECT_ID],
        request=s.SubjectActionInput,
        responses={200: s.SubjectRequestOutput},
    )
    def post(self, request: Request, subject_id: Any) -> Response:
        data = s.SubjectActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        subject_request = type(self).service(
            actor=request.user,
            subject_id=subject_id,
            reason=data.validated_data["reason"],
            subject_request_id=data.validated_data["request"],
            note=data.validated_data.get("note", ""),
        )
        return Response(s.SubjectRequestOutput(subject_request).data)


class SubjectErasureApi(_SubjectActionApi):
    """Erase the resident's personal data in every signal (Art. 17); a signal still being
    worked on has its consent withdrawn. Carries out and completes the resident's open
    erasure request named in `request`; without one nothing happens."""

    service = staticmethod(subject_rights.subject_erase)


class SubjectRestrictionApi(_SubjectActionApi):
    """Restrict processing (Art. 18): team operations get 423, routing and retention pause.
    Carries out and completes the resident's open restriction request named in `request`."""

    service = staticmethod(subject_rights.subject_restrict)


class SubjectRestrictionLiftApi(_SubjectActionApi):
    """Lift the restriction (Art. 18(3): tell the resident first). Carries out and completes
    the resident's open restriction_lift request named in `request`."""

    service = staticmethod(subject_rights.subject_restriction_lift)


# --- request tracking -------------------------------------------------------------------------


class SubjectRequestPagination(CursorPage):
    ordering = ("due_at", "id")
    page_size = 50
    max_page_size = 200


class SubjectRequestListApi(_PrivacyApi):
    """Requests with their one-month due date, soonest first (`overdue=true`: open and late);
    POST registers one received by letter, phone or in person."""

    pagination_class = SubjectRequestPagination

    @extend_schema(
        parameters=[s.SubjectRequestFilterInput],
        responses={200: s.SubjectRequestOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        """Registered requests, soonest due first (`overdue=true`: open and past the due date)."""
        filters = _query(s.SubjectRequestFilterInput, request)
        now = timezone.now()
        paginator = self.pagination_class()
        found = rights_selectors.subject_request_page(
            actor=request.user,
            filters=filters,
            now=now,
            paginate=lambda rows: paginator.paginate_queryset(rows, request, view=self),
        )
        context = {"now": now, "recipients": found.recipients}
        data = s.SubjectRequestOutput(found.rows, many=True, context=context).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=s.SubjectRequestCreateInput,
        responses={201: s.SubjectRequestOutput, **error_responses(404)},  # unknown_subject
    )
    def post(self, request: Request) -> Response:
        """Register a request received by letter, phone or in person; due in one month."""
        data = s.SubjectRequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        subject_request = subject_rights.subject_request_register(
            actor=request.user, **data.validated_data
        )
        return Response(s.SubjectRequestOutput(subject_request).data, status=201)


class SubjectRequestCloseApi(_PrivacyApi):
    """Close an open request: completed (e.g. the export was sent) or refused with reasons.
    Erasure and restriction requests are completed by their action."""

    @extend_schema(
        parameters=[REQUEST_ID],
        request=s.SubjectRequestCloseInput,
        responses={200: s.SubjectRequestOutput},
    )
    def post(self, request: Request, request_id: Any) -> Response:
        data = s.SubjectRequestCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        subject_request = subject_rights.subject_request_close(
            actor=request.user,
            subject_request_id=request_id,
            status=data.validated_data["status"],
            outcome_note=data.validated_data.get("outcome_note", ""),
        )
        return Response(s.SubjectRequestOutput(subject_request).data)


# --- registers --------------------------------------------------------------------------------


class ConsentRegisterPagination(CursorPage):
    ordering = ("-recorded_at", "-id")
    page_size = 100
    max_page_size = 500


class ConsentRegisterApi(_PrivacyApi):
    """Every consent record: ids, dates, method, purposes, recipients, text version and hash,
    recording organisation, withdrawal date. No names or contact data. `?format=csv` streams
    all rows. The read is logged. The CSV counts as an export (EXPORT_THROTTLE_RATE)."""

    renderer_classes = [JSONRenderer, CsvRenderer]
    pagination_class = ConsentRegisterPagination
    throttle_classes = [ScopedThrottle]
    throttle_scope = "export"

    def throttle_applies(self, request: Request) -> bool:
        return request.accepted_renderer.format == "csv"

    @extend_schema(
        parameters=[s.ConsentRegisterQuery],
        responses={
            (200, "application/json"): s.ConsentRegisterEntryOutput(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    def get(self, request: Request) -> Any:
        _query(s.ConsentRegisterQuery, request)
        fmt = request.accepted_renderer.format
        paginator = self.pagination_class()
        if fmt != "csv":
            page = registers.consent_register_read(
                actor=request.user,
                fmt=fmt,
                paginate=lambda rows: paginator.paginate_queryset(rows, request, view=self),
            )
            entries = [registers.consent_register_entry(consent) for consent in page]
            return paginator.get_paginated_response(
                s.ConsentRegisterEntryOutput(entries, many=True).data
            )
        rows = registers.consent_register_read(actor=request.user, fmt=fmt, paginate=lambda q: q)
        entries = (registers.consent_register_entry(c) for c in rows.iterator(chunk_size=1000))
        response = StreamingHttpResponse(
            registers.csv_lines(registers.CONSENT_REGISTER_COLUMNS, entries),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="consent-register.csv"'
        return response


class ProcessingRegisterApi(_PrivacyApi):
    """The Art. 30 register of processing activities, generated from the code and settings
    (personal and encrypted fields, retention policy, push payload, security settings).
    `?format=md` gives Markdown. Holds no personal data."""

    renderer_classes = [JSONRenderer, MarkdownRenderer]

    @extend_schema(
        parameters=[s.ProcessingRegisterQuery],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    def get(self, request: Request) -> Any:
        _query(s.ProcessingRegisterQuery, request)
        register = registers.processing_register()
        if request.accepted_renderer.format == "md":
            return HttpResponse(
                registers.processing_register_markdown(register),
                content_type="text/markdown; charset=utf-8",
            )
        return Response(register)
