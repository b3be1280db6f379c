# syntax=docker/dockerfile:1
#
# Personalisation Hub: one image for every target (gateway, auth, location, campaign, playback,
# or all).
#
#   docker build -t phub .
#   docker run --init --rm -p 4000:4000 phub                       # --target=all, embedded Postgres, demo data
#   docker run --init --rm -p 4002:4002 -e PORT=4002 -e LOCATION_PORT=4002 \
#     -e DATABASE_URL=... -e REDIS_URL=... -e KAFKA_BROKERS=... \
#     -e AUTH_JWKS_URL=http://auth:4001/.well-known/jwks.json phub --target=location
#   docker run --init --rm -p 4003:4003 -e PORT=4003 -e CAMPAIGN_PORT=4003 \
#     -e DATABASE_URL=... -e REDIS_URL=... -e KAFKA_BROKERS=... -e S3_BUCKET=... \
#     -e AUTH_JWKS_URL=http://auth:4001/.well-known/jwks.json phub --target=campaign
#   docker run --init --rm -p 4004:4004 -e PORT=4004 -e PLAYBACK_PORT=4004 \
#     -e DATABASE_URL=... -e REDIS_URL=... -e KAFKA_BROKERS=... \
#     -e AUTH_JWKS_URL=http://auth:4001/.well-known/jwks.json phub --target=playback
#
# Stages
#   base      node 20 + pinned pnpm (installed with npm: corepack is not relied on)
#   fetch     downloads every locked package into a store, keyed on the lockfile only,
#             so editing source does not re-download dependencies
#   build     full (dev) install from that store, then `pnpm build` (tsc -b)
#   assemble  production-only node_modules + compiled output, collected into /out
#   runtime   node:20-bookworm-slim + /out, non-root; no pnpm, no compiler, no sources
#
# Why `pnpm install --prod` in a clean tree and not `pnpm deploy` or `pnpm prune --prod`:
#   - The binary runs from the repository root (`node cmd/phub/dist/main.js`), reads
#     schema/supergraph.graphql relative to the working directory, and imports the workspace
#     packages (@phub/kit, @phub/gateway, @phub/location, ...) through their `dist/` folders.
#   - `pnpm deploy --filter @phub/cmd` (pnpm 10 needs --legacy, or inject-workspace-packages=
#     true for the whole workspace) does work, but it makes cmd/phub the root of the output:
#     the entry becomes dist/main.js, schema/ has to be copied in separately, and each
#     workspace package is copied whole (src/, tsconfig) into node_modules/.pnpm.
#   - `pnpm prune --prod` does not support workspaces (pnpm documents it as not recursive).
#   - So: delete every node_modules folder and run `pnpm install --prod --frozen-lockfile
#     --offline` over the same lockfile and store. That yields exactly the production graph
#     for the whole workspace (root node_modules/.pnpm plus each package's links) in the
#     layout the binary expects; then only manifests, dist/ and node_modules are kept, plus
#     the runtime data files a package reads next to dist/ (subgraphs/campaign/demo-assets:
#     the demo slides the demo seed copies into creative storage, and their generate.mjs).
#
# PID 1 / signals: the entrypoint is node itself. main.ts handles SIGTERM and SIGINT (graceful
# drain bounded by SHUTDOWN_TIMEOUT_MS) and the process spawns no children, so no zombie
# reaping is needed. Locally, prefer `docker run --init` (tini) anyway so Ctrl-C and orphan
# reaping behave; in Kubernetes the kubelet sends SIGTERM straight to node.
# `docker stop` waits 10 s by default, the same as SHUTDOWN_TIMEOUT_MS: use `docker stop -t 15`.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG PNPM_VERSION=10.34.9

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION
ENV CI=true \
    PNPM_STORE_DIR=/pnpm/store
RUN npm install -g pnpm@${PNPM_VERSION} && npm cache clean --force
WORKDIR /app

# ---------------------------------------------------------------------------------------------
FROM base AS fetch
# Only what decides the dependency graph: this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN pnpm fetch --store-dir "$PNPM_STORE_DIR"

# ---------------------------------------------------------------------------------------------
FROM fetch AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile --store-dir "$PNPM_STORE_DIR"
RUN pnpm build
# Static web apps (the display player, web-hq, web-retail), each with a package.json build script.
RUN set -eu; \
    for app in web-player web-hq web-retail; do \
      if [ -f "$app/package.json" ]; then pnpm --dir "$app" run --if-present build; fi; \
    done

# ---------------------------------------------------------------------------------------------
FROM build AS assemble
# 1. production dependencies only, for the whole workspace (fresh install from the store);
# 2. /out gets the root manifest, node_modules and schema/, and for every workspace package
#    its manifest (for `exports`), compiled dist/, node_modules links and demo-assets/ (read
#    at runtime relative to dist/, e.g. campaign's demo slides);
# 3. built static apps, if any.
RUN set -eu; \
    find . -name node_modules -type d -prune -exec rm -rf {} +; \
    pnpm install --offline --frozen-lockfile --prod --store-dir "$PNPM_STORE_DIR"; \
    mkdir -p /out; \
    cp -a package.json node_modules schema /out/; \
    for manifest in $(find packages subgraphs gateway cmd -maxdepth 2 -name package.json -not -path '*/node_modules/*'); do \
      dir=$(dirname "$manifest"); \
      mkdir -p "/out/$dir"; \
      cp -a "$manifest" "/out/$dir/"; \
      if [ -d "$dir/dist" ]; then cp -a "$dir/dist" "/out/$dir/"; fi; \
      if [ -d "$dir/node_modules" ]; then cp -a "$dir/node_modules" "/out/$dir/"; fi; \
      if [ -d "$dir/demo-assets" ]; then cp -a "$dir/demo-assets" "/out/$dir/"; fi; \
    done; \
    for app in web-player web-hq web-retail; do \
      if [ -d "$app/dist" ]; then mkdir -p "/out/$app" && cp -a "$app/dist" "/out/$app/"; fi; \
    done; \
    test -f /out/cmd/phub/dist/main.js; \
    test -f /out/schema/supergraph.graphql; \
    test -f /out/subgraphs/campaign/demo-assets/generate.mjs; \
    ls /out/subgraphs/campaign/demo-assets/*.png >/dev/null

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="personalisation-hub" \
      org.opencontainers.image.description="Personalisation Hub: gateway and subgraphs, one binary, --target selects the services"

ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=4000 \
    AUTH_PORT=4001 \
    LOCATION_PORT=4002 \
    CAMPAIGN_PORT=4003 \
    PLAYBACK_PORT=4004 \
    QUEUE_PORT=4005 \
    WORKER_PORT=4009 \
    SUPERGRAPH_PATH=schema/supergraph.graphql \
    DATA_DIR=/data \
    ASSET_DIR=/data/assets

WORKDIR /app
# Files stay owned by root: the app user can read but not change its own code.
COPY --from=assemble /out/ /app/
# Embedded Postgres (PGlite) keeps its files under DATA_DIR when no DATABASE_URL is given, and
# campaign its creatives and content its AEM copies under ASSET_DIR when no S3_BUCKET is given
# (/app is not writable).
RUN mkdir -p /data/assets && chown -R 1000:1000 /data

# The `node` user of the official image, by number so Kubernetes runAsNonRoot can verify it.
USER 1000:1000

# gateway, auth, location, campaign (campaign also serves /assets and /uploads without S3),
# playback (also POST /ingest and GET /reports/plays.csv), queue, proximity, visitor, worker and
# content (which also serves /assets without S3).
EXPOSE 4000 4001 4002 4003 4004 4005 4006 4008 4009 4010

# Checks PORT (the gateway; set PORT to the subgraph's own port when a container runs a single
# subgraph, as the k8s manifests do) or HEALTHCHECK_PORT. Kubernetes ignores HEALTHCHECK and
# uses the probes in k8s/. Node's fetch ignores HTTPS_PROXY, so this stays on loopback.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTHCHECK_PORT||process.env.PORT||4000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "cmd/phub/dist/main.js"]
CMD ["--target=all"]
