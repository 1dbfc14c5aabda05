"""The one reading of a Dutch postcode (PC6) from outside: four digits (not starting with 0),
at most one space, two letters, all ASCII, checked as given and only then upper-cased. Folding
first let the Turkish dotless i (U+0131) and the ligature ff (U+FB00) through as 3511IB and
3511FF: their upper case is ASCII (docs/adr/0035)."""

import re

POSTCODE_AS_GIVEN = re.compile(r"[1-9][0-9]{3} ?[A-Za-z]{2}", re.ASCII)


def postcode_normalise(value: str) -> str | None:
    """'3511 ab' -> '3511AB'; None for anything that is not a postcode as written."""
    if not POSTCODE_AS_GIVEN.fullmatch(value):
        return None
    return value.replace(" ", "").upper()
