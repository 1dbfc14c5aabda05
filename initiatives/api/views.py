"""Thin views of the catalogue, suggestions and referrals. The selectors and services they call
write the access-log rows of a signal's reads and writes themselves (docs/adr/0041)."""

import hashlib
import json
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_any_capability, has_capability
from accounts.roles import SUBMIT_SIGNAL, WORK_TEAM_QUEUE
from backend.pagination import CursorPage
from backend.schema import error_responses
from initiatives import selectors, services
from initiatives.api import examples
from initiatives.api import serializers as s
from initiatives.api.filters import InitiativeFilterInput
from initiatives.models import ActivityKind
from signals.models import TargetGroup

CanReadCatalogue = has_any_capability(SUBMIT_SIGNAL, WORK_TEAM_QUEUE)
CanWorkQueue = has_capability(WORK_TEAM_QUEUE)


class CataloguePagination(CursorPage):
    ordering = ("name", "id")
    page_size = 50
    max_page_size = 200


def etag_of(body: Any) -> str:
    """A strong ETag of the exact JSON body: same page, same tag."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def _matches(request: Request, etag: str) -> bool:
    given = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, "*", f"W/{etag}") for tag in given.split(",") if tag)


class InitiativeListApi(APIView):
    """The catalogue of local initiatives, filtered and searched, by name in cursor pages.
    Sends an ETag; with If-None-Match of the same page it answers 304 without a body, so the
    app can keep the catalogue offline. Holds no personal data, so it is not access-logged."""

    permission_classes = [CanReadCatalogue]
    pagination_class = CataloguePagination

    @extend_schema(
        parameters=[
            OpenApiParameter("buurt", str, description="CBS buurt code (BU + 8 digits)"),
            OpenApiParameter("wijk", str, description="CBS wijk code (WK + 6 digits)"),
            OpenApiParameter("target_group", str, enum=TargetGroup.values),
            OpenApiParameter("kind", str, enum=ActivityKind.values),
            OpenApiParameter("language", str, description="ISO 639-1, e.g. nl, ar, tr"),
            OpenApiParameter("reason", str, description="a reason code (GET /reason-codes)"),
            OpenApiParameter("accepting", bool, description="takes new participants"),
            OpenApiParameter(
                "q", str, description="full text over name, organisation, descriptions"
            ),
            OpenApiParameter(
                "If-None-Match", str, location=OpenApiParameter.HEADER, required=False
            ),
        ],
        responses={
            200: s.InitiativeOutput(many=True),
            304: OpenApiResponse(description="Not modified: the ETag given still holds."),
        },
        examples=[examples.CATALOGUE_PAGE],
    )
    def get(self, request: Request) -> Response:
        query = InitiativeFilterInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        queryset = selectors.initiative_list(filters=query.to_filter())
        page = paginator.paginate_queryset(queryset, request, view=self)
        response = paginator.get_paginated_response(s.InitiativeOutput(page, many=True).data)
        etag = etag_of(response.data)
        if _matches(request, etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        response["ETag"] = etag
        return response


class SuggestionsApi(APIView):
    """Initiatives for one signal of your team, best first, each explaining its rank."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.SuggestionsOutput}, examples=[examples.SUGGESTIONS])
    def get(self, request: Request, signal_id: Any) -> Response:
        signal, ranked, by_id = selectors.suggestions_for(actor=request.user, signal_id=signal_id)
        results = [
            {
                "initiative": by_id[item.offer.id],
                "score": item.score,
                "matched": list(item.matched),
                "unmatched": list(item.unmatched),
                "matched_reasons": list(item.matched_reasons),
            }
            for item in ranked
        ]
        return Response(s.SuggestionsOutput({"signal_id": signal.pk, "results": results}).data)


def _referral_body(result: services.StepResult, output: type = s.ReferralStepOutput) -> dict:
    context = {
        "today": timezone.localdate(),
        "gates": {result.referral.pk: result.gate},
        "handover": result.handover,
    }
    return output(result.referral, context=context).data


class ReferralListApi(APIView):
    """Referrals of one signal of your team (GET), or propose an initiative (POST)."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.ReferralOutput(many=True)})
    def get(self, request: Request, signal_id: Any) -> Response:
        signal, referrals = selectors.referrals_for(actor=request.user, signal_id=signal_id)
        gates = {r.pk: services.gate_for(signal, r.initiative) for r in referrals}
        context = {"today": timezone.localdate(), "gates": gates}
        return Response(s.ReferralOutput(referrals, many=True, context=context).data)

    @extend_schema(
        request=s.ReferralProposeInput,
        responses={201: s.ReferralStepOutput, **error_responses(409)},
        examples=[examples.PROPOSE, examples.REFERRAL_PROPOSED],
    )
    def post(self, request: Request, signal_id: Any) -> Response:
        data = s.ReferralProposeInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.referral_propose(
            actor=request.user,
            signal_id=signal_id,
            initiative_id=data.validated_data["initiative"],
            follow_up_on=data.validated_data.get("follow_up_on"),
            note=data.validated_data.get("note", ""),
        )
        return Response(_referral_body(result), status=status.HTTP_201_CREATED)


class ReferralStepApi(APIView):
    """Record the next step of the signal's active referral; 409 lists the allowed steps."""

    permission_classes = [CanWorkQueue]

    @extend_schema(
        request=s.ReferralStepInput,
        responses={200: s.ReferralStepOutput},
        examples=[examples.STEP_CONTACTED, examples.STEP_STUCK],
    )
    def post(self, request: Request, signal_id: Any) -> Response:
        data = s.ReferralStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.referral_step(
            actor=request.user,
            signal_id=signal_id,
            step=data.validated_data["step"],
            follow_up_on=data.validated_data.get("follow_up_on"),
            reason=data.validated_data.get("reason", ""),
            share_contact=data.validated_data["share_contact"],
        )
        return Response(_referral_body(result))
