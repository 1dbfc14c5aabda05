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
