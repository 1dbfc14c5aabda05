"""Thin views: validate input, call one service or selector, serialize the output.

The selector or service a view calls writes the access-log row of what it disclosed or changed,
in its own transaction (docs/adr/0014, 0041): no view assembles one. Who
may do what is the services' business (signals.access): the views check capabilities only to
answer early."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_any_capability, has_capability
from accounts.roles import HANDLE_PRIVACY_REQUESTS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE
from backend.pagination import CursorPage
from backend.schema import error_responses
from backend.throttling import ScopedThrottle
from signals import selectors, services, workflow
from signals.access import BREAK_GLASS
from signals.api import serializers as s
from signals.api.examples import DEMO_SIGNAL_EXAMPLE
from signals.api.filters import QueueFilterInput

CanSubmit = has_capability(SUBMIT_SIGNAL)
CanWorkQueue = has_capability(WORK_TEAM_QUEUE)
CanWithdraw = has_any_capability(SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)
CanBreakGlass = has_capability(BREAK_GLASS)


class QueuePagination(CursorPage):
    """Ordered as the caller's QueueFilter asks (`ordering`), deadline first by default."""

    ordering = selectors.QUEUE_ORDERINGS["deadline"]
    page_size = 25
    max_page_size = 100


def _output_context() -> dict[str, Any]:
    return {"now": timezone.now(), "open_statuses": workflow.OPEN_FOR_TEAM}


def _detail(signal: Any) -> dict:
    return s.SignalDetailOutput(signal, context=_output_context()).data


def _parsed(serializer_class: type, request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class SignalCreateApi(APIView):
    """Submit a signal with the resident's consent. Retrying with the same client_uuid and body
    returns 200 with the same signal. Limited per user (SIGNAL_CREATE_THROTTLE_RATE; retries
    count too)."""

    permission_classes = [CanSubmit]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "signal_create"

    @extend_schema(
        request=s.SignalCreateInput,
        responses={
            201: s.SignalReceiptOutput,
            200: s.SignalReceiptOutput,
            **error_responses(409),  # client_uuid_conflict: the same key with another body
        },
        examples=[DEMO_SIGNAL_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = s.SignalCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.signal_create(actor=request.user, intake=data.to_input())
        body = s.SignalReceiptOutput(result.signal).data
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


class SignalDetailApi(APIView):
    """One signal of your team (or opened by break-glass), with its history and notes."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.SignalDetailOutput})
    def get(self, request: Request, signal_id: Any) -> Response:
        signal = selectors.signal_get_for_team(user=request.user, signal_id=signal_id)
        return Response(_detail(signal))


class SignalTransitionApi(APIView):
    """Move the signal along its workflow. 409 lists the allowed transitions."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.TransitionInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = _parsed(s.TransitionInput, request)
        signal = services.signal_transition(
            signal_id=signal_id,
            actor=request.user,
            to_status=data["to"],
            expected_version=data["version"],
            note=data.get("note", ""),
            outcome=data.get("outcome", ""),
        )
        return Response(_detail(signal))


class SignalAssignApi(APIView):
    """Claim the signal, or (coordinator) assign it to a member of its team."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.AssignInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = _parsed(s.AssignInput, request)
        signal = services.signal_assign(
            signal_id=signal_id,
            actor=request.user,
            assignee_id=data.get("assignee"),
            expected_version=data["version"],
        )
        return Response(_detail(signal))


class SignalForwardApi(APIView):
    """Coordinator: send the signal to another team, which receives it as newly routed."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.ForwardInput, responses={202: s.SignalReceiptOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = _parsed(s.ForwardInput, request)
        signal = services.signal_forward(
            signal_id=signal_id,
            actor=request.user,
            team_id=data["team"],
            expected_version=data["version"],
            reason=data["reason"],
        )
        body = s.SignalReceiptOutput(signal).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class SignalNoteApi(APIView):
    """Add a note; to correct one, add a new note that refers to it."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.NoteInput, responses={201: s.NoteOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = _parsed(s.NoteInput, request)
        note = services.signal_note_add(
            signal_id=signal_id,
            actor=request.user,
            body=data["body"],
            corrects_id=data.get("corrects"),
        )
        body = s.NoteOutput(note).data
        return Response(body, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    """Withdraw consent on the resident's word (signaller, team or privacy officer). Personal
    data is erased at once."""

    permission_classes = [CanWithdraw]

    @extend_schema(request=s.WithdrawInput, responses={200: s.MySignalOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        reason = _parsed(s.WithdrawInput, request).get("reason", "")
        signal = services.consent_withdraw(signal_id=signal_id, actor=request.user, reason=reason)
        return Response(s.MySignalOutput(signal).data)


class SignalBreakGlassApi(APIView):
    """Open a signal outside your teams, for reading only, with a typed reason. The grant lasts
    BREAK_GLASS_HOURS; every read under it is flagged in the access log and the privacy
    officer reviews the openings. Limited per user (BREAK_GLASS_THROTTLE_RATE)."""

    permission_classes = [CanBreakGlass]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "break_glass"

    @extend_schema(request=s.BreakGlassInput, responses={201: s.BreakGlassOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = _parsed(s.BreakGlassInput, request)
        access = services.signal_break_glass_open(
            signal_id=signal_id, actor=request.user, reason=data["reason"]
        )
        body = s.BreakGlassOutput(access).data
        return Response(body, status=status.HTTP_201_CREATED)


class QueueApi(APIView):
    """Signals of your teams, soonest deadline first (or newest first), cursor-paginated."""

    permission_classes = [CanWorkQueue]
    pagination_class = QueuePagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, many=True),
            OpenApiParameter("urgency", str, many=True),
            OpenApiParameter("target_group", str, many=True),
            OpenApiParameter("wijk", str, description="CBS code (WK + 6 digits) or name"),
            OpenApiParameter("buurt", str, description="CBS code (BU + 8 digits) or name"),
            OpenApiParameter(
                "ordering",
                str,
                enum=list(selectors.QUEUE_ORDERINGS),
                description="deadline (soonest first, the default) or newest",
            ),
            OpenApiParameter("team", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("assigned", str, enum=["me", "none"]),
        ],
        responses={200: s.QueueItemOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = QueueFilterInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.to_filter()
        paginator = self.pagination_class()
        paginator.ordering = filters.order_by
        page = selectors.queue_page(
            user=request.user,
            filters=filters,
            paginate=lambda queryset: paginator.paginate_queryset(queryset, request, view=self),
        )
        context = {**_output_context(), "deadline_kinds": page.deadline_kinds}
        data = s.QueueItemOutput(page.rows, many=True, context=context).data
        return paginator.get_paginated_response(data)


class MySignalsApi(APIView):
    """Status of the signals you submitted. Never the team's notes."""

    permission_classes = [CanSubmit]

    @extend_schema(responses={200: s.MySignalOutput(many=True)})
    def get(self, request: Request) -> Response:
        rows = selectors.my_signals(user=request.user)
        return Response(s.MySignalOutput(rows, many=True).data)


class ConsentTextListApi(APIView):
    """Consent texts in use; the app shows one and sends back its id and SHA-256."""

    permission_classes = [CanSubmit]

    @extend_schema(responses={200: s.ConsentTextOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.ConsentTextOutput(selectors.active_consent_texts(), many=True).data)


class ReasonCodeListApi(APIView):
    """Reason codes a signal can name, with Dutch and English labels."""

    @extend_schema(responses={200: s.ReasonCodeOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.ReasonCodeOutput(selectors.active_reason_codes(), many=True).data)
