"""Teams for the team's work in the app and the workspace: every active team (to forward a
signal to) and the members of one's own team (to assign a signal to). Thin views over
accounts.selectors."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.models import TeamRole
from accounts.permissions import has_capability
from accounts.roles import WORK_TEAM_QUEUE

CanWorkQueue = has_capability(WORK_TEAM_QUEUE)


class TeamOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    is_central = serializers.BooleanField()


class TeamMemberOutput(serializers.Serializer):
    id = serializers.UUIDField(source="user.id")
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.ChoiceField(choices=TeamRole.choices)


class TeamListApi(APIView):
    """Every active team, by name: where a coordinator can forward a signal."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: TeamOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(TeamOutput(selectors.teams_active(), many=True).data)


class TeamMemberListApi(APIView):
    """The active members of one of your own teams: whom a coordinator can assign a signal to.
    Another team is not found (404)."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: TeamMemberOutput(many=True)})
    def get(self, request: Request, team_id: UUID) -> Response:
        members = selectors.team_members(user=request.user, team_id=team_id)
        return Response(TeamMemberOutput(members, many=True).data)
