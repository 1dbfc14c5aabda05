"""The consent register and the AVG art. 30 processing register, for the privacy officer.

The processing register is generated from code and settings (personal fields, encrypted fields,
retention policy, roles, push payload, security settings), so it describes what the system
does rather than what someone last wrote down. The texts around those facts live here and are
maintained with the code (docs/adr/0013)."""

from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from accounts.roles import Role
from audit import csv_export
from audit.fields import EncryptedTextField
from audit.models import Purpose
from privacy.retention import RETENTION_CLOCK, retention_policies
from signals.models import Consent, Signal, Status
from signals.services import PERSONAL_FIELDS

# Consent purposes a resident grants one by one (signals.api.serializers.PurposesInput).
CONSENT_PURPOSES: dict[str, tuple[str, str]] = {
    "team_contact": (
        "Contact door het buurtteam om samen te kijken wat kan helpen",
        "Contact by the neighbourhood team to look together at what could help",
    ),
    "share_with_initiative": (
        "Doorgeven aan de genoemde lokale initiatieven",
        "Passing on to the named local initiatives",
    ),
}


def _t(nl: str, en: str) -> str:
    return en if (translation.get_language() or "nl")[:2] == "en" else nl


def purpose_description(code: str) -> str:
    """The consent purpose in the request's language; an unknown code as itself."""
    return _t(*CONSENT_PURPOSES[code]) if code in CONSENT_PURPOSES else code


# --- consent register ---------------------------------------------------------------------------

CONSENT_REGISTER_COLUMNS = [
    "consent_id",
    "subject_id",
    "given_at",
    "recorded_at",
    "method",
    "given_by",
    "purposes",
    "recipients",
    "consent_text_version",
    "consent_text_language",
    "consent_text_sha256",
    "recorded_by_organisation",
    "withdrawn_at",
]


def consent_register_rows() -> QuerySet[Consent]:
    """Every consent record, newest first, with what the register shows joined in."""
    return Consent.objects.select_related(
        "signal", "consent_text", "recorded_by__organisation", "withdrawal"
    ).order_by("-recorded_at", "-id")


def consent_register_entry(consent: Consent) -> dict[str, Any]:
    """One register line: ids, dates, codes and the text version. No names, no contact data,
    not the representative's relation and not the withdrawal's free-text reason."""
    withdrawal = getattr(consent, "withdrawal", None)
    organisation = consent.recorded_by.organisation
    return {
        "consent_id": consent.pk,
        "subject_id": consent.signal.subject_id,
        "given_at": consent.given_at,
        "recorded_at": consent.recorded_at,
        "method": consent.method,
        "given_by": consent.given_by,
        "purposes": {str(code): bool(granted) for code, granted in consent.purposes.items()},
        "recipients": [str(recipient) for recipient in consent.recipients],
        "consent_text_version": consent.consent_text.version,
        "consent_text_language": consent.consent_text.language,
        "consent_text_sha256": consent.consent_text_sha256,
        "recorded_by_organisation": organisation.name if organisation else "",
        "withdrawn_at": withdrawal.withdrawn_at if withdrawal else None,
    }


def _yes_no(purposes: dict[str, Any]) -> str:
    return ";".join(f"{key}={'yes' if granted else 'no'}" for key, granted in purposes.items())


def csv_lines(columns: list[str], entries: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The consent register as CSV: purposes read `team_contact=yes;...`."""
    rows = ([entry[column] for column in columns] for entry in entries)
    return csv_export.csv_lines(columns, rows, format_dict=_yes_no)


# --- processing register (art. 30) --------------------------------------------------------------


def _field_label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def encrypted_field_labels() -> list[str]:
    """Every model field stored encrypted at rest, as app_label.Model.field."""
    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    )


def push_payload_keys() -> list[str]:
    """The data keys of a push message, read from the one builder that makes them."""
    from notifications.messages import TEXTS, push_message_build

    message = push_message_build(
        kind=next(iter(TEXTS)),
        object_id="00000000-0000-0000-0000-000000000000",
        language="nl",
        urgent=False,
        collapse="event-0",
        registration_token="register-probe",
    )
    return sorted(message.data)


def _retention_section() -> list[dict[str, Any]]:
    policies = retention_policies()
    rows: list[dict[str, Any]] = []
    for status in Status:
        if status in RETENTION_CLOCK:
            days = policies.get(status)
            rows.append(
                {
                    "status": status.value,
                    "erase_after_days": days,
                    "clock": RETENTION_CLOCK[status],
                    "rule": _t(
                        f"persoonsgegevens gewist {days} dagen na het einde",
                        f"personal data erased {days} days after the end",
                    )
                    if days is not None
                    else _t(
                        "geen termijn ingesteld: bewaard tot een termijn is ingesteld",
                        "no period configured: kept until one is configured",
                    ),
                }
            )
        else:
            rows.append(
                {
                    "status": status.value,
                    "erase_after_days": None,
                    "clock": None,
                    "rule": _t(
                        "bewaard zolang het signaal open is", "kept while the signal is open"
                    ),
                }
            )
    return rows


def processing_register() -> dict[str, Any]:
    """The register of processing activities (AVG art. 30(1)) for Buurtsignaal, as data."""
    resident_fields = [
        {
            "field": f"signals.Signal.{name}",
            "description": _field_label(Signal, name),
            "encrypted_at_rest": f"signals.Signal.{name}" in encrypted_field_labels(),
        }
        for name in PERSONAL_FIELDS
    ]
    resident_fields.append(
        {
            "field": "signals.SignalNote.body",
            "description": _t("notities van het buurtteam", "neighbourhood team notes"),
            "encrypted_at_rest": "signals.SignalNote.body" in encrypted_field_labels(),
        }
    )
    kept_facts = [
        "preferred_language",
        "target_group",
        "reasons",
        "urgency",
        "neighbourhood",
        "status",
        "outcome",
        "created_at",
        "closed_at",
    ]
    push_active = settings.PUSH_GATEWAY == "fcm"
    return {
        "generated_at": timezone.now(),
        "controller": {
            "name": settings.PRIVACY_CONTROLLER_NAME,
            "contact": settings.PRIVACY_CONTROLLER_CONTACT,
            "data_protection_officer": settings.PRIVACY_DPO_CONTACT,
        },
        "processing_activity": _t(
            "Buurtsignaal: met toestemming van een bewoner een signaal vastleggen dat die "
            "bewoner misschien meer verbinding zoekt, het naar het buurtteam van de buurt "
            "sturen en het opvolgen.",
            "Buurtsignaal: recording, with a resident's consent, a signal that the resident may "
            "want more connection, routing it to the neighbourhood team and following it up.",
        ),
        "legal_basis": _t(
            "Toestemming (AVG art. 6(1)(a)); uitdrukkelijke toestemming voor bijzondere "
            "persoonsgegevens (art. 9(2)(a)). Toegangslog: wettelijke verplichting en "
            "gerechtvaardigd belang (NEN 7513).",
            "Consent (GDPR art. 6(1)(a)); explicit consent for special-category data "
            "(art. 9(2)(a)). Access log: legal obligation and legitimate interest (NEN 7513).",
        ),
        "purposes": [
            {"code": code, "description": _t(*texts), "granted_per_resident": True}
            for code, texts in CONSENT_PURPOSES.items()
        ]
        + [
            {
                "code": purpose.value,
                "description": str(purpose.label),
                "granted_per_resident": False,
            }
            for purpose in Purpose
        ],
        "data_subjects": [
            {
                "category": "resident",
                "description": _t(
                    "bewoners over wie een signaal is vastgelegd (pseudoniem betrokkene-id)",
                    "residents a signal was recorded about (pseudonymous subject id)",
                ),
            },
            {
                "category": "staff",
                "description": _t("gebruikers van het platform", "users of the platform"),
                "roles": [role.value for role in Role],
            },
        ],
        "personal_data": {
            "resident": resident_fields,
            "special_categories": _t(
                "De waarneming en teamnotities kunnen gegevens over gezondheid, stemming of "
                "rouw bevatten (art. 9): alleen met uitdrukkelijke toestemming.",
                "The observation and team notes may hold data about health, mood or grief "
                "(art. 9): only with explicit consent.",
            ),
            "not_collected": [
                "BSN",
                _t("geboortedatum", "date of birth"),
                _t("volledige naam", "full name"),
            ],
            "kept_after_erasure": kept_facts,
            "staff": [
                "accounts.User.email",
                "accounts.User.full_name",
                "accounts.User.organisation",
                "accounts.LoginSession",
                "otp devices",
                "privacy.AccessLog (actor id, roles, organisation, client address, user agent)",
            ],
        },
        "recipients": [
            {
                "recipient": "neighbourhood_team",
                "description": _t(
                    "het buurtteam dat de buurt dekt (of het centrale team)",
                    "the neighbourhood team covering the buurt (or the central team)",
                ),
            },
            {
                "recipient": "initiative",
                "description": _t(
                    "lokale initiatieven, alleen als de bewoner daar per initiatief toestemming "
                    "voor gaf",
                    "local initiatives, only with the resident's consent per initiative",
                ),
            },
            {
                "recipient": "signaller",
                "description": _t(
                    "de signaleerder ziet alleen de status van het eigen signaal",
                    "the signaller sees only the status of their own signal",
                ),
            },
        ],
        "transfers_outside_eea": [
            {
                "recipient": "Google Firebase Cloud Messaging",
                "active": push_active,
                "data": push_payload_keys(),
                "description": _t(
                    "alleen een soort gebeurtenis, een betekenisloos id en een algemene tekst; "
                    "geen namen, adressen of inhoud",
                    "only an event type, an opaque id and a generic text; no names, addresses "
                    "or content",
                ),
            }
        ],
        "retention": {
            "signals": _retention_section(),
            "restricted": _t(
                "bij beperking (art. 18) wordt niet gewist tot de beperking is opgeheven",
                "while restricted (art. 18) nothing is erased until the restriction is lifted",
            ),
            "access_log": _t(
                "onbeperkt, alleen toevoegen (NEN 7513); archiveren is toekomstig werk",
                "unlimited, append-only (NEN 7513); archiving is future work",
            ),
        },
        "security_measures": {
            "second_factor": {
                "totp_required": True,
                "field_workers_exempt": settings.MFA_EXEMPT_FIELD_WORKERS,
            },
            "encryption_at_rest": {
                "fields": encrypted_field_labels(),
                "keys_configured": len(settings.FIELD_ENCRYPTION_KEYS),
            },
            "access_log": "append-only (database triggers), SHA-256 hash chain, verify_access_log",
            "authorisation": "team visibility per signal (404 outside), capabilities per role",
            "login_lockout_after_failures": settings.AXES_FAILURE_LIMIT,
            "access_token_minutes": int(
                settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() // 60
            ),
            "responses_with_personal_data": "Cache-Control: no-store",
            "pseudonymisation": "subject_id in logs, requests and registers",
        },
    }


def _md_escape(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def processing_register_markdown(register: dict[str, Any]) -> str:
    """The register as a Markdown document (for the privacy officer's file)."""
    lines = [
        "# " + _t("Verwerkingsregister (AVG art. 30)", "Record of processing (GDPR art. 30)"),
        "",
        f"_{register['generated_at'].astimezone(UTC).isoformat()}_",
        "",
        "## " + _t("Verwerkingsverantwoordelijke", "Controller"),
        "",
    ]
    for key, value in register["controller"].items():
        lines.append(f"- {key}: {value or _t('niet ingesteld', 'not configured')}")
    lines += [
        "",
        "## " + _t("Verwerking", "Processing"),
        "",
        register["processing_activity"],
        "",
        register["legal_basis"],
        "",
        "## " + _t("Doelen", "Purposes"),
        "",
    ]
    lines += [f"- `{p['code']}`: {p['description']}" for p in register["purposes"]]
    lines += ["", "## " + _t("Betrokkenen", "Data subjects"), ""]
    lines += [f"- {d['category']}: {d['description']}" for d in register["data_subjects"]]
    data = register["personal_data"]
    lines += [
        "",
        "## " + _t("Persoonsgegevens", "Personal data"),
        "",
        "| field | description | encrypted |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| `{f['field']}` | {_md_escape(f['description'])} | {f['encrypted_at_rest']} |"
        for f in data["resident"]
    ]
    lines += [
        "",
        data["special_categories"],
        "",
        _t("Niet verzameld: ", "Not collected: ") + ", ".join(data["not_collected"]),
        _t("Bewaard na wissen (anoniem): ", "Kept after erasure (anonymous): ")
        + ", ".join(data["kept_after_erasure"]),
        _t("Medewerkers: ", "Staff: ") + ", ".join(data["staff"]),
        "",
        "## " + _t("Ontvangers", "Recipients"),
        "",
    ]
    lines += [f"- {r['recipient']}: {r['description']}" for r in register["recipients"]]
    lines += ["", "## " + _t("Doorgifte buiten de EER", "Transfers outside the EEA"), ""]
    for transfer in register["transfers_outside_eea"]:
        lines.append(
            f"- {transfer['recipient']} (active: {transfer['active']}): "
            f"{transfer['description']} (keys: {', '.join(transfer['data'])})"
        )
    retention = register["retention"]
    lines += [
        "",
        "## " + _t("Bewaartermijnen", "Retention"),
        "",
        "| status | days | clock | rule |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['status']} | {'' if r['erase_after_days'] is None else r['erase_after_days']} "
        f"| {r['clock'] or ''} | {_md_escape(r['rule'])} |"
        for r in retention["signals"]
    ]
    lines += [
        "",
        retention["restricted"],
        "",
        retention["access_log"],
        "",
        "## " + _t("Beveiligingsmaatregelen", "Security measures"),
        "",
    ]
    for key, value in register["security_measures"].items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines) + "\n"
