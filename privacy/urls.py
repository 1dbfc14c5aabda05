from django.urls import path

from privacy import api

urlpatterns = [
    path("audit/access-log", api.AccessLogListApi.as_view(), name="audit-access-log"),
    path(
        "audit/access-log/export",
        api.AccessLogExportApi.as_view(),
        name="audit-access-log-export",
    ),
]
