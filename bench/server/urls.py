"""backend.urls plus the bench's baseline routes (mounted only by backend.settings.bench)."""

from django.urls import path

from backend.urls import urlpatterns as application_urlpatterns
from bench.server.views import BareApi

urlpatterns = [
    path("bench/bare", BareApi.as_view(), name="bench-bare"),
    *application_urlpatterns,
]
