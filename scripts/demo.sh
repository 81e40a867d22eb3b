#!/usr/bin/env bash
# `npm run demo`: build, seed the demo catalogue, start the bundled mock data platform and the API,
# then print where everything is, the demo data and a token per demo user. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

export ADMIN_API_KEY="${ADMIN_API_KEY:-demo-admin-key}"
export MOCK_PLATFORM_PORT="${MOCK_PLATFORM_PORT:-4000}"
export DATA_PLATFORM_URL="${DATA_PLATFORM_URL:-http://127.0.0.1:${MOCK_PLATFORM_PORT}/events}"
# Development token settings (a real deployment takes them from its identity provider).
export AUTH_ISSUER="${AUTH_ISSUER:-http://localhost:3000/dev-issuer}"
export AUTH_AUDIENCE="${AUTH_AUDIENCE:-order-service}"
export AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-dev-only-secret-do-not-use-in-production-0123}"

echo "Building…"
npm run -s build

node dist/mock-data-platform/main.js &
platform=$!
trap 'kill "$platform" "${app:-}" 2>/dev/null || true' EXIT

npm run -s seed
npm start -s &
app=$!
node -r ts-node/register/transpile-only scripts/demo-ready.ts
wait "$app"
