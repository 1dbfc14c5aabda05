"""Views that offer a file format (CSV, PDF, Markdown) next to JSON still answer errors as JSON
in the one shape (docs/adr/0017): a client that asked for CSV gets a JSON error it can read, and
an unknown `?format=` is a 406, not DRF's 404."""

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


class JsonErrorsMixin:
    """For an APIView with more than one renderer."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        try:
            return super().perform_content_negotiation(request, force)  # type: ignore[misc]
        except Http404 as error:  # DRF's answer to an unknown ?format=
            raise exceptions.NotAcceptable() from error

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
