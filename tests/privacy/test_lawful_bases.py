"""The lawful basis of every processing activity (issue 18, finding 4; docs/adr/0033): declared
once, consent only where it truly is the basis, overridable per deployment by a checked file,
and shown in the Art. 30 register (JSON, Markdown, the workspace page) and the Art. 15 export
(JSON and PDF)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from privacy.registers.lawful_bases import Activity, lawful_bases_file
from tests.privacy.rights import case, export, pdf_text, requested
from tests.workspace.helpers import workspace_login

pytestmark = pytest.mark.django_db

PROCESSING = reverse("privacy-processing-register")
ACTIVITIES = {
    "intake_and_routing",
    "team_follow_up",
    "initiative_handover",
    "outcome_measurement",
    "anonymous_figures",
    "access_logging",
    "retention",
}


def _by_activity(rows: list[dict]) -> dict[str, dict]:
    return {row["activity"]: row for row in rows}


def test_the_register_gives_every_activity_its_own_basis_and_consent_only_where_it_is_one(
    client_for,
):
    c = case(note=False, team_read=False)
    register = client_for(c.officer).get(PROCESSING).json()

    bases = _by_activity(register["lawful_bases"])
    assert set(bases) == ACTIVITIES
    consent_based = {name for name, row in bases.items() if row["consent_based"]}
    assert consent_based == {"initiative_handover", "outcome_measurement"}
    for name, row in bases.items():
        assert (row["gdpr_art6"] == "6(1)(a)") == (name in consent_based), name
        assert row["national_law"], name
    follow_up = bases["team_follow_up"]
    assert follow_up["gdpr_art6"] == "6(1)(e)"
    assert follow_up["gdpr_art9"] == "9(2)(h)"
    assert "Wmo 2015 art. 2.3.2" in follow_up["national_law"]
    assert bases["outcome_measurement"]["gdpr_art9"] == "9(2)(a)"
    assert bases["access_logging"]["gdpr_art6"] == "6(1)(c)"
    # The summary no longer rests everything on consent.
    assert not register["legal_basis"].startswith("Toestemming")


def test_the_register_markdown_and_the_workspace_page_show_the_table(client_for, client):
    c = case(note=False, team_read=False)
    text = client_for(c.officer).get(PROCESSING, {"format": "md"}).content.decode()
    assert "## Grondslagen per verwerking" in text
    assert "| Opvolging door het buurtteam: contact, onderzoek, notities | 6(1)(e)" in text

    english = client_for(c.officer).get(PROCESSING, {"format": "md"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "## Lawful basis per processing activity" in english.content.decode()

    page = workspace_login(client, c.officer).get(reverse("workspace:privacy-registers"))
    assert page.status_code == 200
    assert "Grondslagen per verwerking" in page.content.decode()


def test_a_deployment_file_overrides_the_law_cited(client_for, settings, tmp_path):
    overrides = tmp_path / "bases.toml"
    overrides.write_text(
        '[team_follow_up]\nlaw_nl = "Verordening maatschappelijke ondersteuning Utrecht 2025"\n'
        'law_en = "Utrecht social support by-law 2025"\n',
        encoding="utf-8",
    )
    settings.PRIVACY_LAWFUL_BASES_FILE = str(overrides)
    c = case(note=False, team_read=False)

    bases = _by_activity(client_for(c.officer).get(PROCESSING).json()["lawful_bases"])
    assert bases["team_follow_up"]["national_law"] == (
        "Verordening maatschappelijke ondersteuning Utrecht 2025"
    )
    assert bases["team_follow_up"]["gdpr_art6"] == "6(1)(e)"
    assert "Wmo 2015" in bases["intake_and_routing"]["national_law"]
    assert lawful_bases_file() == []


@pytest.mark.parametrize(
    "content, problem",
    [
        ('[team_follow_up]\nart6 = "a"\n', "cannot be its basis"),
        ('[intake_and_routing]\nart9 = "a"\n', "explicit consent"),
        ('[initiative_handover]\nart6 = "e"\n', "must be its basis"),
        ('[retention]\nart6 = "z"\n', "no such article point"),
        ('[profiling]\nart6 = "e"\n', "unknown activity"),
        ('[retention]\nwet = "x"\n', "unknown key"),
        ("[retention\n", "Expected"),
    ],
)
def test_the_check_refuses_a_file_that_replaces_a_legal_basis_with_consent(
    settings, tmp_path, content, problem
):
    overrides = tmp_path / "bases.toml"
    overrides.write_text(content, encoding="utf-8")
    settings.PRIVACY_LAWFUL_BASES_FILE = str(overrides)

    [error] = lawful_bases_file()
    assert error.id == "privacy.E001"
    assert problem in error.msg
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_missing_file_is_refused_by_the_check(settings, tmp_path):
    settings.PRIVACY_LAWFUL_BASES_FILE = str(tmp_path / "missing.toml")
    [error] = lawful_bases_file()
    assert error.id == "privacy.E001"


def test_the_export_tells_the_resident_each_basis_in_json_and_pdf(client_for):
    c = case()
    body = (
        client_for(c.officer)
        .get(
            reverse("privacy-subject-export", args=[c.signal.subject_id]),
            {"request": requested(c)},
        )
        .json()
    )
    bases = _by_activity(body["lawful_bases"])
    assert set(bases) == {activity.value for activity in Activity}
    assert bases["initiative_handover"]["consent_based"] is True
    assert bases["team_follow_up"]["gdpr_art6_ground"] == "taak van algemeen belang"

    text = " ".join(pdf_text(export(client_for(c.officer), c, format="pdf").content).split())
    assert "Waarom wij uw gegevens mogen gebruiken" in text
    assert "Wmo 2015 art. 2.3.2" in text
