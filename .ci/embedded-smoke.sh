#!/usr/bin/env bash
# Proves the README's start command on a machine without DATABASE_URL: embedded PostgreSQL,
# migrations, demo data, a GraphQL answer, then a graceful SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL
port=4555
log=$(mktemp)
PORT=$port pnpm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/readyz"
echo
answer=$(curl -fsS -H 'content-type: application/json' \
  -d '{"query":"{ groups(first: 3) { totalCount nodes { title seatsAvailable } } }"}' \
  "http://127.0.0.1:$port/graphql")
echo "$answer"
echo "$answer" | grep -q '"totalCount":5' || { echo "embedded start did not serve the demo catalogue"; cat "$log"; exit 1; }
# pnpm does not forward signals: send SIGTERM to the API process itself, as an orchestrator would.
kill -TERM "$(pgrep -n -f 'esm-register src/app/main.ts')"
wait $pid || true
grep -q '"msg":"stopped"' "$log" || { echo "server did not stop gracefully"; cat "$log"; exit 1; }
trap - EXIT
echo "embedded start: ok"
