"""The Art. 15 export as a readable PDF for the resident: headings and tables, built from the
same serialized data as the JSON export, so the two cannot differ in content."""

import io
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from django.conf import settings
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.roles import Role
from audit.models import AccessOutcome, Action, Purpose
from signals.models import Consent, Status, TargetGroup, Urgency
from signals.models import Outcome as SignalOutcome

# A Unicode TrueType font, so names in any Latin script print (the PDF base fonts know only
# Latin-1). DejaVu when the system has it (Debian: fonts-dejavu-core), else Vera from reportlab.
_FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]
FONT, FONT_BOLD = "ExportSans", "ExportSans-Bold"

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Inzage in uw gegevens", "Your personal data"),
    "intro": (
        "Dit overzicht bevat alle gegevens die Buurtsignaal over u bewaart, waarvoor ze "
        "gebruikt worden, met wie ze gedeeld zijn, hoe lang ze bewaard worden en wie ze heeft "
        "ingezien (AVG artikel 15).",
        "This overview holds all data Buurtsignaal keeps about you, what it is used for, who "
        "it was shared with, how long it is kept and who looked at it (GDPR article 15).",
    ),
    "subject": ("Uw kenmerk", "Your reference"),
    "generated": ("Gemaakt op", "Created on"),
    "controller": ("Verantwoordelijke", "Controller"),
    "signal": ("Signaal van", "Signal of"),
    "personal": ("Uw gegevens", "Your details"),
    "first_name": ("Voornaam", "First name"),
    "phone": ("Telefoon", "Phone"),
    "email": ("E-mail", "Email"),
    "postcode": ("Postcode", "Postcode"),
    "house_number": ("Huisnummer", "House number"),
    "house_number_addition": ("Toevoeging", "Addition"),
    "observation": ("Waarneming", "Observation"),
    "erased": ("Gewist op", "Erased on"),
    "about": ("Over het signaal", "About the signal"),
    "target_group": ("Doelgroep", "Target group"),
    "reasons": ("Redenen", "Reasons"),
    "urgency": ("Urgentie", "Urgency"),
    "status": ("Status", "Status"),
    "outcome": ("Uitkomst", "Outcome"),
    "neighbourhood": ("Buurt", "Neighbourhood"),
    "team": ("Ontvangend buurtteam", "Receiving neighbourhood team"),
    "source": ("Doorgegeven door", "Passed on by"),
    "language": ("Voorkeurstaal", "Preferred language"),
    "restricted": ("Verwerking beperkt sinds", "Processing restricted since"),
    "consent": ("Toestemming", "Consent"),
    "given_at": ("Gegeven op", "Given on"),
    "given_by": ("Gegeven door", "Given by"),
    "method": ("Manier", "Method"),
    "purposes": ("Doelen", "Purposes"),
    "recipients": ("Ontvangers", "Recipients"),
    "text_version": ("Versie van de tekst", "Text version"),
    "withdrawn_at": ("Ingetrokken op", "Withdrawn on"),
    "consent_text": ("De tekst die u te zien kreeg", "The text you were shown"),
    "retention": ("Bewaartermijn", "Retention"),
    "history": ("Verloop", "History"),
    "date": ("Datum", "Date"),
    "event": ("Gebeurtenis", "Event"),
    "from": ("Van", "From"),
    "to": ("Naar", "To"),
    "notes": ("Notities van het buurtteam", "Notes of the neighbourhood team"),
    "note": ("Notitie", "Note"),
    "no_notes": ("Geen notities.", "No notes."),
    "access": ("Wie heeft uw gegevens ingezien", "Who accessed your data"),
    "organisation": ("Organisatie", "Organisation"),
    "role": ("Rol", "Role"),
    "action": ("Handeling", "Action"),
    "purpose": ("Doel", "Purpose"),
    "actor": ("Medewerker-id", "Staff id"),
    "no_access": ("Nog niemand.", "Nobody yet."),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "system": ("systeem", "system"),
    "neighbourhood_team": ("het buurtteam van uw buurt", "the neighbourhood team of your area"),
    "initiative": ("initiatief", "initiative"),
}
RETENTION_TEXT: dict[str, tuple[str, str]] = {
    "erased": ("Uw persoonsgegevens zijn gewist op {erased_at}.", "Erased on {erased_at}."),
    "while_open": (
        "Uw gegevens worden bewaard zolang het buurtteam met het signaal bezig is; daarna "
        "geldt een vaste termijn.",
        "Your data is kept while the team works on the signal; a fixed period follows.",
    ),
    "no_policy": ("Er is geen termijn ingesteld.", "No period is configured."),
    "after_end": (
        "Uw persoonsgegevens worden {days} dagen na het einde gewist, op {erase_at}.",
        "Your personal data will be erased {days} days after the end, on {erase_at}.",
    ),
    "restricted": (
        "De verwerking is beperkt; er wordt niets gewist zolang de beperking geldt (daarna "
        "{days} dagen na het einde).",
        "Processing is restricted; nothing is erased while it lasts (then {days} days after "
        "the end).",
    ),
}
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "created": ("Signaal ontvangen", "Signal received"),
    "routed": ("Naar buurtteam gestuurd", "Sent to neighbourhood team"),
    "routing_failed": ("Geen team gevonden", "No team found"),
    "transitioned": ("Status gewijzigd", "Status changed"),
    "forwarded": ("Doorgestuurd naar ander team", "Forwarded to another team"),
    "assigned": ("Aan medewerker toegewezen", "Assigned to a worker"),
    "escalated": ("Termijn verstreken, coördinator ingelicht", "Deadline passed, escalated"),
    "note_added": ("Notitie toegevoegd", "Note added"),
    "consent_withdrawn": ("Toestemming ingetrokken", "Consent withdrawn"),
    "personal_data_erased": ("Persoonsgegevens gewist", "Personal data erased"),
    "restricted": ("Verwerking beperkt", "Processing restricted"),
    "restriction_lifted": ("Beperking opgeheven", "Restriction lifted"),
}
_CHOICES: dict[str, dict[str, str]] = {
    name: {str(value): str(label) for value, label in choices.choices}
    for name, choices in {
        "status": Status,
        "target_group": TargetGroup,
        "urgency": Urgency,
        "outcome": SignalOutcome,
        "action": Action,
        "access_outcome": AccessOutcome,
        "purpose": Purpose,
        "role": Role,
        "given_by": Consent.GivenBy,
        "method": Consent.Method,
    }.items()
}


def _english() -> bool:
    return (translation.get_language() or "nl")[:2] == "en"


def _label(key: str) -> str:
    nl, en = LABELS[key]
    return en if _english() else nl


def _code(kind: str, value: Any) -> str:
    if value in (None, ""):
        return "-"
    if _english():
        return str(value).replace("_", " ")
    return _CHOICES[kind].get(str(value), str(value))


def _when(value: Any, *, with_time: bool = True) -> str:
    if not value:
        return "-"
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")


def _recipient(value: str) -> str:
    if value == "neighbourhood_team":
        return _label("neighbourhood_team")
    if value.startswith("initiative:"):
        return f"{_label('initiative')} {value.removeprefix('initiative:')}"
    return value


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = next(
        (pair for pair in _FONT_CANDIDATES if pair[0].exists() and pair[1].exists()),
        _FONT_CANDIDATES[-1],
    )
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))


class _Doc:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=10.5)
        self.h1 = ParagraphStyle("h1", parent=base["Title"], fontName=FONT_BOLD, fontSize=18)
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=FONT_BOLD, fontSize=13)
        self.h3 = ParagraphStyle("h3", parent=base["Heading3"], fontName=FONT_BOLD, fontSize=11)
        self.story: list[Any] = []

    def para(self, text: Any, style: ParagraphStyle | None = None) -> Paragraph:
        # Every value is escaped: notes and observations are free text, not markup.
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style or self.body)

    def heading(self, text: str, level: int = 2) -> None:
        self.story.append(self.para(text, {1: self.h1, 2: self.h2, 3: self.h3}[level]))

    def text(self, text: str) -> None:
        self.story.append(self.para(text))

    def pairs(self, rows: list[tuple[str, Any]]) -> None:
        data = [[self.para(key, self.small), self.para(value, self.small)] for key, value in rows]
        self._table(data, [50 * mm, 120 * mm], header=False)

    def grid(self, header: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        data = [[self.para(cell, self.small) for cell in header]]
        data += [[self.para(cell, self.small) for cell in row] for row in rows]
        self._table(data, [w * mm for w in widths], header=True)

    def _table(self, data: list[list[Any]], widths: list[float], *, header: bool) -> None:
        table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B7C3")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDF4")))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F3F5F8")))
        table.setStyle(TableStyle(style))
        self.story += [table, Spacer(1, 4 * mm)]


def _signal_section(doc: _Doc, signal: dict[str, Any]) -> None:
    doc.heading(f"{_label('signal')} {_when(signal['created_at'], with_time=False)}")
    doc.heading(_label("personal"), 3)
    personal = signal["personal_data"]
    if signal["personal_data_erased_at"]:
        doc.text(f"{_label('erased')} {_when(signal['personal_data_erased_at'])}.")
    else:
        doc.pairs([(_label(key), value or "-") for key, value in personal.items()])

    doc.heading(_label("about"), 3)
    neighbourhood = signal["neighbourhood"]
    doc.pairs(
        [
            (_label("target_group"), _code("target_group", signal["target_group"])),
            (
                _label("reasons"),
                ", ".join(r["label_en" if _english() else "label_nl"] for r in signal["reasons"])
                or "-",
            ),
            (_label("urgency"), _code("urgency", signal["urgency"])),
            (_label("status"), _code("status", signal["status"])),
            (_label("outcome"), _code("outcome", signal["outcome"])),
            (_label("neighbourhood"), neighbourhood["name"] if neighbourhood else "-"),
            (_label("team"), signal["team"]["name"] if signal["team"] else "-"),
            (
                _label("source"),
                signal["source_organisation"]["name"] if signal["source_organisation"] else "-",
            ),
            (_label("language"), signal["preferred_language"] or "-"),
            (_label("restricted"), _when(signal["restricted_at"])),
        ]
    )

    consent = signal["consent"]
    if consent:
        doc.heading(_label("consent"), 3)
        purposes = "; ".join(
            f"{p['description']}: {_label('yes') if p['granted'] else _label('no')}"
            for p in consent["purposes"]
        )
        text = consent["consent_text"]
        doc.pairs(
            [
                (_label("given_at"), _when(consent["given_at"])),
                (_label("given_by"), _code("given_by", consent["given_by"])),
                (_label("method"), _code("method", consent["method"])),
                (_label("purposes"), purposes),
                (
                    _label("recipients"),
                    ", ".join(_recipient(r) for r in consent["recipients"]) or "-",
                ),
                (
                    _label("text_version"),
                    f"{text['version']} ({text['language']}), SHA-256 {text['sha256']}",
                ),
                (_label("withdrawn_at"), _when(consent["withdrawn_at"])),
            ]
        )
        doc.story.append(doc.para(_label("consent_text"), doc.small))
        doc.story += [doc.para(text["body"], doc.small), Spacer(1, 3 * mm)]

    doc.heading(_label("retention"), 3)
    retention = signal["retention"]
    nl, en = RETENTION_TEXT[retention["rule"]]
    doc.text(
        (en if _english() else nl).format(
            days=retention["erase_after_days"],
            erase_at=_when(retention["erase_at"], with_time=False),
            erased_at=_when(retention["erased_at"], with_time=False),
        )
    )

    doc.heading(_label("history"), 3)
    doc.grid(
        [_label("date"), _label("event"), _label("from"), _label("to")],
        [
            [
                _when(event["at"]),
                EVENT_LABELS.get(event["type"], (event["type"], event["type"]))[int(_english())],
                _code("status", event["from_status"]),
                _code("status", event["to_status"]),
            ]
            for event in signal["status_history"]
        ],
        [32, 70, 34, 34],
    )

    doc.heading(_label("notes"), 3)
    if not signal["notes"]:
        doc.text(_label("no_notes"))
    else:
        doc.grid(
            [_label("date"), _label("note")],
            [
                [
                    _when(note["created_at"]),
                    f"{_label('erased')} {_when(note['erased_at'])}"
                    if note["erased_at"]
                    else note["body"],
                ]
                for note in signal["notes"]
            ],
            [32, 138],
        )


def _access_section(doc: _Doc, rows: list[dict[str, Any]], include_staff: bool) -> None:
    doc.heading(_label("access"))
    if not rows:
        doc.text(_label("no_access"))
        return
    header = [_label("date"), _label("organisation"), _label("role"), _label("action")]
    header.append(_label("purpose"))
    widths = [32, 40, 30, 28, 40]
    if include_staff:
        header.append(_label("actor"))
        widths = [30, 28, 24, 22, 28, 38]
    body = []
    for row in rows:
        roles = ", ".join(_code("role", role) for role in row["roles"]) or _label("system")
        line = [
            _when(row["occurred_at"]),
            row["organisation"] or "-",
            roles,
            _code("action", row["action"]),
            _code("purpose", row["purpose"]),
        ]
        if include_staff:
            line.append(row.get("actor_id") or "-")
        body.append(line)
    doc.grid(header, body, widths)


def subject_export_pdf(data: dict[str, Any]) -> bytes:
    """Renders the serialized export (SubjectExportOutput.data) as PDF bytes."""
    _register_fonts()
    doc = _Doc()
    doc.heading(_label("title"), 1)
    doc.text(_label("intro"))
    doc.story.append(Spacer(1, 3 * mm))
    facts = [
        (_label("subject"), data["subject_id"]),
        (_label("generated"), _when(data["generated_at"])),
    ]
    controller = data["controller"]
    if controller["name"]:
        facts.append((_label("controller"), f"{controller['name']} {controller['contact']}"))
    doc.pairs(facts)
    for signal in data["signals"]:
        _signal_section(doc, signal)
    _access_section(doc, data["access_history"], data["include_staff"])

    footer = f"Buurtsignaal · {_label('subject')} {data['subject_id']}"

    def draw_footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#5A6272"))
        canvas.drawString(20 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_label("title"),
        author="Buurtsignaal",
    ).build(doc.story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
