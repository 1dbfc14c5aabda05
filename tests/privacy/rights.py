"""Helpers for the data-subject rights tests: a signal with a team, a note and a team read in the
access log, and a small text extractor for the PDFs reportlab writes."""

import base64
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from audit.context import AccessContext, actor_roles
from audit.models import Action, Purpose
from audit.services import access_log_record
from privacy.subject_rights import subject_request_register
from signals import services
from signals.models import Signal, Status
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.signals.factories import make_signal, team_with_coverage

NOTE = "Mevrouw vertelde over haar kleinzoon in Zwolle."


@dataclass
class Case:
    team: Team
    worker: User
    signaller: User
    officer: User
    signal: Signal


def case(state: str = Status.ACKNOWLEDGED, *, note: bool = True, team_read: bool = True) -> Case:
    """A signal in `state` worked by a team member, with one team note and one logged team read."""
    team = Team.objects.filter(name="Buurtteam Binnenstad").first() or team_with_coverage()
    worker = member_of(team, full_name="Teamlid Tessa")
    signaller = UserFactory(
        field_worker=True,
        full_name="Conciërge Karel",
        organisation=OrganisationFactory(name="Woningcorporatie Voorbeeld"),
    )
    officer = UserFactory(privacy_officer=True, full_name="Functionaris Fenna")
    signal = make_signal(signaller=signaller, worker=worker, state=state)
    if note:
        services.signal_note_add(signal_id=signal.pk, actor=worker, body=NOTE)
    if team_read:
        access_log_record(
            context=AccessContext(
                actor_id=worker.pk,
                actor_roles=actor_roles(worker),
                actor_organisation_id=worker.organisation_id,
            ),
            action=Action.READ,
            purpose=Purpose.SIGNAL_HANDLING,
            subject_id=signal.subject_id,
            object_type="signals.signal",
            object_id=signal.pk,
            fields_touched=["observation"],
        )
    signal.refresh_from_db()
    return Case(team=team, worker=worker, signaller=signaller, officer=officer, signal=signal)


def open_request(officer: User, subject_id, kind: str = "access") -> str:
    """Registers an open request of `kind` received by letter, as a rights action needs, and
    returns its id."""
    request = subject_request_register(
        actor=officer,
        kind=kind,
        subject_id=subject_id,
        received_at=timezone.now(),
        channel="letter",
        reason="Verzoek per brief",
    )
    return str(request.pk)


# --- PDF text -----------------------------------------------------------------------------------

_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _decode(header: bytes, data: bytes) -> bytes:
    if b"/ASCII85Decode" in header:
        data = base64.a85decode(data.strip(), adobe=True)
    if b"/FlateDecode" in header:
        data = zlib.decompress(data)
    return data


def _literal_strings(content: bytes) -> list[tuple[bytes, bytes]]:
    """(font resource name, string bytes) of each shown literal string, in order."""
    shown, font, i = [], b"", 0
    while i < len(content):
        char = content[i : i + 1]
        if char == b"/":
            match = re.match(rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf", content[i:])
            if match:
                font = match.group(1)
                i += match.end()
                continue
        if char == b"(":
            depth, i, out = 1, i + 1, bytearray()
            while depth:
                c = content[i : i + 1]
                if c == b"\\":
                    nxt = content[i + 1 : i + 2]
                    if nxt.isdigit():
                        octal = re.match(rb"[0-7]{1,3}", content[i + 1 :]).group(0)
                        out.append(int(octal, 8))
                        i += 1 + len(octal)
                        continue
                    out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
                    i += 2
                    continue
                if c == b"(":
                    depth += 1
                elif c == b")":
                    depth -= 1
                    if not depth:
                        i += 1
                        break
                out += c
                i += 1
            shown.append((font, bytes(out)))
            continue
        i += 1
    return shown


def pdf_text(pdf: bytes) -> str:
    """The text of a reportlab PDF: decodes the content streams and maps each TrueType subset's
    codes back to Unicode through its ToUnicode CMap. Enough for assertions, not a general
    parser."""
    objects = {
        int(num): body for num, body in re.findall(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S)
    }

    def stream_of(body: bytes) -> bytes:
        match = _STREAM.search(body)
        return _decode(match.group(1), match.group(2)) if match else b""

    # Font resource name -> code -> text, via /Font dicts and their /ToUnicode objects.
    cmaps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+\+?\d*)\s+(\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            if not to_unicode:
                continue
            cmap_text = stream_of(objects[int(to_unicode.group(1))])
            mapping: dict[int, str] = {}
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap_text, re.S):
                for start, end, target in _RANGE.findall(block):
                    for offset in range(int(end, 16) - int(start, 16) + 1):
                        mapping[int(start, 16) + offset] = chr(int(target, 16) + offset)
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap_text, re.S):
                for code, target in _HEX_PAIR.findall(block):
                    mapping[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
            cmaps[name] = mapping

    parts = []
    for body in objects.values():
        if b"stream" not in body or b"/Length1" in body or b"/Subtype" in body:
            continue  # font programs and images
        content = stream_of(body)
        for font, raw in _literal_strings(content):
            mapping = cmaps.get(font)
            if mapping:
                parts.append("".join(mapping.get(b, chr(b)) for b in raw))
            else:
                parts.append(raw.decode("latin-1"))
    return " ".join(parts)


@contextmanager
def access_log_writes_failing() -> Iterator[None]:
    """Makes every insert into the access log fail in the database itself (a trigger, created
    in the test's transaction and gone with its rollback), as a full disk or a lost privilege
    would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'access log unavailable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_access_log BEFORE INSERT ON privacy_accesslog "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_access_log()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_access_log ON privacy_accesslog")
            cursor.execute("DROP FUNCTION test_refuse_access_log()")


# --- requests to the subject-rights endpoints --------------------------------------------


def export_url(subject_id) -> str:
    return reverse("privacy-subject-export", kwargs={"subject_id": subject_id})


def action_url(name: str, subject_id) -> str:
    return reverse(f"privacy-subject-{name}", kwargs={"subject_id": subject_id})


def requested(c, kind: str = "access") -> str:
    """The id of a fresh open request of `kind` by the case's resident."""
    return open_request(c.officer, c.signal.subject_id, kind)


def export(client, c, **params):
    return client.get(export_url(c.signal.subject_id), {"request": requested(c), **params})


def act(client, c, name: str, **body):
    kind = name.replace("-", "_")
    if "request" not in body:
        body["request"] = requested(c, kind)
    return client.post(action_url(name, c.signal.subject_id), body, format="json")
