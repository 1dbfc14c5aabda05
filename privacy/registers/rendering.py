"""The registers as documents: the consent register as CSV, the processing register as
Markdown (for the privacy officer's file)."""

from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

from django.utils.translation import pgettext

from audit import csv_export
from privacy.registers.page import security_measure_lines


def _yes_no(purposes: dict[str, Any]) -> str:
    return ";".join(f"{key}={'yes' if granted else 'no'}" for key, granted in purposes.items())


def csv_lines(columns: list[str], entries: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The consent register as CSV: purposes read `team_contact=yes;...`."""
    rows = ([entry[column] for column in columns] for entry in entries)
    return csv_export.csv_lines(columns, rows, format_dict=_yes_no)


def _md_escape(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _lawful_basis_row(basis: dict[str, Any]) -> str:
    art6 = f"{basis['gdpr_art6']} {basis['gdpr_art6_ground']}"
    art9 = f"{basis['gdpr_art9']} {basis['gdpr_art9_ground']}" if basis["gdpr_art9"] else "-"
    consent = (
        pgettext("processing register", "yes")
        if basis["consent_based"]
        else pgettext("processing register", "no")
    )
    cells = [basis["description"], art6, art9, basis["national_law"], consent]
    return "| " + " | ".join(_md_escape(cell) for cell in cells) + " |"


def processing_register_markdown(register: dict[str, Any]) -> str:
    """The register as a Markdown document (for the privacy officer's file)."""
    lines = [
        "# " + pgettext("processing register", "Record of processing (GDPR art. 30)"),
        "",
        f"_{register['generated_at'].astimezone(UTC).isoformat()}_",
        "",
        "## " + pgettext("processing register", "Controller"),
        "",
    ]
    not_configured = pgettext("processing register", "not configured")
    for key, value in register["controller"].items():
        lines.append(f"- {key}: {value or not_configured}")
    lines += [
        "",
        "## " + pgettext("processing register", "Processing"),
        "",
        register["processing_activity"],
        "",
        register["legal_basis"],
        "",
        "## " + pgettext("processing register", "Lawful basis per processing activity"),
        "",
        pgettext("processing register", "| activity | GDPR art. 6 | GDPR art. 9 | law | consent |"),
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_lawful_basis_row(basis) for basis in register["lawful_bases"]]
    lines += [
        "",
        "## " + pgettext("processing register", "Purposes"),
        "",
    ]
    lines += [f"- `{p['code']}`: {p['description']}" for p in register["purposes"]]
    lines += ["", "## " + pgettext("processing register", "Data subjects"), ""]
    lines += [f"- {d['category']}: {d['description']}" for d in register["data_subjects"]]
    data = register["personal_data"]
    lines += [
        "",
        "## " + pgettext("processing register", "Personal data"),
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
        pgettext("processing register", "Not collected: ") + ", ".join(data["not_collected"]),
        pgettext("processing register", "Kept after erasure (anonymous): ")
        + ", ".join(data["kept_after_erasure"]),
        pgettext("processing register", "Staff: ") + ", ".join(data["staff"]),
        "",
        "## " + pgettext("processing register", "Recipients"),
        "",
    ]
    lines += [f"- {r['recipient']}: {r['description']}" for r in register["recipients"]]
    lines += ["", "## " + pgettext("processing register", "Transfers outside the EEA"), ""]
    for transfer in register["transfers_outside_eea"]:
        lines.append(
            f"- {transfer['recipient']} (active: {transfer['active']}): "
            f"{transfer['description']} (keys: {', '.join(transfer['data'])})"
        )
    retention = register["retention"]
    lines += [
        "",
        "## " + pgettext("processing register", "Retention"),
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
        "## " + pgettext("processing register", "Security measures"),
        "",
    ]
    lines += [f"- {name}: {value}" for name, value in security_measure_lines(register)]
    return "\n".join(lines) + "\n"
