"""N signals streamed into PostgreSQL with COPY: every state, skewed ages, consent, reasons,
events and notes, personal fields encrypted for real.

Encrypting a million values one by one would take minutes and prove nothing more: a handful of
distinct plaintexts is encrypted once with the application's own key (audit.encryption) and
the ciphertexts are reused, so reads decrypt real Fernet tokens. Old ended signals are erased as
retention would have erased them. Column lists come from the models, so a new column with a
default needs no change here; one without a default stops the load with its name.
"""

import json
import random
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models
from tqdm import tqdm

from audit.encryption import encrypt_text
from bench.dataset.world import World
from signals.models import Consent, ConsentWithdrawal, Signal, SignalEvent, SignalNote

CHUNK = 20_000
NULL = "\\N"

# status: (share, mean age in days, ended)
STATES = {
    "closed": (0.62, 250, True),
    "declined": (0.08, 200, True),
    "withdrawn": (0.03, 200, True),
    "in_follow_up": (0.07, 40, False),
    "contacted": (0.06, 25, False),
    "acknowledged": (0.06, 12, False),
    "routed": (0.067, 4, False),
    "forwarded": (0.005, 1, False),
    "received": (0.008, 0.01, False),
}
RETENTION_DAYS = {"closed": 365, "declined": 90, "withdrawn": 0}
PATHS = {
    "received": [],
    "routed": [],
    "forwarded": [],
    "acknowledged": ["acknowledged"],
    "contacted": ["acknowledged", "contacted"],
    "in_follow_up": ["acknowledged", "contacted", "in_follow_up"],
    "closed": ["acknowledged", "contacted", "in_follow_up", "closed"],
    "declined": ["declined"],
    "withdrawn": ["acknowledged"],
}
NAMES = ["Wilhelmina", "Johannes", "Fatima", "Mehmet", "Anna", "Kees", "Samira", "Gerrit"]
PHONES = ["+31 6 12345678", "+31 30 2345678", "", ""]
EMAILS = ["bewoner@example.test", "", "", "buur@example.test"]
OBSERVATIONS = [
    "Zit vaak alleen op het bankje bij de flat.",
    "Vertelde dat de kinderen ver weg wonen en zelden bellen.",
    "Sinds het overlijden van haar man komt ze de deur weinig uit.",
    "Wil graag Nederlands oefenen met iemand uit de buurt.",
    "Pas verhuisd, kent nog niemand in de straat.",
    "",
]
NOTES = [
    "Gebeld, volgende week langs voor een kop koffie.",
    "Mevrouw wil graag mee met de Plusbus.",
    "Samen naar het buurthuis geweest; positief.",
    "Doorverwezen naar het taalcafé.",
]
LANGUAGES = ["nl"] * 7 + ["en", "ar", "tr", "pl", ""]
TARGET_GROUPS = ["elderly_at_home"] * 5 + ["migrant_elderly"] * 2 + ["young_adult"] * 2 + ["other"]
URGENCIES = ["normal"] * 15 + ["soon"] * 4 + ["urgent"]
OUTCOMES = [
    "connected_to_initiative",
    "connected_to_informal_network",
    "referred_to_professional_care",
    "resident_declined_help",
    "no_contact_possible",
]


def _safe(text: str) -> str:
    """COPY text format: no backslash, tab or newline may appear unescaped."""
    assert not any(ch in text for ch in "\\\t\n\r"), "pool values must be COPY-safe"
    return text


def _cipher(values: Iterable[str]) -> dict[str, str]:
    return {value: _safe(encrypt_text(value)) if value else "" for value in set(values)}


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Table:
    """COPY of one model's table: columns from the model, values per row by column name."""

    def __init__(self, model: type[models.Model], *, skip: tuple[str, ...] = ()) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if f.column not in skip]
        self.columns = [f.column for f in fields]
        self.fill: dict[str, str] = {}
        self.required = set()
        for f in fields:
            if f.has_default() and not callable(f.default):
                self.fill[f.column] = _format(f.get_default())
            elif f.null:
                self.fill[f.column] = NULL
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                self.fill[f.column] = ""
            else:
                self.required.add(f.column)
        self.lines: list[str] = []
        self.checked = False

    def add(self, values: dict[str, str]) -> None:
        if not self.checked:
            missing = sorted(self.required - values.keys())
            if missing:
                raise RuntimeError(f"{self.model._meta.db_table}: no bench value for {missing}")
            self.checked = True
        fill = self.fill
        self.lines.append("\t".join(values[c] if c in values else fill[c] for c in self.columns))

    def flush(self) -> None:
        if not self.lines:
            return
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            copy_sql = f"COPY {table} ({', '.join(self.columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write("\n".join(self.lines) + "\n")
        self.lines = []


def _format(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return _safe(json.dumps(value))
    return _safe(str(value))


class Generator:
    def __init__(self, world: World, *, seed: int, now: datetime) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.now = now
        self.names = _cipher(NAMES)
        self.phones = _cipher(PHONES)
        self.emails = _cipher(EMAILS)
        self.observations = _cipher(OBSERVATIONS)
        self.notes = _cipher(NOTES)
        self.postcodes = _cipher(p for b in world.buurten for p, _ in b.addresses)
        states = list(STATES)
        self.state_picker = lambda: self.rng.choices(states, [STATES[s][0] for s in states])[0]
        weights = [1 / (i + 1) for i in range(len(world.field_workers))]  # a few submit most
        self.fw_weights = weights
        self.team_ids = [t for t in world.teams if t != world.central_team_id]
        self.consent_text_id, self.consent_sha = world.consent_text
        self.tables = {
            "signal": Table(Signal),
            "reasons": Table(Signal.reasons.through, skip=("id",)),
            "consent": Table(Consent),
            "withdrawal": Table(ConsentWithdrawal, skip=("id",)),
            "event": Table(SignalEvent, skip=("id",)),
            "note": Table(SignalNote),
        }
        self.detail_ids: list[str] = []
        self.queue_team = uuid.UUID(world.queue_member["team_id"])

    def one(self) -> None:
        rng, now = self.rng, self.now
        status = self.state_picker()
        _, mean_age, ended = STATES[status]
        age = min(rng.expovariate(1 / mean_age), 1100 if ended else 365)
        created = now - timedelta(days=age, seconds=rng.random() * 3600)
        buurt = rng.choice(self.world.buurten)
        postcode, number = rng.choice(buurt.addresses)
        fw_id, fw_org = rng.choices(self.world.field_workers, self.fw_weights)[0]
        team_id = buurt.team_id
        members = self.world.teams[team_id]
        sid = _uuid(rng)
        urgency = rng.choice(URGENCIES)
        span = max((now - created).total_seconds(), 120.0)
        routed_at = created + timedelta(seconds=rng.uniform(2, 60))
        ack_due = routed_at + timedelta(hours=16 if urgency == "normal" else 8)
        contact_due = routed_at + timedelta(hours=40 if urgency == "normal" else 16)

        events: list[dict[str, str]] = []
        notes: list[dict[str, str]] = []
        assignee = rng.choice(members["members"]) if rng.random() < 0.6 else None

        def event(kind: str, at: datetime, **values: str) -> None:
            events.append(
                {"signal_id": sid, "type": kind, "created_at": _ts(at), "data": "{}", **values}
            )

        event("created", created, to_status="received", actor_id=str(fw_id))
        current, last_at = "received", created
        if status != "received":
            event(
                "routed",
                routed_at,
                from_status="received",
                to_status="routed",
                data=f'{{"team_id": "{team_id}", "reason": "coverage", "rule_id": null, '
                '"forwarded": false}',
            )
            current, last_at = "routed", routed_at
        steps = PATHS[status]
        worker = assignee or rng.choice(members["members"])
        for n, step in enumerate(steps, start=1):
            at = routed_at + timedelta(seconds=span * 0.8 * n / (len(steps) + 1))
            data = "{}"
            if step == "closed":
                data = f'{{"outcome": "{rng.choice(OUTCOMES)}"}}'
            event(
                "transitioned",
                at,
                from_status=current,
                to_status=step,
                actor_id=str(worker),
                data=data,
            )
            current, last_at = step, at
            if step in ("acknowledged", "contacted", "in_follow_up", "declined"):
                note_id = _uuid(rng)
                note_at = at + timedelta(seconds=30)
                notes.append(
                    {
                        "id": note_id,
                        "author_id": str(worker),
                        "created_at": _ts(note_at),
                        "body": self.notes[rng.choice(NOTES)],
                    }
                )
                event("note_added", note_at, actor_id=str(worker), note_id=note_id)
                last_at = note_at
        if status == "forwarded":
            other = rng.choice(self.team_ids)
            at = routed_at + timedelta(seconds=span * 0.5)
            event(
                "forwarded",
                at,
                from_status="routed",
                to_status="forwarded",
                actor_id=str(rng.choice(members["coordinators"])),
                data=f'{{"from_team_id": "{team_id}", "to_team_id": "{other}"}}',
            )
            last_at = at
        ended_at = last_at if ended else None
        erased_at = None
        if status == "withdrawn":
            at = last_at + timedelta(seconds=60)
            event(
                "consent_withdrawn",
                at,
                from_status=current,
                to_status="withdrawn",
                actor_id=str(fw_id),
            )
            event("personal_data_erased", at, data='{"reason": "consent_withdrawn"}')
            ended_at, erased_at, last_at = at, at, at
        elif ended and ended_at + timedelta(days=RETENTION_DAYS[status]) < now:
            erased_at = ended_at + timedelta(days=RETENTION_DAYS[status], hours=1)
            event("personal_data_erased", erased_at, data='{"reason": "retention"}')
            last_at = erased_at

        due = {
            "received": created,
            "forwarded": last_at,
            "routed": ack_due,
            "acknowledged": contact_due,
        }.get(status)
        if due is None:
            due = ended_at if ended else last_at + timedelta(days=14)
        erased = erased_at is not None
        row = {
            "id": sid,
            "subject_id": _uuid(rng),
            "client_uuid": _uuid(rng),
            "request_fingerprint": f"{rng.getrandbits(256):064x}",
            "created_by_id": str(fw_id),
            "source_organisation_id": str(fw_org),
            "resident_first_name": "" if erased else self.names[rng.choice(NAMES)],
            "contact_phone": "" if erased else self.phones[rng.choice(PHONES)],
            "contact_email": "" if erased else self.emails[rng.choice(EMAILS)],
            "postcode": "" if erased else self.postcodes[postcode],
            "house_number": NULL if erased else str(number),
            "house_number_addition": "",
            "observation": "" if erased else self.observations[rng.choice(OBSERVATIONS)],
            "personal_data_erased_at": _ts(erased_at) if erased else NULL,
            "restricted_at": NULL,
            "preferred_language": rng.choice(LANGUAGES),
            "target_group": rng.choice(TARGET_GROUPS),
            "urgency": urgency,
            "neighbourhood_id": NULL if status == "received" else str(buurt.id),
            "mapping_version_id": NULL
            if status == "received"
            else str(self.world.mapping_version_id),
            "status": status,
            "version": str(len(events)),
            "team_id": NULL if status == "received" else str(team_id),
            "forward_to_team_id": NULL,
            "assigned_to_id": str(assignee) if assignee and current != "routed" else NULL,
            "routing_rule_id": NULL,
            "outcome": json.loads(events[-2 if erased else -1]["data"]).get("outcome", "")
            if status == "closed"
            else "",
            "acknowledge_due_at": NULL if status == "received" else _ts(ack_due),
            "first_contact_due_at": NULL if status == "received" else _ts(contact_due),
            "due_at": _ts(due),
            "escalated_at": _ts(ack_due)
            if status == "routed" and ack_due < now and rng.random() < 0.5
            else NULL,
            "routed_at": NULL if status == "received" else _ts(routed_at),
            "closed_at": _ts(ended_at) if ended else NULL,
            "created_at": _ts(created),
            "updated_at": _ts(last_at),
        }
        if status == "forwarded":
            row["forward_to_team_id"] = json.loads(events[-1]["data"])["to_team_id"]
        if status == "closed" and not row["outcome"]:
            row["outcome"] = rng.choice(OUTCOMES)
        tables = self.tables
        tables["signal"].add(row)
        for reason in rng.sample(self.world.reason_ids, rng.choice((1, 1, 2))):
            tables["reasons"].add({"signal_id": sid, "reasoncode_id": str(reason)})
        consent_id = _uuid(rng)
        representative = rng.random() < 0.1
        tables["consent"].add(
            {
                "id": consent_id,
                "signal_id": sid,
                "given_by": "representative" if representative else "resident",
                "representative_relation": "dochter" if representative else "",
                "recorded_by_id": str(fw_id),
                "given_at": _ts(created - timedelta(minutes=3)),
                "recorded_at": _ts(created),
                "method": "verbal_in_person",
                "purposes": '{"team_contact": true, "share_with_initiative": false}',
                "recipients": '["neighbourhood_team"]',
                "unresolved_recipients": "[]",
                "consent_text_id": str(self.consent_text_id),
                "consent_text_sha256": self.consent_sha,
            }
        )
        if status == "withdrawn":
            tables["withdrawal"].add(
                {
                    "consent_id": consent_id,
                    "withdrawn_by_id": str(fw_id),
                    "reason": "",
                    "withdrawn_at": _ts(ended_at),
                }
            )
        for note in notes:
            note["signal_id"] = sid
            if erased:
                note["body"], note["erased_at"] = "", _ts(erased_at)
            tables["note"].add(note)
        for values in events:
            tables["event"].add(values)
        if (
            team_id == self.queue_team
            and status in ("acknowledged", "contacted", "in_follow_up")
            and len(self.detail_ids) < 20
        ):
            self.detail_ids.append(sid)

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()


def load(*, world: World, size: int, seed: int = 14, progress: Callable | None = None) -> dict:
    """Streams `size` signals into the database. Foreign keys are not checked row by row
    (session_replication_role = replica, for this session only): the rows come from the world
    just made. Returns counts per table and the ids of signals the harness reads."""
    now = datetime.now(UTC)
    generator = Generator(world, seed=seed, now=now)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
    bar = tqdm(total=size, unit="signal", unit_scale=True, desc="signals", mininterval=1)
    done = 0
    while done < size:
        batch = min(CHUNK, size - done)
        for _ in range(batch):
            generator.one()
        generator.flush()
        done += batch
        bar.update(batch)
    bar.close()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
    counts = {
        name: table.model._default_manager.count() for name, table in generator.tables.items()
    }
    return {"counts": counts, "detail_signal_ids": generator.detail_ids}
