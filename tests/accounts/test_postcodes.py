"""The one reading of a postcode (accounts.postcodes): ASCII as written, then upper case."""

import pytest

from accounts.postcodes import postcode_normalise


@pytest.mark.parametrize(
    ("given", "stored"), [("3511AB", "3511AB"), ("3511 ab", "3511AB"), ("9999zz", "9999ZZ")]
)
def test_a_postcode_as_people_write_it_is_read(given, stored):
    assert postcode_normalise(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "3511\u0131b",  # dotless i: upper case is I
        "3511\ufb00",  # ligature ff: upper case is FF
        "3511\u212aB",  # Kelvin sign
        "\u0663511AB",  # Arabic-Indic three
        "0511AB",
        "3511  AB",
        "35 11AB",
        "3511AB\n",
        "3511ABC",
    ],
)
def test_anything_else_is_no_postcode(given):
    assert postcode_normalise(given) is None
