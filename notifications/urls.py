from django.urls import path

from notifications import api

urlpatterns = [
    path("devices", api.DeviceListApi.as_view(), name="device-list"),
    path("devices/<uuid:device_id>", api.DeviceDetailApi.as_view(), name="device-detail"),
    path(
        "me/notification-preferences",
        api.NotificationPreferenceApi.as_view(),
        name="notification-preferences",
    ),
]
