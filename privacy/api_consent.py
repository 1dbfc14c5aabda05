"""Consents that give less than the resident ticked, for the privacy officer (docs/adr/0032).
Thin view: validate, select, serialize; the selector access-logs the read (docs/adr/0041)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from backend.pagination import CursorPage
from privacy import registers
from privacy import rights_serializers as s
from privacy.api_rights import _PrivacyApi, _query


class ConsentGapPagination(CursorPage):
    ordering = registers.CONSENT_GAP_ORDERING
    page_size = 100
    max_page_size = 500


class ConsentGapListApi(_PrivacyApi):
    """Consents that give less than the resident ticked.

    A consent recorded under a text that does not declare a purpose the resident granted (that
    purpose counts as not given: no handover, no measurement, until new consent is recorded),
    or whose initiatives were recorded by a name that matched no single catalogue entry
    exactly (they cover no one). Withdrawn consents are left out. Ids, text version and codes
    only. The read is logged."""

    pagination_class = ConsentGapPagination

    @extend_schema(parameters=[s.ConsentGapQuery], responses=s.ConsentGapOutput(many=True))
    def get(self, request: Request) -> Any:
        _query(s.ConsentGapQuery, request)
        paginator = self.pagination_class()
        entries = registers.consent_gaps_page(
            actor=request.user,
            fmt="json",
            paginate=lambda rows: paginator.paginate_queryset(rows, request, view=self),
        )
        return paginator.get_paginated_response(s.ConsentGapOutput(entries, many=True).data)
