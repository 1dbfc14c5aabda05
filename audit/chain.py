"""The hash chain of the access log: a canonical serialisation of a row and its SHA-256.

Pure functions, shared by the writer (audit.services) and the verifier (audit.verify), so
both hash exactly the same bytes. Changing anything here invalidates every existing row: bump
CHAIN_VERSION and teach the verifier both versions instead.
"""

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64

# Every stored column except row_hash itself. The sequence is included, so moving a row breaks
# its own hash as well as the links around it.
HASHED_FIELDS = (
    "event_id",
    "sequence",
    "occurred_at",
    "action",
    "outcome",
    "actor_id",
    "actor_roles",
    "actor_organisation_id",
    "client_address",
    "user_agent",
    "subject_id",
    "object_type",
    "object_id",
    "fields_touched",
    "purpose",
    "authorisation_rule",
    "consent_id",
    "request_id",
    "details",
    "previous_hash",
)


def _normalise(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("access log times must be timezone-aware")
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, float):
        # Floats do not survive a JSON column round trip byte for byte.
        raise TypeError("floats are not allowed in access log rows")
    if isinstance(value, Mapping):
        return {str(key): _normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    return value


def canonical_bytes(values: Mapping[str, Any]) -> bytes:
    """Sorted-key compact JSON of the hashed fields; ids and times in one textual form."""
    payload = {"v": CHAIN_VERSION}
    payload.update({name: _normalise(values[name]) for name in HASHED_FIELDS})
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(values)).hexdigest()


def row_values(row: object) -> dict[str, Any]:
    """The hashed fields of a model instance (or anything with those attributes)."""
    return {name: getattr(row, name) for name in HASHED_FIELDS}
