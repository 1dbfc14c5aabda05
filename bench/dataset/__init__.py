"""The bench's data set, loaded inside Django (backend.settings.bench) against the bench's own
database: `python -m bench.dataset --size N`.

world.py makes what a city has configured (buurten, teams, coverage, users, devices) through
the ORM and the account services; bulk.py streams N signals with their consent, reasons,
events and notes into PostgreSQL with COPY. What the harness needs to know afterwards (who logs
in, which signals to read, which addresses route) is stored in the database itself, in the
table bench_manifest, so a copy of a cached database carries it along.
"""
