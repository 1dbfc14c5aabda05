"""Allow-lists of the keys in every successful JSON answer, per route (and caller where they
differ). A key the list does not name fails the matrix: a queue row that gains a resident field,
a status list that gains the team's notes.

A spec is a set of leaf keys, a dict {key: spec} (nested objects, which may be null), a list
[spec] (every element), or ANY (free-form: purposes, event data, details)."""

from typing import Any

ANY = object()

ERROR = {"code": None, "message": None, "details": ANY}

TEAM = {"id", "name"}
PERSON = {"id", "full_name"}
NEIGHBOURHOOD = {"code", "name", "wijk_code", "wijk_name"}
QUEUE_ROW = {
    **dict.fromkeys(["id", "status", "version", "urgency", "target_group", "reasons"]),
    **dict.fromkeys(["due_at", "overdue", "escalated_at", "created_at"]),
    "deadlines": [{"kind", "due_at", "overdue"}],
    "team": TEAM,
    "neighbourhood": NEIGHBOURHOOD,
    "assigned_to": PERSON,
}
EVENT = {
    **dict.fromkeys(["id", "type", "from_status", "to_status", "note_id", "created_at"]),
    "actor": PERSON,
    "data": ANY,
}
NOTE = {**dict.fromkeys(["id", "body", "corrects_id", "created_at", "erased_at"]), "author": PERSON}
CONSENT = {
    **dict.fromkeys(["id", "given_by", "representative_relation", "method", "given_at"]),
    **dict.fromkeys(["recipients", "consent_text_version", "consent_text_language"]),
    "purposes": ANY,
    "withdrawn_at": None,
}
SIGNAL_DETAIL = {
    **{key: spec for key, spec in QUEUE_ROW.items() if key != "deadlines"},
    "resident": {"first_name", "phone", "email"},
    "address": {"postcode", "house_number", "addition"},
    **dict.fromkeys(["preferred_language", "observation", "outcome", "updated_at"]),
    **dict.fromkeys(["acknowledge_due_at", "first_contact_due_at", "personal_data_erased_at"]),
    "allowed_transitions": None,
    "consent": CONSENT,
    "events": [EVENT],
    "notes": [NOTE],
}
RECEIPT = {"id", "client_uuid", "status", "created_at"}
PREFERENCES = {"quiet_hours_start", "quiet_hours_end", "timezone", "daily_digest"}
# The signaller sees the status, nothing of the team's work; that the resident was connected
# (and to what only where consent named the initiative).
MY_SIGNAL = {*RECEIPT, "updated_at", "connected", "connected_to"}
BREAK_GLASS = {"id", "signal_id", "opened_at", "expires_at"}
BREAK_GLASS_ENTRY = {*BREAK_GLASS, "user_id", "user_organisation_id", "subject_id", "reason"}
DEVICE = {"id", "platform", "installation_id", "app_version", "language", "created_at"}
DEVICE = {*DEVICE, "last_seen_at"}
ACCESS_LOG_ENTRY = {
    **dict.fromkeys(["sequence", "event_id", "occurred_at", "action", "outcome", "actor_id"]),
    **dict.fromkeys(["actor_roles", "actor_organisation_id", "client_address", "user_agent"]),
    **dict.fromkeys(["subject_id", "object_type", "object_id", "fields_touched", "purpose"]),
    **dict.fromkeys(["authorisation_rule", "consent_id", "request_id"]),
    "details": ANY,
}
SUBJECT_REQUEST = {
    **dict.fromkeys(["id", "kind", "subject_id", "channel", "status", "received_at", "due_at"]),
    **dict.fromkeys(["overdue", "reason", "registered_by_id", "handled_by_id", "completed_at"]),
    "outcome_note": None,
    "recipients": [{"initiative_id", "name", "received_at", "signal_id"}],
}
CONSENT_REGISTER_ENTRY = {
    **dict.fromkeys(["consent_id", "subject_id", "given_at", "recorded_at", "method"]),
    **dict.fromkeys(["given_by", "recipients", "consent_text_version", "consent_text_language"]),
    **dict.fromkeys(["consent_text_sha256", "recorded_by_organisation", "withdrawn_at"]),
    "purposes": ANY,
}
CONSENT_GAP = dict.fromkeys(
    [
        *("consent_id", "subject_id", "recorded_at", "consent_text_version"),
        *("consent_text_language", "purposes_not_covered", "unresolved_recipients"),
    ]
)
EXPORT_SIGNAL = {
    **dict.fromkeys(["signal_id", "created_at", "personal_data_erased_at", "preferred_language"]),
    **dict.fromkeys(["target_group", "urgency", "status", "outcome", "restricted_at"]),
    "source_organisation": {"name"},
    "personal_data": {
        *("first_name", "phone", "email", "postcode", "house_number"),
        *("house_number_addition", "observation"),
    },
    "reasons": [{"code", "label_nl", "label_en"}],
    "team": {"name"},
    "neighbourhood": {"code", "name"},
    # Without include_staff: no actor or author ids.
    "status_history": [{"at", "type", "from_status", "to_status"}],
    "notes": [{"id", "created_at", "body", "erased_at", "corrects_id"}],
    "measurements": [
        {
            **dict.fromkeys(["id", "phase", "instrument", "instrument_version", "declined"]),
            **dict.fromkeys(["taken_at", "total_score", "erased_at"]),
            "answers": [{"item", "question", "answer"}],
        }
    ],
    "referrals": [
        {
            **dict.fromkeys(["step", "created_at", "contact_shared_at", "first_meeting_at"]),
            "ended_at": None,
            "initiative": {"name"},
        }
    ],
    "consent": {
        **dict.fromkeys(["id", "given_at", "recorded_at", "given_by", "representative_relation"]),
        **dict.fromkeys(["method", "recipients", "recipient_names", "withdrawn_at"]),
        "purposes": [{"code", "granted", "description"}],
        "consent_text": {"version", "language", "sha256", "body"},
    },
    "retention": {"rule", "erase_after_days", "clock_started_at", "erase_at", "erased_at"},
}
SUBJECT_EXPORT = {
    "subject_id": None,
    "generated_at": None,
    "include_staff": None,
    "controller": {"name", "contact"},
    "lawful_bases": [
        {
            *("activity", "description", "consent_based", "gdpr_art6", "gdpr_art6_ground"),
            *("gdpr_art9", "gdpr_art9_ground", "national_law"),
        }
    ],
    "signals": [EXPORT_SIGNAL],
    "access_history": [{"occurred_at", "action", "outcome", "purpose", "roles", "organisation"}],
    # One line per look, in words in the resident's language (docs/adr/0048).
    "looks": [
        {
            *("first_at", "last_at", "count", "action", "action_text", "outcome"),
            *("outcome_text", "purpose", "purpose_text", "roles", "roles_text", "organisation"),
        }
    ],
    "language": None,
}


INITIATIVE = {
    *("id", "slug", "name", "organisation", "description_nl", "description_en", "kinds"),
    *("target_groups", "reasons", "citywide", "buurt_codes", "wijk_codes", "languages"),
    *("step_free", "transport_offered", "cost", "contact_route", "accepting_new"),
    "last_verified_on",
}
SUGGESTIONS = {
    "signal_id": None,
    "results": [
        {"initiative": INITIATIVE, **dict.fromkeys(["score", "matched", "unmatched"])}
        | {"matched_reasons": None}
    ],
}
REFERRAL = {
    **dict.fromkeys(["id", "step", "allowed_steps", "follow_up_on", "overdue", "active"]),
    **dict.fromkeys(["contact_shared_at", "first_meeting_at", "created_at", "ended_at"]),
    "initiative": {"id", "name"},
    "consent": {"share_allowed", "missing_purpose", "missing_recipient", "consent_withdrawn"},
}
# The handover (the resident's contact details for the initiative) only with consent; the
# matrix's signals have none, so it is null there.
REFERRAL_STEP = {**REFERRAL, "handover": {"initiative", "initiative_contact_route", "resident"}}
OPTION = {"code", "label_nl", "label_en"}
INSTRUMENT = {
    **dict.fromkeys(["id", "code", "version", "name_nl", "name_en", "source"]),
    "subscales": [OPTION],
    "items": [{**dict.fromkeys(["code", "subscale", "text_nl", "text_en"]), "options": [OPTION]}],
    "bands": [{*OPTION, "low", "high"}],
}
MEASUREMENT = {
    **dict.fromkeys(["id", "phase", "declined", "language", "taken_at", "follow_up_due_at"]),
    **dict.fromkeys(["recorded_at", "erased_at"]),
    "instrument": {"id", "code", "version"},
    "answers": [{"item", "option"}],
    "score": {"subscores": ANY, "total": None, "band": None, "missing": None},
}
FIGURES = [{"value", "label", "count", "suppressed"}]
STATS = {
    **dict.fromkeys(["period", "released", "threshold", "up_to", "months", "filter", "total"]),
    "instrument": {"id", "code", "version"},
    "tables": dict.fromkeys(
        [
            *("wijk", "month", "target_group", "urgency", "status", "outcome", "baseline"),
            *("follow_up", "score_change"),
        ],
        FIGURES,
    ),
    "grid": [{"wijk", "month", "signals", "connections"}],
    "times": {"acknowledgement": {"median_hours", "p90_hours"}, "first_contact": ANY},
    "shares": {"connected", "connected_to_initiative", "connected_to_informal_network"},
    "paired_change": {"pairs", "mean_change"},
    "referrals": [{"kind", "label", "referrals", "first_meetings"}],
}


def page(row: Any) -> dict[str, Any]:
    return {"next": None, "previous": None, "results": [row]}


# (method, route) -> spec of a 2xx body. Routes without an entry answer a 2xx that is not JSON
# (the schema, docs, CSV exports) or no body (204); matrix tests check the content type then.
MEMBERSHIP_REQUEST = {
    *("id", "team_id", "team_name", "user_id", "full_name", "role", "status", "created_at"),
}
SHAPES: dict[tuple[str, str], Any] = {
    ("GET", "healthz"): {"status"},
    ("GET", "readyz"): {
        "status": None,
        "failed": None,
        "checks": {"database": {"status"}},
        # Reported for monitoring without changing the status (docs/adr/0019): the broker's
        # state and memory use, each queue's heartbeat age and worker name. No personal data.
        "monitoring": {"broker": ANY, "workers": ANY},
    },
    # The NL API Design Rules' public document (docs/adr/0043), the same for every caller.
    ("GET", "api/v1/openapi.json"): dict.fromkeys(
        ["openapi", "info", "paths", "components", "servers", "tags"], ANY
    ),
    ("POST", "api/v1/auth/refresh"): {"access", "refresh"},
    ("POST", "api/v1/auth/mfa/totp"): {"otpauth_uri", "secret", "qr_svg_data_uri"},
    ("GET", "api/v1/me"): {
        **dict.fromkeys(["id", "email", "full_name", "language", "roles"]),
        "organisation": {"id", "name", "kind"},
        "teams": [{"id", "name", "role"}],
    },
    ("GET", "api/v1/teams"): [{"id", "name", "is_central"}],
    ("GET", "api/v1/teams/<uuid:team_id>/members"): [{"id", "full_name", "role"}],
    ("GET", "api/v1/membership-requests"): [MEMBERSHIP_REQUEST],
    ("POST", "api/v1/membership-requests/<uuid:membership_request_id>/approve"): MEMBERSHIP_REQUEST,
    ("POST", "api/v1/membership-requests/<uuid:membership_request_id>/refuse"): MEMBERSHIP_REQUEST,
    ("GET", "api/v1/me/notification-preferences"): PREFERENCES,
    ("PUT", "api/v1/me/notification-preferences"): PREFERENCES,
    ("POST", "api/v1/signals"): RECEIPT,
    ("GET", "api/v1/signals/<uuid:signal_id>"): SIGNAL_DETAIL,
    ("POST", "api/v1/signals/<uuid:signal_id>/transitions"): SIGNAL_DETAIL,
    ("POST", "api/v1/signals/<uuid:signal_id>/assign"): SIGNAL_DETAIL,
    ("POST", "api/v1/signals/<uuid:signal_id>/forward"): RECEIPT,
    ("POST", "api/v1/signals/<uuid:signal_id>/notes"): NOTE,
    ("POST", "api/v1/signals/<uuid:signal_id>/withdraw-consent"): MY_SIGNAL,
    ("POST", "api/v1/signals/<uuid:signal_id>/break-glass"): BREAK_GLASS,
    ("GET", "api/v1/audit/break-glass"): page(BREAK_GLASS_ENTRY),
    ("GET", "api/v1/queue"): page(QUEUE_ROW),
    ("GET", "api/v1/initiatives"): page(INITIATIVE),
    ("GET", "api/v1/signals/<uuid:signal_id>/suggestions"): SUGGESTIONS,
    ("GET", "api/v1/signals/<uuid:signal_id>/referrals"): [REFERRAL],
    ("POST", "api/v1/signals/<uuid:signal_id>/referrals"): REFERRAL_STEP,
    ("POST", "api/v1/signals/<uuid:signal_id>/referral-steps"): REFERRAL_STEP,
    ("GET", "api/v1/my/signals"): [MY_SIGNAL],
    ("GET", "api/v1/consent-texts"): [{"id", "version", "language", "body", "sha256", "purposes"}],
    ("GET", "api/v1/reason-codes"): [{"code", "label_nl", "label_en"}],
    ("GET", "api/v1/instruments"): [INSTRUMENT],
    ("GET", "api/v1/signals/<uuid:signal_id>/measurements"): [MEASUREMENT],
    ("POST", "api/v1/signals/<uuid:signal_id>/measurements"): MEASUREMENT,
    ("GET", "api/v1/stats"): STATS,
    ("GET", "api/v1/stats/tables"): {"name", "columns", "rows"},
    ("GET", "api/v1/devices"): [DEVICE],
    ("POST", "api/v1/devices"): DEVICE,
    ("GET", "api/v1/audit/access-log"): page(ACCESS_LOG_ENTRY),
    ("GET", "api/v1/privacy/subjects/<uuid:subject_id>/export"): SUBJECT_EXPORT,
    ("POST", "api/v1/privacy/subjects/<uuid:subject_id>/erasure"): SUBJECT_REQUEST,
    ("POST", "api/v1/privacy/subjects/<uuid:subject_id>/restriction"): SUBJECT_REQUEST,
    ("POST", "api/v1/privacy/subjects/<uuid:subject_id>/restriction/lift"): SUBJECT_REQUEST,
    ("GET", "api/v1/privacy/requests"): page(SUBJECT_REQUEST),
    ("POST", "api/v1/privacy/requests"): SUBJECT_REQUEST,
    ("POST", "api/v1/privacy/requests/<uuid:request_id>/close"): SUBJECT_REQUEST,
    ("GET", "api/v1/privacy/consent-register"): page(CONSENT_REGISTER_ENTRY),
    ("GET", "api/v1/privacy/consent-gaps"): page(CONSENT_GAP),
    ("GET", "api/v1/privacy/processing-register"): dict.fromkeys(  # from code and settings
        [
            *("controller", "data_subjects", "generated_at", "lawful_bases", "legal_basis"),
            "personal_data",
            *("processing_activity", "purposes", "recipients", "retention", "security_measures"),
            "transfers_outside_eea",
        ],
        ANY,
    ),
}
# Non-JSON successes: route -> content type the answer must have.
CONTENT_TYPES = {
    "api/v1/audit/access-log/export": "text/csv",
    "api/v1/stats/charts": "image/svg+xml",
    "api/schema/": "application/vnd.oai.openapi",
    "api/docs/": "text/html",
    "api/redoc/": "text/html",
}


def rows_to_check(body: Any, spec: Any) -> bool:
    """False when a list answer is empty, so its allow-list would check nothing."""
    if isinstance(spec, list):
        return bool(body)
    if isinstance(spec, dict) and isinstance(spec.get("results"), list):
        return bool(body.get("results"))
    return True


def key_errors(body: Any, spec: Any, where: str = "") -> list[str]:
    """Where `body` has keys other than `spec` allows (or lacks one), as readable paths."""
    if spec is ANY or spec is None or body is None:
        return []
    if isinstance(spec, list):
        if not isinstance(body, list):
            return [f"{where or 'body'}: expected a list, got {type(body).__name__}"]
        return [
            e for i, item in enumerate(body) for e in key_errors(item, spec[0], f"{where}[{i}]")
        ]
    if not isinstance(body, dict):
        return [f"{where or 'body'}: expected an object, got {type(body).__name__}"]
    allowed = spec if isinstance(spec, dict) else dict.fromkeys(spec)
    errors = []
    extra, absent = set(body) - set(allowed), set(allowed) - set(body)
    if extra:
        errors.append(f"{where or 'body'}: keys not on the allow-list: {sorted(extra)}")
    if absent:
        errors.append(f"{where or 'body'}: keys missing: {sorted(absent)}")
    for key in set(body) & set(allowed):
        errors += key_errors(body[key], allowed[key], f"{where}.{key}" if where else key)
    return errors
