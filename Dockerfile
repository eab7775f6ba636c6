# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_VAR_DIR=/var/lib/portal
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.9 \
    && useradd --system --home /app portal
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN mkdir -p /var/lib/portal/media && chown portal /var/lib/portal /var/lib/portal/media \
    && DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v0 \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && chown -R portal /var/lib/portal
USER portal
EXPOSE 8000
# Request line, header count and header size bounded here; bodies by the proxy in front (README)
# and per URL by network.body_limits.
# Workers: gunicorn reads WEB_CONCURRENCY (sync workers, 2 x cores + 1; see README).
ENV WEB_CONCURRENCY=5
CMD ["gunicorn", "network.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--timeout", "60", "--limit-request-line", "4094", \
     "--limit-request-fields", "50", "--limit-request-field_size", "8190"]
