"""Thin views: validate input, call one service or selector, serialize the output."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_any_capability, has_capability
from accounts.roles import HANDLE_PRIVACY_REQUESTS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE
from signals import selectors, services, workflow
from signals.api import serializers as s
from signals.models import Signal

CanSubmit = has_capability(SUBMIT_SIGNAL)
CanWorkQueue = has_capability(WORK_TEAM_QUEUE)
CanWithdraw = has_any_capability(SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)


class QueuePagination(CursorPagination):
    ordering = ("due_at", "id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def _output_context() -> dict[str, Any]:
    return {"now": timezone.now(), "open_statuses": workflow.OPEN_FOR_TEAM}


def _detail_response(request: Request, signal_id: Any, code: int = 200) -> Response:
    signal = selectors.signal_get_for_team(user=request.user, signal_id=signal_id)
    return Response(s.SignalDetailOutput(signal, context=_output_context()).data, status=code)


class SignalCreateApi(APIView):
    """Submit a signal with the resident's consent. Retrying with the same client_uuid and body
    returns 200 with the same signal."""

    permission_classes = [CanSubmit]

    @extend_schema(
        request=s.SignalCreateInput,
        responses={201: s.SignalReceiptOutput, 200: s.SignalReceiptOutput},
    )
    def post(self, request: Request) -> Response:
        data = s.SignalCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.signal_create(user=request.user, data=data.validated_data)
        return Response(
            s.SignalReceiptOutput(result.signal).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class SignalDetailApi(APIView):
    """One signal of your team, with its history and notes."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.SignalDetailOutput})
    def get(self, request: Request, signal_id: Any) -> Response:
        return _detail_response(request, signal_id)


class _SignalWriteApi(APIView):
    permission_classes = [CanWorkQueue]

    def check_visible(self, request: Request, signal_id: Any) -> None:
        if not selectors.signal_exists_for_team(user=request.user, signal_id=signal_id):
            raise Signal.DoesNotExist


class SignalTransitionApi(_SignalWriteApi):
    """Move the signal along its workflow. 409 lists the allowed transitions."""

    @extend_schema(request=s.TransitionInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        self.check_visible(request, signal_id)
        data = s.TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.signal_transition(
            signal_id=signal_id,
            actor=request.user,
            to_status=data.validated_data["to"],
            expected_version=data.validated_data["version"],
            note=data.validated_data.get("note", ""),
            outcome=data.validated_data.get("outcome", ""),
        )
        return _detail_response(request, signal_id)


class SignalAssignApi(_SignalWriteApi):
    """Claim the signal, or (coordinator) assign it to a member of its team."""

    @extend_schema(request=s.AssignInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        self.check_visible(request, signal_id)
        data = s.AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.signal_assign(
            signal_id=signal_id,
            actor=request.user,
            assignee_id=data.validated_data.get("assignee"),
            expected_version=data.validated_data["version"],
        )
        return _detail_response(request, signal_id)


class SignalForwardApi(_SignalWriteApi):
    """Coordinator: send the signal to another team, which receives it as newly routed."""

    @extend_schema(request=s.ForwardInput, responses={202: s.SignalReceiptOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        self.check_visible(request, signal_id)
        data = s.ForwardInput(data=request.data)
        data.is_valid(raise_exception=True)
        signal = services.signal_forward(
            signal_id=signal_id,
            actor=request.user,
            team_id=data.validated_data["team"],
            expected_version=data.validated_data["version"],
            reason=data.validated_data["reason"],
        )
        return Response(s.SignalReceiptOutput(signal).data, status=status.HTTP_202_ACCEPTED)


class SignalNoteApi(_SignalWriteApi):
    """Add a note; to correct one, add a new note that refers to it."""

    @extend_schema(request=s.NoteInput, responses={201: s.NoteOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        self.check_visible(request, signal_id)
        data = s.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.signal_note_add(
            signal_id=signal_id,
            actor=request.user,
            body=data.validated_data["body"],
            corrects_id=data.validated_data.get("corrects"),
        )
        return Response(s.NoteOutput(note).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    """Withdraw consent on the resident's word (signaller, team or privacy officer). Personal
    data is erased at once."""

    permission_classes = [CanWithdraw]

    @extend_schema(request=s.WithdrawInput, responses={200: s.MySignalOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        signal_id = selectors.signal_id_for_withdrawal(user=request.user, signal_id=signal_id)
        data = s.WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        signal = services.consent_withdraw(
            signal_id=signal_id, actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return Response(s.MySignalOutput(signal).data)


class QueueApi(APIView):
    """Signals of your teams, soonest deadline first, cursor-paginated."""

    permission_classes = [CanWorkQueue]
    pagination_class = QueuePagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, many=True),
            OpenApiParameter("urgency", str, many=True),
            OpenApiParameter("target_group", str, many=True),
            OpenApiParameter("wijk", str),
            OpenApiParameter("buurt", str),
            OpenApiParameter("team", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("assigned", str, enum=["me", "none"]),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses={200: s.QueueItemOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.queue_list(user=request.user, filters=request.query_params)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = s.QueueItemOutput(page, many=True, context=_output_context()).data
        return paginator.get_paginated_response(data)


class MySignalsApi(APIView):
    """Status of the signals you submitted. Never the team's notes."""

    permission_classes = [CanSubmit]

    @extend_schema(responses={200: s.MySignalOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            s.MySignalOutput(selectors.my_signals(user=request.user)[:200], many=True).data
        )


class ConsentTextListApi(APIView):
    """Consent texts in use; the app shows one and sends back its id and SHA-256."""

    permission_classes = [CanSubmit]

    @extend_schema(responses={200: s.ConsentTextOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.ConsentTextOutput(selectors.active_consent_texts(), many=True).data)


class ReasonCodeListApi(APIView):
    @extend_schema(responses={200: s.ReasonCodeOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.ReasonCodeOutput(selectors.active_reason_codes(), many=True).data)
