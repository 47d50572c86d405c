# syntax=docker/dockerfile:1
# The image of every W2Meet service, one app at a time, built from the repository root (the workspace):
#   docker build --build-arg APP=users --build-arg PORT=3001 -t w2meet/users .
# compose.yml builds each service with its own APP and PORT.
ARG BUN_VERSION=1.4.5

# Production dependencies of the app only, resolved from the workspace's frozen lockfile.
FROM oven/bun:${BUN_VERSION}-slim AS deps
ARG APP
WORKDIR /app
# The lockfile describes every workspace, so --frozen-lockfile needs every workspace's package.json.
COPY package.json bun.lock bunfig.toml ./
COPY apps/users/package.json apps/users/
COPY apps/availability/package.json apps/availability/
COPY apps/suggestions/package.json apps/suggestions/
COPY apps/worker/package.json apps/worker/
COPY apps/gateway/package.json apps/gateway/
COPY apps/web/package.json apps/web/
COPY packages/broker/package.json packages/broker/
COPY packages/contracts/package.json packages/contracts/
COPY packages/deployment/package.json packages/deployment/
COPY packages/kit/package.json packages/kit/
COPY packages/schedule/package.json packages/schedule/
COPY packages/testing/package.json packages/testing/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
# Optional peers (typescript, type packages) come along with elysia but are never loaded at run time;
# of swagger-ui-dist (12 MB) the docs serve only the bundle and its stylesheet. An exec-form ENTRYPOINT
# cannot name the app from a build argument, so a one-line service.ts does.
RUN test -n "${APP}" || { echo "build with --build-arg APP=<users|availability|suggestions|worker|gateway|web>" >&2; exit 1; } \
 && bun install --frozen-lockfile --production --filter "@w2meet/${APP}" \
 && rm -rf node_modules/.bun/typescript@* node_modules/.bun/@types+* node_modules/.bun/bun-types@* node_modules/.bun/undici-types@* \
 && find node_modules/.bun/swagger-ui-dist@*/node_modules/swagger-ui-dist -type f ! -name swagger-ui-bundle.js ! -name swagger-ui.css \
      ! -name package.json ! -name LICENSE ! -name NOTICE -delete \
 && echo "import \"./apps/${APP}/src/index.ts\";" > service.ts

# Bun on distroless: no shell, no package manager, runs as a non-root user.
FROM oven/bun:${BUN_VERSION}-distroless
ARG APP
ARG PORT
WORKDIR /app
# A smaller heap target for JavaScriptCore: see scripts/runtime-env.ts (the worker's own addition is set
# by compose.yml).
ENV NODE_ENV=production PORT=${PORT} BUN_JSC_forceRAMSize=200000000
# The installed tree keeps its layout: isolated installs link each workspace's node_modules into the store.
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/packages packages
COPY --from=deps /app/apps/${APP} apps/${APP}
COPY --from=deps /app/service.ts service.ts
COPY packages/broker/src packages/broker/src
COPY packages/contracts/src packages/contracts/src
COPY packages/kit/src packages/kit/src
COPY packages/schedule/src packages/schedule/src
# The app's sources and migrations (.dockerignore keeps its tests and benchmarks out). The web app bundles
# its page from these sources at start-up with Bun.build into memory (no outdir), so it needs no build
# step here and nothing writable: the root file system may be read-only.
COPY apps/${APP} apps/${APP}
# distroless's "nonroot" user, by number so it needs no passwd lookup.
USER 65532:65532
EXPOSE ${PORT}
ENTRYPOINT ["bun", "service.ts"]
