"""The one normal form of an e-mail address: what is stored and what every lookup compares.

NFKC folds compatibility forms (full-width letters, the long s U+017F, the Kelvin sign) into
their plain letters, casefold() is the Unicode way to ignore case, and a second NFKC puts
anything casefold() produced back in normal form. Lookups are then exact matches on this value,
never `iexact`/`UPPER`, which PostgreSQL folds differently (the dotless i U+0131 becomes `I`)
from everything else that keys on the address (the lockout counter, the failed-login hash): one
address, one account, one counter (docs/adr/0015-sessions-and-second-factor-on-every-path.md).
"""

import unicodedata


def normalise_email(value: str) -> str:
    """The stored and compared form of an e-mail address (NFKC, casefold, trimmed)."""
    folded = unicodedata.normalize("NFKC", str(value)).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def mask_email(value: str) -> str:
    """An address as an admin may see it: enough to recognise, not to copy
    (`jan.jansen@example.nl` -> `j***@e***.nl`)."""
    local, _, domain = value.partition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_domain = f"{host[:1]}***{dot}{tld}" if domain else ""
    return f"{local[:1]}***@{masked_domain}"
