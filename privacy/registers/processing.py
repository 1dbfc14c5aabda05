"""The register of processing activities (AVG art. 30(1)) as data, generated from code and
settings: personal fields, encrypted fields, retention policy, roles, push payload, security
settings. It describes what the system does rather than what someone last wrote down; the
prose around those facts is in privacy.registers.texts."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from audit.fields import EncryptedTextField
from audit.models import Purpose
from outcomes.personal_data import MEASUREMENT_FIELDS
from privacy.registers import texts
from privacy.registers.lawful_bases import lawful_bases_data
from privacy.retention import RETENTION_CLOCK, retention_policies
from signals.models import Signal, Status
from signals.personal_data import NOTE_BODY, PERSONAL_FIELDS, field_label

# What stays of a signal once its personal data is erased.
KEPT_AFTER_ERASURE = [
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

STAFF_DATA = [
    "accounts.User.email",
    "accounts.User.full_name",
    "accounts.User.organisation",
    "accounts.LoginSession",
    "otp devices",
    "privacy.AccessLog (actor id, roles, organisation, client address, user agent)",
]


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


def _resident_fields() -> list[dict[str, Any]]:
    encrypted = encrypted_field_labels()
    fields = [
        {
            "field": f"signals.Signal.{name}",
            "description": str(Signal._meta.get_field(name).verbose_name),
            "encrypted_at_rest": f"signals.Signal.{name}" in encrypted,
        }
        for name in PERSONAL_FIELDS
    ]
    fields.append(
        {
            "field": "signals.SignalNote.body",
            "description": field_label(NOTE_BODY),
            "encrypted_at_rest": "signals.SignalNote.body" in encrypted,
        }
    )
    fields += [
        {
            "field": f"outcomes.Measurement.{name}",
            "description": str(texts.MEASUREMENT_ANSWERS),
            "encrypted_at_rest": f"outcomes.Measurement.{name}" in encrypted,
        }
        for name in MEASUREMENT_FIELDS
    ]
    return fields


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
                    "rule": texts.retention_rule(days),
                }
            )
        else:
            rows.append(
                {
                    "status": status.value,
                    "erase_after_days": None,
                    "clock": None,
                    "rule": str(texts.RETENTION_OPEN),
                }
            )
    return rows


def _purposes() -> list[dict[str, Any]]:
    granted = [
        {"code": code, "description": str(text), "granted_per_resident": True}
        for code, text in texts.CONSENT_PURPOSES.items()
    ]
    of_the_access_log = [
        {"code": purpose.value, "description": str(purpose.label), "granted_per_resident": False}
        for purpose in Purpose
    ]
    return granted + of_the_access_log


def _security_measures() -> dict[str, Any]:
    return {
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
    }


def processing_register() -> dict[str, Any]:
    """The register of processing activities (AVG art. 30(1)) for Buurtsignaal, as data."""
    return {
        "generated_at": timezone.now(),
        "controller": {
            "name": settings.PRIVACY_CONTROLLER_NAME,
            "contact": settings.PRIVACY_CONTROLLER_CONTACT,
            "data_protection_officer": settings.PRIVACY_DPO_CONTACT,
        },
        "processing_activity": str(texts.PROCESSING_ACTIVITY),
        "legal_basis": str(texts.LEGAL_BASIS),
        "lawful_bases": lawful_bases_data(),
        "purposes": _purposes(),
        "data_subjects": [
            {"category": "resident", "description": str(texts.DATA_SUBJECT_RESIDENT)},
            {
                "category": "staff",
                "description": str(texts.DATA_SUBJECT_STAFF),
                "roles": [role.value for role in Role],
            },
        ],
        "personal_data": {
            "resident": _resident_fields(),
            "special_categories": str(texts.SPECIAL_CATEGORIES),
            "not_collected": [str(text) for text in texts.NOT_COLLECTED],
            "kept_after_erasure": KEPT_AFTER_ERASURE,
            "staff": STAFF_DATA,
        },
        "recipients": [
            {"recipient": recipient, "description": str(text)}
            for recipient, text in texts.RECIPIENTS.items()
        ],
        "transfers_outside_eea": [
            {
                "recipient": "Google Firebase Cloud Messaging",
                "active": settings.PUSH_GATEWAY == "fcm",
                "data": push_payload_keys(),
                "description": str(texts.PUSH_TRANSFER),
            }
        ],
        "retention": {
            "signals": _retention_section(),
            "restricted": str(texts.RETENTION_RESTRICTED),
            "access_log": str(texts.RETENTION_ACCESS_LOG),
        },
        "security_measures": _security_measures(),
    }
