# One image for every Drawstream process (server, worker, migrate, tools); docker-compose.yml
# picks the subcommand. The worker trains models, so the image carries CPU-only PyTorch; GPU
# training hosts build FROM a CUDA base instead.

FROM node:20-bookworm-slim AS client
WORKDIR /src/client
COPY client/package.json client/package-lock.json ./
RUN npm ci
COPY client/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Torch first and from the CPU index: the default wheel drags in gigabytes of CUDA libraries.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY game/ game/
COPY store/ store/
COPY inference/ inference/
COPY workers/ workers/
COPY server/ server/
COPY bench/ bench/
RUN pip install '.[train]'
COPY --from=client /src/client/dist /app/client/dist
ENV DRAWSTREAM_CLIENT_DIST=/app/client/dist \
    DRAWSTREAM_DATA_DIR=/var/lib/drawstream
RUN useradd --system --no-create-home --shell /usr/sbin/nologin drawstream \
    && install -d -o drawstream -g drawstream /var/lib/drawstream
USER drawstream
EXPOSE 8000
CMD ["drawstream", "server"]
