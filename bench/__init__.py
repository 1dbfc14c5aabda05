"""The load harness (issue 14, docs/performance.md, docs/adr/0021): `make bench` and
`make bench-quick` start gunicorn and Celery workers with backend.settings.bench against the
harness's own PostgreSQL databases and Redis database, load a realistic data set, drive them
with wrk and pgbench, and write bench/results/latest.json and latest.md. `make bench-profile`
records py-spy profiles of the gunicorn workers."""
