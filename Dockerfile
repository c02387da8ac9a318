# Cilium Observability — Rainbond platform plugin (backend + panel bundle in one image).
# Build:  docker build -t <registry>/<ns>/cilium-observability:<version> .   (version = plugin.yaml "version")
# The image must be pushed to a registry every cluster node can pull from; see README.md (Install).

# ---- build stage: full dependencies, builds the panel bundle web/dist/main.js ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

# ---- runtime stage: production dependencies only (tsx runs the TypeScript server) ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Files stay root-owned: the process (user node) can read but not modify them.
COPY tsconfig.json plugin.yaml ./
COPY contract/ ./contract/
COPY server/ ./server/
COPY --from=build /app/web/dist/main.js ./web/dist/main.js
# node = uid 1000 in node:20-slim; Kubernetes manifests set runAsUser: 1000 so runAsNonRoot can be verified.
USER node
EXPOSE 8080
CMD ["node_modules/.bin/tsx", "server/main.ts"]
