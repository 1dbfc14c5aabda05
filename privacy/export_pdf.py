"""The Art. 15 export as a readable PDF for the resident: headings and tables, built from the
same serialized data as the JSON export, so the two cannot differ in content."""

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.i18n import in_language
from privacy.export_texts import (
    code_text,
    event_label,
    label,
    look_period_text,
    moment_text,
    retention_text,
)

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
    doc.heading(f"{label('signal')} {moment_text(signal['created_at'], with_time=False)}")
    doc.heading(label("personal"), 3)
    personal = signal["personal_data"]
    if signal["personal_data_erased_at"]:
        doc.text(f"{label('erased')} {moment_text(signal['personal_data_erased_at'])}.")
    else:
        doc.pairs([(label(key), value or "-") for key, value in personal.items()])

    doc.heading(label("about"), 3)
    neighbourhood = signal["neighbourhood"]
    doc.pairs(
        [
            (label("target_group"), code_text("target_group", signal["target_group"])),
            (
                label("reasons"),
                ", ".join(in_language(r["label_nl"], r["label_en"]) for r in signal["reasons"])
                or "-",
            ),
            (label("urgency"), code_text("urgency", signal["urgency"])),
            (label("status"), code_text("status", signal["status"])),
            (label("outcome"), code_text("outcome", signal["outcome"])),
            (label("neighbourhood"), neighbourhood["name"] if neighbourhood else "-"),
            (label("team"), signal["team"]["name"] if signal["team"] else "-"),
            (
                label("source"),
                signal["source_organisation"]["name"] if signal["source_organisation"] else "-",
            ),
            (label("language"), signal["preferred_language"] or "-"),
            (label("restricted"), moment_text(signal["restricted_at"])),
        ]
    )

    consent = signal["consent"]
    if consent:
        doc.heading(label("consent"), 3)
        purposes = "; ".join(
            f"{p['description']}: {label('yes') if p['granted'] else label('no')}"
            for p in consent["purposes"]
        )
        text = consent["consent_text"]
        doc.pairs(
            [
                (label("given_at"), moment_text(consent["given_at"])),
                (label("given_by"), code_text("given_by", consent["given_by"])),
                (label("method"), code_text("method", consent["method"])),
                (label("purposes"), purposes),
                (
                    label("recipients"),
                    ", ".join(consent["recipient_names"]) or "-",
                ),
                (
                    label("text_version"),
                    f"{text['version']} ({text['language']}), SHA-256 {text['sha256']}",
                ),
                (label("withdrawn_at"), moment_text(consent["withdrawn_at"])),
            ]
        )
        doc.story.append(doc.para(label("consent_text"), doc.small))
        doc.story += [doc.para(text["body"], doc.small), Spacer(1, 3 * mm)]

    doc.heading(label("retention"), 3)
    retention = signal["retention"]
    doc.text(retention_text(retention))

    doc.heading(label("history"), 3)
    doc.grid(
        [label("date"), label("event"), label("from"), label("to")],
        [
            [
                moment_text(event["at"]),
                event_label(event["type"]),
                code_text("status", event["from_status"]),
                code_text("status", event["to_status"]),
            ]
            for event in signal["status_history"]
        ],
        [32, 70, 34, 34],
    )

    _measurement_section(doc, signal["measurements"])
    _referrals_section(doc, signal["referrals"])

    doc.heading(label("notes"), 3)
    if not signal["notes"]:
        doc.text(label("no_notes"))
    else:
        doc.grid(
            [label("date"), label("note")],
            [
                [
                    moment_text(note["created_at"]),
                    f"{label('erased')} {moment_text(note['erased_at'])}"
                    if note["erased_at"]
                    else note["body"],
                ]
                for note in signal["notes"]
            ],
            [32, 138],
        )


def _measurement_section(doc: _Doc, measurements: list[dict[str, Any]]) -> None:
    if not measurements:
        return
    doc.heading(label("measurements"), 3)
    for measurement in measurements:
        heading = (
            f"{code_text('phase', measurement['phase'])}, "
            f"{moment_text(measurement['taken_at'])} ({measurement['instrument']})"
        )
        doc.story.append(doc.para(heading, doc.small))
        if measurement["declined"]:
            doc.text(label("measurement_declined"))
        elif measurement["erased_at"]:
            doc.text(f"{label('erased')} {moment_text(measurement['erased_at'])}.")
        else:
            doc.grid(
                [label("question"), label("answer")],
                [[a["question"], a["answer"]] for a in measurement["answers"]],
                [130, 40],
            )
            total = measurement["total_score"]
            doc.text(f"{label('total_score')}: {'-' if total is None else total}")


def _referrals_section(doc: _Doc, referrals: list[dict[str, Any]]) -> None:
    doc.heading(label("referrals"), 3)
    if not referrals:
        doc.text(label("no_referrals"))
        return
    doc.grid(
        [label("date"), label("initiative").capitalize(), label("step"), label("contact_shared")],
        [
            [
                moment_text(referral["created_at"]),
                referral["initiative"]["name"],
                code_text("referral_step", referral["step"]),
                moment_text(referral["contact_shared_at"]),
            ]
            for referral in referrals
        ],
        [32, 50, 50, 38],
    )


def _lawful_bases_section(doc: _Doc, bases: list[dict[str, Any]]) -> None:
    doc.heading(label("lawful_bases"))
    doc.text(label("lawful_bases_intro"))
    rows = []
    for basis in bases:
        ground = f"art. {basis['gdpr_art6']} {basis['gdpr_art6_ground']}"
        if basis["gdpr_art9"]:
            ground += f"; art. {basis['gdpr_art9']} {basis['gdpr_art9_ground']}"
        rows.append([basis["description"], ground, basis["national_law"]])
    doc.grid([label("processing"), label("ground"), label("law")], rows, [55, 50, 65])


def _access_section(doc: _Doc, looks: list[dict[str, Any]], include_staff: bool) -> None:
    """Who looked at the resident's data: one line per look, in words (docs/adr/0048)."""
    doc.heading(label("access"))
    if not looks:
        doc.text(label("no_access"))
        return
    doc.text(label("looks_intro"))
    header = [label("period"), label("organisation"), label("role"), label("action")]
    header += [label("purpose"), label("times")]
    widths = [40, 34, 28, 26, 30, 12]
    if include_staff:
        header.append(label("actor"))
        widths = [34, 28, 22, 22, 26, 10, 28]
    body = []
    for look in looks:
        action = look["action_text"]
        if look["outcome"] != "success":
            action = f"{action} ({look['outcome_text']})"
        line = [
            look_period_text(look["first_at"], look["last_at"]),
            look["organisation"] or "-",
            look["roles_text"],
            action,
            look["purpose_text"],
            str(look["count"]),
        ]
        if include_staff:
            line.append(look.get("actor_id") or "-")
        body.append(line)
    doc.grid(header, body, widths)


def subject_export_pdf(data: dict[str, Any]) -> bytes:
    """Renders the serialized export (SubjectExportOutput.data) as PDF bytes."""
    _register_fonts()
    doc = _Doc()
    doc.heading(label("title"), 1)
    doc.text(label("intro"))
    doc.story.append(Spacer(1, 3 * mm))
    facts = [
        (label("subject"), data["subject_id"]),
        (label("generated"), moment_text(data["generated_at"])),
    ]
    controller = data["controller"]
    if controller["name"]:
        facts.append((label("controller"), f"{controller['name']} {controller['contact']}"))
    doc.pairs(facts)
    for signal in data["signals"]:
        _signal_section(doc, signal)
    _lawful_bases_section(doc, data["lawful_bases"])
    _access_section(doc, data["looks"], data["include_staff"])

    footer = f"Buurtsignaal · {label('subject')} {data['subject_id']}"

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
        title=label("title"),
        author="Buurtsignaal",
    ).build(doc.story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
