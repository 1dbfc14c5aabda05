"""Examples of the initiatives API in the OpenAPI schema (docs/adr/0017)."""

from drf_spectacular.utils import OpenApiExample

INITIATIVE = {
    "id": "0b6f3c1e-6b7a-4c8e-9a51-1f2d3c4b5a69",
    "slug": "domstad-plusbus",
    "name": "Domstad Plusbus",
    "organisation": "U Centraal",
    "description_nl": "Uitjes met een busje voor ouderen die er zelf moeilijk op uit komen.",
    "description_en": "Outings by minibus for older people who find it hard to get out.",
    "kinds": ["outing"],
    "target_groups": ["elderly_at_home", "migrant_elderly"],
    "reasons": ["few_contacts", "limited_mobility"],
    "citywide": True,
    "buurt_codes": [],
    "wijk_codes": [],
    "languages": ["nl"],
    "step_free": True,
    "transport_offered": True,
    "cost": "low",
    "contact_route": "Via de website van U Centraal of de wijkconsulent.",
    "accepting_new": True,
    "last_verified_on": "2026-09-01",
}

CATALOGUE_PAGE = OpenApiExample(
    "A page of the catalogue",
    response_only=True,
    value=INITIATIVE,  # drf-spectacular makes the page around it (next, previous, results)
)

SUGGESTIONS = OpenApiExample(
    "Suggestions, best first, each with its explanation",
    response_only=True,
    value={
        "signal_id": "5d9a8d8e-3f43-4a4b-a7a4-2a1f4f5c3b21",
        "results": [
            {
                "initiative": INITIATIVE,
                "score": 88,
                "matched": [
                    "citywide",
                    "target_group",
                    "reasons",
                    "language",
                    "accepting_new",
                    "step_free",
                    "transport_offered",
                ],
                "unmatched": ["free"],
                "matched_reasons": ["limited_mobility"],
            }
        ],
    },
)

PROPOSE = OpenApiExample(
    "Propose an initiative, follow up in a week",
    request_only=True,
    value={
        "initiative": INITIATIVE["id"],
        "follow_up_on": "2026-12-08",
        "note": "Bewoner vindt uitjes leuk; eerst met dochter overleggen.",
    },
)

STEP_CONTACTED = OpenApiExample(
    "Initiative contacted, contact details handed over (consent allows it)",
    request_only=True,
    value={"step": "contacted", "follow_up_on": "2026-12-15", "share_contact": True},
)

STEP_STUCK = OpenApiExample(
    "Stuck, with a reason",
    request_only=True,
    value={"step": "stuck", "reason": "Initiatief reageert niet op mail en telefoon."},
)

REFERRAL = {
    "id": "2a4c8e1f-0b3d-4f6a-8c2e-9d1b7a5c3e10",
    "initiative": {"id": INITIATIVE["id"], "name": INITIATIVE["name"]},
    "step": "proposed",
    "allowed_steps": ["agreed", "declined_by_resident", "stuck"],
    "follow_up_on": "2026-12-08",
    "overdue": False,
    "active": True,
    "contact_shared_at": None,
    "first_meeting_at": None,
    "created_at": "2026-12-01T10:00:00Z",
    "ended_at": None,
    "consent": {
        "share_allowed": False,
        "missing_purpose": "share_with_initiative",
        "missing_recipient": f"initiative:{INITIATIVE['id']}",
        "consent_withdrawn": False,
    },
}

REFERRAL_PROPOSED = OpenApiExample(
    "Proposed; consent does not yet allow sharing contact details",
    response_only=True,
    value={**REFERRAL, "handover": None},
)
