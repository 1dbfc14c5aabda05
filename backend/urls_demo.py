"""The demo's URLs (backend.settings.demo): the real ones, and `/` sending a newcomer to the
workspace instead of the debug 404 page (docs/adr/0049). Production has no page at `/`: the
API and the workspace live under their own prefixes."""

from django.urls import path
from django.views.generic import RedirectView

from backend.urls import urlpatterns as real

urlpatterns = [
    path("", RedirectView.as_view(url="/werkruimte/", permanent=False), name="demo-root"),
    *real,
]
