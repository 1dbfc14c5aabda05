# Production-shaped image: gunicorn serving Django (threaded workers, gunicorn.conf.py), the same
# image runs the worker and beat. Probes: /healthz and /readyz on port 8001 (docs/adr/0036).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=backend.settings.production \
    HEALTH_BIND=0.0.0.0:8001 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/buurtsignaal-metrics

# DejaVu gives the art. 15 PDF export glyphs beyond Latin-1 (reportlab falls back to Vera).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.8 \
    && useradd --system --home /app --uid 10001 app

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN DJANGO_SETTINGS_MODULE=backend.settings.production DJANGO_SECRET_KEY=build-only \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 PUSH_GATEWAY=console \
    python manage.py collectstatic --no-input -v0 \
    && mkdir -p /var/lib/buurtsignaal && chown app /var/lib/buurtsignaal

USER app
EXPOSE 8000 8001
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["gunicorn", "backend.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
