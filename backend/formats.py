"""Views that offer a file format (CSV, PDF, Markdown) next to JSON still answer errors as JSON
in the one shape (docs/adr/0017): a client that asked for CSV gets a JSON error it can read, and
an unknown `?format=` is a 406, not DRF's 404."""

import json
from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer, JSONRenderer
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


class FileRenderer(BaseRenderer):
    """Selected by ?format= or Accept; the views return the file themselves, so this renders
    nothing but passes bytes through."""

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class MarkdownRenderer(FileRenderer):
    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"


class SvgRenderer(FileRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = "utf-8"
