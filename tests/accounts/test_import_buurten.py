import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AddressPoint, MappingVersion, Neighbourhood

pytestmark = pytest.mark.django_db

HEADER = "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
GOOD = HEADER + (
    "3511AB;1;3440610;34406;344\n"
    "3511AB;2;3440610;34406;344\n"
    "3511AB;11;3440611;34406;344\n"  # the same PC6 in another buurt
    "3561AA;5;3440310;34403;344\n"
)


def run(tmp_path, text, *args, name="pc6hnr20240801_gwb.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_buurten", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_file_is_imported_with_padded_prefixed_codes(tmp_path):
    out, _ = run(tmp_path, GOOD, "--activate")
    assert "read 4, added 4, updated 0, unchanged 0, rejected 0" in out
    version = MappingVersion.objects.get(label="2024")
    assert version.is_active
    point = AddressPoint.objects.select_related("neighbourhood").get(
        postcode="3511AB", house_number=11
    )
    assert point.neighbourhood.code == "BU03440611"
    assert point.neighbourhood.wijk_code == "WK034406"
    assert point.neighbourhood.municipality_code == "GM0344"
    assert Neighbourhood.objects.count() == 3


def test_rerun_is_idempotent(tmp_path):
    run(tmp_path, GOOD)
    out, _ = run(tmp_path, GOOD)
    assert "read 4, added 0, updated 0, unchanged 4, rejected 0" in out
    assert AddressPoint.objects.count() == 4


def test_changed_buurt_is_updated(tmp_path):
    run(tmp_path, GOOD)
    out, _ = run(tmp_path, GOOD.replace("3511AB;2;3440610", "3511AB;2;3440611"))
    assert "added 0, updated 1, unchanged 3" in out
    point = AddressPoint.objects.get(postcode="3511AB", house_number=2)
    assert point.neighbourhood.code == "BU03440611"


def test_malformed_rows_are_rejected_with_line_numbers(tmp_path):
    text = HEADER + (
        "3511AB;1;3440610;34406;344\n"  # line 2, good
        "35AB;1;3440610;34406;344\n"  # line 3, bad postcode
        "3511AB;x;3440610;34406;344\n"  # line 4, bad number
        "3511AB;3;3440610;34499;344\n"  # line 5, buurt not in wijk
        "3511AB;4;3440610;34406\n"  # line 6, too few columns
        "3511AB;5;abc;34406;344\n"  # line 7, bad code
    )
    out, err = run(tmp_path, text)
    assert "read 6, added 1, updated 0, unchanged 0, rejected 5" in out
    for line in (3, 4, 5, 6, 7):
        assert f"line {line}: rejected" in err
    assert AddressPoint.objects.count() == 1


def test_wrong_header_stops_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError, match="header must be"):
        run(tmp_path, "postcode,huisnummer\n3511AB,1\n")
    assert not AddressPoint.objects.exists()


def test_version_label_comes_from_the_file_name_or_option(tmp_path):
    run(tmp_path, GOOD, name="pc6hnr20230801_gwb.csv")
    run(tmp_path, GOOD, "--label", "custom")
    assert set(MappingVersion.objects.values_list("label", flat=True)) == {"2023", "custom"}


def test_activating_a_version_deactivates_the_previous(tmp_path):
    run(tmp_path, GOOD, "--label", "a", "--activate")
    run(tmp_path, GOOD, "--label", "b", "--activate")
    assert list(MappingVersion.objects.filter(is_active=True).values_list("label", flat=True)) == [
        "b"
    ]


def test_demo_sample_imports_cleanly(tmp_path):
    from accounts.demo import DEMO_SAMPLE

    out = io.StringIO()
    call_command(
        "import_buurten",
        str(DEMO_SAMPLE),
        "--label",
        "demo",
        "--demo",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "rejected 0" in out.getvalue()
    assert MappingVersion.objects.get(label="demo").is_demo
