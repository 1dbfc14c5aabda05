"""Requested team roles a coordinator decides (docs/adr/0034): the pending ones of the teams
they coordinate, and approving or refusing one. Thin views over accounts.selectors and
accounts.services.membership_requests; admins decide in the admin where a team has no
coordinator."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import MembershipRequest, TeamRole
from accounts.permissions import has_capability
from accounts.roles import COORDINATE_TEAM
from audit.context import AccessContext
from backend.serializers import DateTimeField

CanCoordinate = has_capability(COORDINATE_TEAM)


class MembershipRequestOutput(serializers.Serializer):
    id = serializers.UUIDField()
    team_id = serializers.UUIDField()
    team_name = serializers.CharField(source="team.name")
    user_id = serializers.UUIDField()
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.ChoiceField(choices=TeamRole.choices)
    status = serializers.ChoiceField(choices=MembershipRequest.Status.choices)
    created_at = DateTimeField()


class MembershipRequestListApi(APIView):
    """Team roles waiting for your approval: the pending requests of the teams you coordinate.
    A requested role gives no access until a second person approves it."""

    permission_classes = [CanCoordinate]

    @extend_schema(responses={200: MembershipRequestOutput(many=True)})
    def get(self, request: Request) -> Response:
        pending = selectors.membership_requests_decidable(user=request.user)
        return Response(MembershipRequestOutput(pending, many=True).data)


class MembershipRequestApproveApi(APIView):
    """Approve a requested team role: the membership takes effect now. Not your own, not one
    you requested; another team's request is not found (404)."""

    permission_classes = [CanCoordinate]

    @extend_schema(request=None, responses={200: MembershipRequestOutput})
    def post(self, request: Request, membership_request_id: UUID) -> Response:
        decided = services.team_membership_approve(
            request_id=membership_request_id,
            actor=request.user,
            context=AccessContext.from_request(request),
        )
        return Response(MembershipRequestOutput(decided).data)


class MembershipRequestRefuseApi(APIView):
    """Refuse a requested team role: nothing is granted."""

    permission_classes = [CanCoordinate]

    @extend_schema(request=None, responses={200: MembershipRequestOutput})
    def post(self, request: Request, membership_request_id: UUID) -> Response:
        decided = services.team_membership_refuse(
            request_id=membership_request_id,
            actor=request.user,
            context=AccessContext.from_request(request),
        )
        return Response(MembershipRequestOutput(decided).data)
