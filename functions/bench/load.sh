#!/usr/bin/env bash
# Load figures of a running local server (java -jar functions/local/target/local.jar), on loopback.
#
# Three scenarios, one after the other, each with CONNECTIONS concurrent connections (default 50)
# for DURATION seconds (default 15) after WARMUP seconds of the same load unmeasured (default 3):
#   status      GET  /api/v1/status
#   set-worker  POST /api/v1/set-worker {"workerId":1}, with operator tokens from
#               `java -jar local.jar token` (a token fits every request of that path and body and
#               lives 60 s, so a fresh one is minted every 30 s)
#   distribution-read  GET /workspaces/<WORKSPACE>/distributions/<id> of a distribution the script
#               creates first, with a token from `java -jar local.jar distributions-token`
# Each prints requests/s, p50/p99 latency (ms, of 2xx answers) and the count of non-2xx answers
# and failed requests; the script exits 1 when any scenario had one.
#
# For example:
#   IN_MEMORY=true java -jar functions/local/target/local.jar &
#   functions/bench/load.sh
#
# Environment: BASE_URL (http://localhost:3335), DURATION, WARMUP, CONNECTIONS, LOCAL_JAR
# (functions/local/target/local.jar, for tokens), WORKSPACE (my-workspace), and the server's
# OPERATOR_HMAC_SECRET / AUTH_JWT_SECRET if it was started with its own. Builds nothing: needs functions/bench/target/bench-0.1.0.jar and
# LOCAL_JAR, and curl.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

BASE_URL="${BASE_URL:-http://localhost:3335}"
BASE_URL="${BASE_URL%/}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
LOCAL_JAR="${LOCAL_JAR:-functions/local/target/local.jar}"
WORKSPACE="${WORKSPACE:-my-workspace}"
BENCH_JAR=functions/bench/target/bench-0.1.0.jar

for jar in "$BENCH_JAR" "$LOCAL_JAR"; do
  if [[ ! -f "$jar" ]]; then
    echo "$jar is missing; build it first: mvn -B -q -DskipTests package" >&2
    exit 1
  fi
done

status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/v1/status" || true)
if [[ "$status" != 200 ]]; then
  echo "$BASE_URL/api/v1/status answers '$status', not 200: start the server first (java -jar $LOCAL_JAR)" >&2
  exit 1
fi

load() {
  java -cp "$BENCH_JAR" io.contentplane.bench.LoadGenerator --connections "$CONNECTIONS" \
    --duration-seconds "$DURATION" --warmup-seconds "$WARMUP" "$@"
}

echo "load: $BASE_URL, $CONNECTIONS connections, ${WARMUP} s warm-up + ${DURATION} s per scenario"
failed=0

load --name status --url "$BASE_URL/api/v1/status" || failed=1

load --name set-worker --url "$BASE_URL/api/v1/set-worker" --method POST --body '{"workerId":1}' \
  --header 'Content-Type: application/json' \
  --token-command "java -jar '$LOCAL_JAR' token /api/v1/set-worker '{\"workerId\":1}'" \
  --token-refresh-seconds 30 || failed=1

# Distribution read: a distribution created for the run in WORKSPACE, read with a token that
# `local.jar distributions-token` signs with the server's AUTH_JWT_SECRET (the same default).
distributions_token=$(java -jar "$LOCAL_JAR" distributions-token "$WORKSPACE")
created=$(curl -s -X POST "$BASE_URL/workspaces/$WORKSPACE/distributions" \
  -H "Authorization: Bearer $distributions_token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"load $(date +%s%N)\",\"scope\":\"WORKSPACE\"}")
distribution_id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$created" | head -n 1)
if [[ -z "$distribution_id" ]]; then
  echo "creating the distribution to read failed: $created" >&2
  exit 1
fi
load --name distribution-read --url "$BASE_URL/workspaces/$WORKSPACE/distributions/$distribution_id" \
  --header "Authorization: Bearer $distributions_token" || failed=1

exit "$failed"
