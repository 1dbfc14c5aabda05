"""Thin views: validate input, call one service or selector, serialize the output.

Every view that touches a resident's data runs inside `logged(...)`: the work, the response
body and its access log row share one transaction (signals/api/access_log.py, ADR 0014)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_any_capability, has_capability
from accounts.roles import HANDLE_PRIVACY_REQUESTS, SUBMIT_SIGNAL, WORK_TEAM_QUEUE
from audit.models import Action, Purpose
from backend.pagination import CursorPage
from backend.schema import error_responses
from backend.throttling import ScopedThrottle
from signals import selectors, services, workflow
from signals.api import access_log
from signals.api import serializers as s
from signals.api.access_log import LogEntry
from signals.api.examples import DEMO_SIGNAL_EXAMPLE
from signals.grounds import (
    BREAK_GLASS_REASON,
    NOTE_BODY,
    SIGNAL_FIELDS,
    WITHDRAWAL_REASON,
    Grounds,
    Rule,
    filled_fields,
)

CanSubmit = has_capability(SUBMIT_SIGNAL)
CanWorkQueue = has_capability(WORK_TEAM_QUEUE)
CanWithdraw = has_any_capability(SUBMIT_SIGNAL, WORK_TEAM_QUEUE, HANDLE_PRIVACY_REQUESTS)
CanBreakGlass = has_capability("signals.break_glass_signal")


class QueuePagination(CursorPage):
    ordering = selectors.QUEUE_ORDERINGS["deadline"]
    page_size = 25
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.ordering = selectors.queue_ordering(request.query_params)
        return super().paginate_queryset(queryset, request, view)


def _output_context() -> dict[str, Any]:
    return {"now": timezone.now(), "open_statuses": workflow.OPEN_FOR_TEAM}


def _detail(request: Request, signal_id: Any, entry: LogEntry, **details: Any) -> dict:
    """Reads the signal, builds the detail body and tells the log entry what it disclosed."""
    signal = selectors.signal_get_for_team(user=request.user, signal_id=signal_id)
    data = s.SignalDetailOutput(signal, context=_output_context()).data
    fields = filled_fields(signal, signal.notes.all())
    entry.about(selectors.grounds_of(signal), object_id=signal.pk, fields=fields, **details)
    return data


def _subject_ids(rows: Any) -> list[str]:
    return [str(row.subject_id) for row in rows]


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
        with access_log.logged(request, action=Action.CREATE) as entry:
            result = services.signal_create(user=request.user, data=data.validated_data)
            signal = result.signal
            body = s.SignalReceiptOutput(signal).data
            grounds = Grounds(
                rule=Rule.SIGNALLER_WITH_CONSENT,
                subject_id=signal.subject_id,
                consent_id=signal.consent.pk,
            )
            fields = filled_fields(signal) if result.created else []
            entry.about(grounds, object_id=signal.pk, fields=fields, created=result.created)
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


class SignalDetailApi(APIView):
    """One signal of your team (or opened by break-glass), with its history and notes."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.SignalDetailOutput})
    def get(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(request, action=Action.READ) as entry:
            data = _detail(request, signal_id, entry)
        return Response(data)


class SignalTransitionApi(APIView):
    """Move the signal along its workflow. 409 lists the allowed transitions."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.TransitionInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(request, action=Action.UPDATE) as entry:
            selectors.signal_grounds_for_team_work(user=request.user, signal_id=signal_id)
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
            body = _detail(
                request, signal_id, entry, operation="transition", to=data.validated_data["to"]
            )
        return Response(body)


class SignalAssignApi(APIView):
    """Claim the signal, or (coordinator) assign it to a member of its team."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.AssignInput, responses={200: s.SignalDetailOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(request, action=Action.UPDATE) as entry:
            selectors.signal_grounds_for_team_work(user=request.user, signal_id=signal_id)
            data = s.AssignInput(data=request.data)
            data.is_valid(raise_exception=True)
            services.signal_assign(
                signal_id=signal_id,
                actor=request.user,
                assignee_id=data.validated_data.get("assignee"),
                expected_version=data.validated_data["version"],
            )
            body = _detail(request, signal_id, entry, operation="assign")
        return Response(body)


class SignalForwardApi(APIView):
    """Coordinator: send the signal to another team, which receives it as newly routed."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.ForwardInput, responses={202: s.SignalReceiptOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(request, action=Action.UPDATE) as entry:
            grounds = selectors.signal_grounds_for_team_work(user=request.user, signal_id=signal_id)
            data = s.ForwardInput(data=request.data)
            data.is_valid(raise_exception=True)
            signal = services.signal_forward(
                signal_id=signal_id,
                actor=request.user,
                team_id=data.validated_data["team"],
                expected_version=data.validated_data["version"],
                reason=data.validated_data["reason"],
            )
            body = s.SignalReceiptOutput(signal).data
            # The reason is stored as a note; the receipt shows no personal field.
            entry.about(grounds, object_id=signal.pk, fields=[NOTE_BODY], operation="forward")
        return Response(body, status=status.HTTP_202_ACCEPTED)


class SignalNoteApi(APIView):
    """Add a note; to correct one, add a new note that refers to it."""

    permission_classes = [CanWorkQueue]

    @extend_schema(request=s.NoteInput, responses={201: s.NoteOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(request, action=Action.CREATE) as entry:
            grounds = selectors.signal_grounds_for_team_work(user=request.user, signal_id=signal_id)
            data = s.NoteInput(data=request.data)
            data.is_valid(raise_exception=True)
            note = services.signal_note_add(
                signal_id=signal_id,
                actor=request.user,
                body=data.validated_data["body"],
                corrects_id=data.validated_data.get("corrects"),
            )
            body = s.NoteOutput(note).data
            entry.about(grounds, object_id=note.pk, fields=[NOTE_BODY], signal_id=signal_id)
            entry.object_type = "signals.signalnote"
        return Response(body, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    """Withdraw consent on the resident's word (signaller, team or privacy officer). Personal
    data is erased at once."""

    permission_classes = [CanWithdraw]

    @extend_schema(request=s.WithdrawInput, responses={200: s.MySignalOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        with access_log.logged(
            request, action=Action.CONSENT_CHANGE, purpose=Purpose.DATA_SUBJECT_REQUEST
        ) as entry:
            signal_id, grounds = selectors.signal_grounds_for_withdrawal(
                user=request.user, signal_id=signal_id
            )
            data = s.WithdrawInput(data=request.data)
            data.is_valid(raise_exception=True)
            reason = data.validated_data.get("reason", "")
            signal = services.consent_withdraw(
                signal_id=signal_id, actor=request.user, reason=reason
            )
            body = s.MySignalOutput(signal).data
            # Withdrawal blanks every personal field and note body; the reason is written.
            fields = [*SIGNAL_FIELDS, NOTE_BODY, *([WITHDRAWAL_REASON] if reason else [])]
            entry.about(grounds, object_id=signal.pk, fields=fields, operation="withdraw")
        return Response(body)


class SignalBreakGlassApi(APIView):
    """Open a signal outside your teams, for reading only, with a typed reason. The grant lasts
    BREAK_GLASS_HOURS; every read under it is flagged in the access log and the privacy
    officer reviews the openings. Limited per user (BREAK_GLASS_THROTTLE_RATE)."""

    permission_classes = [CanBreakGlass]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "break_glass"

    @extend_schema(request=s.BreakGlassInput, responses={201: s.BreakGlassOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = s.BreakGlassInput(data=request.data)
        data.is_valid(raise_exception=True)
        with access_log.logged(request, action=Action.CREATE) as entry:
            access = services.signal_break_glass_open(
                signal_id=signal_id, actor=request.user, reason=data.validated_data["reason"]
            )
            body = s.BreakGlassOutput(access).data
            grounds = Grounds(
                rule=Rule.BREAK_GLASS,
                subject_id=access.signal.subject_id,
                consent_id=access.signal.consent.pk,
                break_glass_id=access.pk,
            )
            entry.about(
                grounds,
                object_id=access.pk,
                fields=[BREAK_GLASS_REASON],
                signal_id=access.signal_id,
                expires_at=body["expires_at"],
            )
            entry.object_type = "signals.breakglassaccess"
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
        paginator = self.pagination_class()
        # Queue rows show no personal field; the row names whose signals were listed.
        with access_log.logged(request, action=Action.LIST, rule=Rule.TEAM_QUEUE) as entry:
            queryset = selectors.queue_list(user=request.user, filters=request.query_params)
            page = paginator.paginate_queryset(queryset, request, view=self)
            data = s.QueueItemOutput(page, many=True, context=_output_context()).data
            entry.details = {"count": len(page), "subject_ids": _subject_ids(page)}
        return paginator.get_paginated_response(data)


class MySignalsApi(APIView):
    """Status of the signals you submitted. Never the team's notes."""

    permission_classes = [CanSubmit]

    @extend_schema(responses={200: s.MySignalOutput(many=True)})
    def get(self, request: Request) -> Response:
        # Status only, but the status of a known resident's follow-up: logged as a list.
        with access_log.logged(
            request, action=Action.LIST, rule=Rule.SIGNALLER_OWN_SIGNAL
        ) as entry:
            rows = list(selectors.my_signals(user=request.user)[:200])
            data = s.MySignalOutput(rows, many=True).data
            entry.details = {"count": len(rows), "subject_ids": _subject_ids(rows)}
        return Response(data)


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
