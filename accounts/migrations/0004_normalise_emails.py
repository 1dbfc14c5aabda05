"""Stores every e-mail address in the one normal form (NFKC, casefold, NFKC, trimmed) that logins,
the lockout counter and the failed-login hash compare (accounts/emails.py, docs/adr/0015).

The normal form is copied here, frozen, so a later change of accounts.emails needs a migration of
its own. Two accounts whose addresses fold to the same value stop the migration: merge or rename
one first (their ids are named, not their addresses)."""

import unicodedata
from collections import defaultdict

from django.db import migrations


def _normal(value):
    folded = unicodedata.normalize("NFKC", str(value)).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_normal = defaultdict(list)
    for pk, email in User.objects.values_list("pk", "email"):
        by_normal[_normal(email)].append((pk, email))
    clashes = [[str(pk) for pk, _ in rows] for rows in by_normal.values() if len(rows) > 1]
    if clashes:
        raise RuntimeError(
            "accounts whose e-mail addresses are the same after normalisation, by id: "
            + "; ".join(", ".join(ids) for ids in clashes)
        )
    for normal, rows in by_normal.items():
        pk, email = rows[0]
        if email != normal:
            User.objects.filter(pk=pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_credential_epoch_and_codes")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
