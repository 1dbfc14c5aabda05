"""Device endpoints: thin views over notifications.services and notifications.selectors."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Language
from backend.serializers import DateTimeField, StrictSerializer
from backend.throttling import ScopedThrottle
from notifications import selectors, services
from notifications.models import Device


class DeviceOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    installation_id = serializers.CharField()
    app_version = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.choices)
    created_at = DateTimeField()
    last_seen_at = DateTimeField()


class DeviceListApi(APIView):
    """The logged-in user's app installations that receive pushes."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "device_register"

    def throttle_applies(self, request: Request) -> bool:
        return request.method == "POST"  # registering is limited, listing is not

    class DeviceRegisterInputSerializer(StrictSerializer):
        # No default="": it broke the fields' own minLength in the schema (ADR 43); a field not
        # sent is not passed on, and device_register's own defaults ("") apply as before.
        registration_token = serializers.CharField(max_length=4096, required=False)
        installation_id = serializers.CharField(max_length=64, required=False)
        platform = serializers.ChoiceField(choices=Device.Platform.choices)
        app_version = serializers.CharField(max_length=32, required=False)
        language = serializers.ChoiceField(choices=Language.choices, required=False)

    @extend_schema(responses={200: DeviceOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """Your app installations that receive pushes."""
        devices = selectors.devices_of(user=request.user)
        return Response(DeviceOutputSerializer(devices, many=True).data)

    @extend_schema(
        request=DeviceRegisterInputSerializer,
        responses={201: DeviceOutputSerializer, 200: DeviceOutputSerializer},
        description="Registers this app installation for pushes (201), or refreshes it when "
        "its registration token or Firebase installation id is known (200); give at least "
        "one. A device registered by another user moves to you. Beyond "
        "DEVICE_MAX_ACTIVE_PER_USER active devices, your least recently seen one stops "
        "receiving pushes. Limited per user (DEVICE_REGISTER_THROTTLE_RATE).",
    )
    def post(self, request: Request) -> Response:
        """Register this app installation for pushes, or refresh it."""
        data = self.DeviceRegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, created = services.device_register(
            user=request.user,
            login_session_id=getattr(request.user, "login_session_id", None),
            **data.validated_data,
        )
        return Response(
            DeviceOutputSerializer(device).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class DeviceDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, device_id: UUID) -> Response:
        """Stops pushes to one of your devices. Another user's device is not found (404)."""
        services.device_delete(user=request.user, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "22:00"}
)
class ClockTimeField(serializers.TimeField):
    """A wall-clock time, HH:MM, in the person's own time zone: no offset, so not the schema's
    RFC 3339 `time` format."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class NotificationPreferenceSerializer(StrictSerializer):
    quiet_hours_start = ClockTimeField()
    quiet_hours_end = ClockTimeField()
    timezone = serializers.CharField(max_length=64)
    daily_digest = serializers.BooleanField()


class NotificationPreferenceApi(APIView):
    """Your quiet hours (no pushes about non-urgent signals between start and end, in your time
    zone; equal times: none) and whether the daily team digest e-mail comes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: NotificationPreferenceSerializer})
    def get(self, request: Request) -> Response:
        current = selectors.preference_of(user=request.user)
        return Response(NotificationPreferenceSerializer(current._asdict()).data)

    @extend_schema(
        request=NotificationPreferenceSerializer,
        responses={200: NotificationPreferenceSerializer},
    )
    def put(self, request: Request) -> Response:
        data = NotificationPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.notification_preference_set(user=request.user, **data.validated_data)
        current = selectors.preference_of(user=request.user)
        return Response(NotificationPreferenceSerializer(current._asdict()).data)
