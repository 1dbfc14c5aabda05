"""manage.py import_initiatives: the documented columns, refusals with line numbers, all or
nothing, idempotent on the slug; and the demo catalogue loads through it."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from initiatives.catalogue_import import COLUMNS
from initiatives.demo import DEMO_CATALOGUE
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db
HEADER = ";".join(COLUMNS)
GOOD = (
    "domstad-plusbus;Domstad Plusbus;U Centraal;Uitjes met een busje.;Outings by bus.;outing;"
    "elderly_at_home;limited_mobility;ja;;;nl;ja;ja;low;Via u-centraal.nl.;ja;ja;2026-10-01"
)


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "initiatieven.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_initiatives", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_a_rerun_changes_nothing(tmp_path) -> None:
    path = write(tmp_path, GOOD)
    assert "1 created, 0 updated, 0 unchanged" in run(path)[0]
    initiative = Initiative.objects.get(slug="domstad-plusbus")
    assert initiative.kinds == ["outing"] and initiative.transport_offered
    assert [r.code for r in initiative.reasons.all()] == ["limited_mobility"]
    first_update = initiative.updated_at
    assert "0 created, 0 updated, 1 unchanged" in run(path)[0]
    initiative.refresh_from_db()
    assert initiative.updated_at == first_update


def test_a_changed_row_updates_the_entry_with_the_same_slug(tmp_path) -> None:
    run(write(tmp_path, GOOD))
    run(write(tmp_path, GOOD.replace(";ja;ja;2026-10-01", ";nee;ja;2026-11-01")))
    initiative = Initiative.objects.get(slug="domstad-plusbus")
    assert initiative.accepting_new is False and str(initiative.last_verified_on) == "2026-11-01"
    assert Initiative.objects.count() == 1


def test_refusals_name_their_line_and_nothing_is_imported(tmp_path) -> None:
    bad_kind = GOOD.replace("domstad-plusbus;", "tweede;").replace(";outing;", ";knitting;")
    no_area = GOOD.replace("domstad-plusbus;", "derde;").replace(";ja;;;nl;", ";nee;;;nl;")
    bad_date = GOOD.replace("domstad-plusbus;", "vierde;").replace("2026-10-01", "1-10-2026")
    unknown_reason = GOOD.replace("domstad-plusbus;", "vijfde;").replace(
        "limited_mobility", "bingo"
    )
    path = write(tmp_path, GOOD, bad_kind, no_area, bad_date, unknown_reason, GOOD)
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    assert not Initiative.objects.exists()


def test_each_refusal_is_printed_with_file_and_line(tmp_path, capsys) -> None:
    bad_kind = GOOD.replace(";outing;", ";knitting;")
    path = write(tmp_path, GOOD.replace("domstad-plusbus;", "eerste;"), bad_kind, bad_kind)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_initiatives", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "initiatieven.csv:3: kinds: knitting (expected activity kind" in lines[0]
    assert any(
        line.startswith("initiatieven.csv:4: slug: 'domstad-plusbus' also on line 3")
        for line in lines
    )


def test_a_missing_column_is_refused_on_line_1(tmp_path) -> None:
    path = write(tmp_path, GOOD, header=HEADER.replace(";contact_route", ""))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_initiatives", str(path), stdout=io.StringIO(), stderr=err)
    assert "initiatieven.csv:1: missing column(s): contact_route" in err.getvalue()


def test_the_demo_catalogue_is_valid_and_has_the_meetings_initiatives(tmp_path) -> None:
    out, _ = run(DEMO_CATALOGUE)
    assert "26 created" in out
    names = set(Initiative.objects.values_list("name", flat=True))
    assert {"Domstad Plusbus", "Join Us", "Oopoeh", "Het Danspaleis", "Stichting Tröst"} <= names


def test_a_row_with_too_many_cells_is_refused(tmp_path) -> None:
    shifted = GOOD.replace("Uitjes met een busje.", "Uitjes; met een busje.")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_initiatives", str(write(tmp_path, shifted)), stdout=io.StringIO(), stderr=err
        )
    assert "initiatieven.csv:2: expected 19 columns" in err.getvalue()


# Issue 18 part 7: files that are not UTF-8, or not text, are refused with their lines.
EN_DASH = "\u2013"  # 0x96 in Windows-1252, a control character in Latin-1
ACCENTED = GOOD.replace("Domstad Plusbus", "Café Plusbus").replace("domstad-plusbus", "cafe")


def refusal(tmp_path: Path, data: bytes) -> list[str]:
    path = tmp_path / "initiatieven.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_initiatives", str(path), stdout=io.StringIO(), stderr=err)
    assert not Initiative.objects.exists()
    return err.getvalue().splitlines()


def text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_latin_1_or_windows_1252_file_is_refused_on_each_line(tmp_path, encoding) -> None:
    data = text(GOOD, ACCENTED, "x" + ACCENTED.replace("cafe;", "cafe-2;")).encode(encoding)
    lines = refusal(tmp_path, data)
    assert [line.split(": ")[0] for line in lines] == ["initiatieven.csv:3", "initiatieven.csv:4"]
    assert "not UTF-8: byte 0xE9" in lines[0] and "save the file as UTF-8" in lines[0]


def test_a_windows_1252_only_character_is_refused(tmp_path) -> None:
    row = GOOD.replace("Uitjes met een busje.", f"Uitjes {EN_DASH} met een busje.")
    assert refusal(tmp_path, text(row).encode("cp1252")) == [
        f"initiatieven.csv:2: not UTF-8: byte 0x96 at position {row.index(EN_DASH) + 1} "
        "(Latin-1 or Windows-1252?): save the file as UTF-8 ('CSV UTF-8' in Excel)"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf_16_or_32_file_is_refused_once(tmp_path, encoding) -> None:
    lines = refusal(tmp_path, text(GOOD, ACCENTED).encode(encoding))
    assert lines == [
        "initiatieven.csv:1: the file is UTF-16 or UTF-32, not UTF-8: save the file as UTF-8 "
        "('CSV UTF-8' in Excel)"
    ]


def test_invalid_utf_8_is_refused_on_its_line(tmp_path) -> None:
    data = text(GOOD).encode() + b"\xc3\x28" + ACCENTED.encode()[2:] + b"\n"
    lines = refusal(tmp_path, data)
    assert lines[0].startswith("initiatieven.csv:3: not UTF-8: byte 0xC3 at position 1")


def test_a_nul_byte_is_refused_on_its_line(tmp_path) -> None:
    data = text(GOOD, ACCENTED.replace("Café", "Caf\x00")).encode()
    assert refusal(tmp_path, data) == ["initiatieven.csv:3: a NUL byte (is this a text file?)"]


@pytest.mark.parametrize("size", [10_001, 5 * 1024 * 1024])
def test_an_oversized_field_is_refused_on_its_line(tmp_path, size) -> None:
    huge = GOOD.replace("Uitjes met een busje.", "x" * size)
    lines = refusal(tmp_path, text(ACCENTED, huge).encode())
    assert lines[0].startswith("initiatieven.csv:3: ")
    assert "at most 10000 characters" in lines[0]


def test_utf_8_with_a_bom_is_read(tmp_path) -> None:
    path = tmp_path / "initiatieven.csv"
    path.write_bytes(text(ACCENTED).encode("utf-8-sig"))
    assert "1 created" in run(path)[0]
    assert Initiative.objects.get().name == "Café Plusbus"
