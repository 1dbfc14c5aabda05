"""Thin views: the instrument, and a signal's measurements (docs/adr/0030). The selector and
service that read and write answers write their access-log rows (docs/adr/0041); who may do
what is the services'."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_any_capability, has_capability
from accounts.roles import VIEW_STATISTICS, WORK_TEAM_QUEUE
from outcomes import selectors, services
from outcomes.api import serializers as s
from outcomes.instruments import instruments_active

CanWorkQueue = has_capability(WORK_TEAM_QUEUE)


class InstrumentListApi(APIView):
    """The active measurement instruments: items, answer options, wording and the source."""

    permission_classes = [has_any_capability(WORK_TEAM_QUEUE, VIEW_STATISTICS)]

    @extend_schema(responses={200: s.InstrumentOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(s.InstrumentOutput(instruments_active(), many=True).data)


class SignalMeasurementsApi(APIView):
    """A signal's measurements (baseline, follow-up) with their scores; record one."""

    permission_classes = [CanWorkQueue]

    @extend_schema(responses={200: s.MeasurementOutput(many=True)})
    def get(self, request: Request, signal_id: Any) -> Response:
        found = selectors.measurements_for_signal(user=request.user, signal_id=signal_id)
        return Response(s.MeasurementOutput(found.rows, many=True).data)

    @extend_schema(request=s.MeasurementCreateInput, responses={201: s.MeasurementOutput})
    def post(self, request: Request, signal_id: Any) -> Response:
        data = s.MeasurementCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        measurement = services.measurement_record(
            actor=request.user, signal_id=signal_id, measure=data.to_input()
        )
        return Response(s.MeasurementOutput(measurement).data, status=status.HTTP_201_CREATED)
