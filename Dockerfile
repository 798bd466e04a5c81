# syntax=docker/dockerfile:1
# Two stages: the build stage installs winsbot and its dependencies into a virtualenv, the
# runtime stage copies only that virtualenv, so no pip cache or source tree ships in the image.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# README.md* matches nothing until the project has one; pyproject.toml keeps the COPY valid.
COPY pyproject.toml README.md* ./
COPY bot ./bot
COPY adapters ./adapters
COPY jobs ./jobs
RUN pip install .

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    DATABASE_URL=sqlite:////data/winsbot.db \
    WINSBOT_OUTPUT_DIR=/data/out
# /data is created and owned before VOLUME, so a new named volume starts out writable by winsbot.
RUN groupadd --system winsbot \
    && useradd --system --gid winsbot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin winsbot \
    && mkdir -p /app /data \
    && chown winsbot:winsbot /app /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER winsbot
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["winsbot", "serve", "--host", "0.0.0.0", "--port", "3000"]
