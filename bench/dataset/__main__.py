"""python -m bench.dataset --size N [--vacuum]: loads the bench data set into DATABASE_URL
(already migrated) under backend.settings.bench and stores the manifest in bench_manifest."""

import argparse
import json
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE afterwards")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.bench")
    import django

    django.setup()

    from django.db import connection

    from bench.dataset import bulk, world

    began = time.monotonic()
    city = world.build()
    loaded = bulk.load(world=city, size=args.size)
    manifest = {
        "size": args.size,
        "password": world.BENCH_PASSWORD,
        "field_workers": city.login_field_workers,
        "queue_member": city.queue_member,
        "consent_text": {"id": city.consent_text[0], "sha256": city.consent_text[1]},
        "reason_codes": ["few_contacts", "recently_moved"],
        "addresses": [
            list(address)
            for buurt in city.buurten
            if buurt.team_id != city.central_team_id
            for address in buurt.addresses[:3]
        ],
        "detail_signal_ids": loaded["detail_signal_ids"],
        "counts": loaded["counts"],
        "teams": len(city.teams),
        "buurten": len(city.buurten),
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_manifest (manifest jsonb NOT NULL)")
        cursor.execute("INSERT INTO bench_manifest VALUES (%s)", [json.dumps(manifest)])
    connection.close()
    connection.connect()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if args.vacuum else "ANALYZE")
    counts = ", ".join(f"{k} {v}" for k, v in loaded["counts"].items())
    print(f"loaded {args.size} signals in {time.monotonic() - began:.1f} s ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
