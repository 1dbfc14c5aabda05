"""The request example of `POST /api/v1/signals` in the OpenAPI schema. It succeeds as it
stands against the demo data (`make run`): the seeded 2026-1 Dutch consent text, an address in a
buurt Buurtteam Binnenstad covers, and a consent moment and client_uuid made fresh each time the
schema is generated (consent older than 30 days is refused; a new client_uuid makes "Try it out"
create a signal, and sending the same body again returns it with 200)."""

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample

from backend.schema import Fresh

# signals/migrations/0002_seed.py: the first consent text row, Dutch, version 2026-1.
DEMO_CONSENT_TEXT_ID = 1
DEMO_CONSENT_TEXT_SHA256 = "e96a96d8b6d4a4774c63edbaf73d586cdb860aaf28e2f240f4da6d929e743b08"


def _recent_consent_moment() -> str:
    return (timezone.now() - timedelta(minutes=5)).replace(microsecond=0).isoformat()


DEMO_SIGNAL_BODY: dict[str, Any] = {
    "client_uuid": Fresh(lambda: str(uuid.uuid4())),
    "resident": {"first_name": "Johanna", "phone": "+31 6 12345678", "email": ""},
    "address": {"postcode": "3511 AB", "house_number": 5, "addition": ""},
    "preferred_language": "nl",
    "target_group": "elderly_at_home",
    "reasons": ["few_contacts"],
    "observation": "Voorbeeld: zit vaak alleen op het bankje voor de flat.",
    "urgency": "normal",
    "consent": {
        "given_by": "resident",
        "method": "verbal_in_person",
        "given_at": Fresh(_recent_consent_moment),
        "purposes": {"team_contact": True, "share_with_initiative": False},
        "consent_text_id": DEMO_CONSENT_TEXT_ID,
        "consent_text_sha256": DEMO_CONSENT_TEXT_SHA256,
    },
}

DEMO_SIGNAL_EXAMPLE = OpenApiExample(
    "Demo signal",
    summary="A resident in the demo buurt Domplein e.o., consent given just now",
    value=DEMO_SIGNAL_BODY,
    request_only=True,
)
