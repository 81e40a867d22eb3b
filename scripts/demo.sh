#!/usr/bin/env bash
# `npm run demo`: build, seed the demo catalogue, start the bundled mock data platform, the API and
# the demo storefront, then print where everything is, the demo data and a token per demo user.
# `npm run demo -- --fresh` first drops the demo database, so the data starts over. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=false
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=true ;;
    *) echo "usage: npm run demo [-- --fresh]" >&2; exit 2 ;;
  esac
done

# The demo's admin key and token secret are public: the API listens on this machine only.
export HOST="${HOST:-127.0.0.1}"
export ADMIN_API_KEY="${ADMIN_API_KEY:-demo-admin-key}"
export MOCK_PLATFORM_PORT="${MOCK_PLATFORM_PORT:-4000}"
export DATA_PLATFORM_URL="${DATA_PLATFORM_URL:-http://127.0.0.1:${MOCK_PLATFORM_PORT}/events}"
# The storefront is a page on an origin of its own: the API lets exactly that origin call it.
export STOREFRONT_PORT="${STOREFRONT_PORT:-5173}"
export CORS_ORIGINS="${CORS_ORIGINS:-http://127.0.0.1:${STOREFRONT_PORT}}"
# Development token settings (a real deployment takes them from its identity provider).
export AUTH_ISSUER="${AUTH_ISSUER:-http://localhost:3000/dev-issuer}"
export AUTH_AUDIENCE="${AUTH_AUDIENCE:-order-service}"
export AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-dev-only-secret-do-not-use-in-production-0123}"

echo "Building…"
npm run -s build

if [ "$fresh" = true ]; then node -r ts-node/register/transpile-only scripts/demo-fresh.ts; fi

node dist/mock-data-platform/main.js &
platform=$!
trap 'kill "$platform" "${app:-}" "${storefront:-}" 2>/dev/null || true' EXIT

npm run -s seed
npm start -s &
app=$!
# Waits for the API, starts the storefront, prints the banner, then keeps serving the storefront.
node -r ts-node/register/transpile-only scripts/demo-ready.ts &
storefront=$!
wait "$app"
