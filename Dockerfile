# syntax=docker/dockerfile:1
# The RDX gateway image. One image serves every role: RDX_ROLES=api, worker, or both; every
# process serves /health/live, /health/ready and /metrics on RDX_PORT, which the healthcheck probes.
#   docker build -t rdx-gateway .
#   docker compose up        (see docker-compose.yml)
#   docker run --rm -e RDX_DATABASE_URL=... rdx-gateway node bin/rdx.js migrate   (the rdx CLI is in it)

# ---- build: compile TypeScript; a native module without a prebuilt binary for the platform
# (better-sqlite3, sodium-native) is built here, hence the toolchain ----
FROM node:26-trixie-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
COPY scripts/prepare.js ./scripts/prepare.js
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY config ./config
COPY libs ./libs
COPY apps ./apps
# The bench (apps/bench) is a developer's tool that needs development dependencies: not shipped.
RUN npm run build \
  && rm -rf dist/apps/bench \
  && npm prune --omit=dev \
  && npm cache clean --force

# ---- runtime: compiled code and production dependencies only, as the unprivileged node user ----
FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production \
    RDX_PORT=8080 \
    RDX_GATEWAY_KEY_FILE=/app/data/gateway-signing-key.json
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/register-paths.js ./scripts/register-paths.js
COPY --from=build /app/bin ./bin
COPY --from=build /app/config ./config
# The gateway's receipt signing key lives here: mount a volume on it so the key outlives the container.
# A fresh named volume takes this directory's owner, so the node user can write the key into it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.RDX_PORT||8080)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "-r", "./scripts/register-paths.js", "dist/apps/gateway/src/main.js"]
