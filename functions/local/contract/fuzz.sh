#!/usr/bin/env bash
# Fuzzes the local runner with Schemathesis against the contract it serves (GET /openapi.yml):
# every operation of the four HTTP groups, with valid credentials per API (hooks.py); fails on any
# 5xx, any answer that does not match the document (status, content type, headers, body schema) and
# on authentication ignored. Two checks judge the document's request schemas rather than the answers
# (positive_data_acceptance, negative_data_rejection: does the server accept exactly what the schemas
# allow); they still find imprecise request schemas (docs/contract.md lists them), so they run only
# with FUZZ_ALL_CHECKS=true. Needs functions/local/target/local.jar
# (mvn -B -DskipTests package) and Python 3.11 with venv; Schemathesis is installed, pinned, in its own
# virtualenv under ~/.cache/contentplane. Serves in memory on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

SCHEMATHESIS_VERSION=4.32.5
VENV="${HOME}/.cache/contentplane/schemathesis-${SCHEMATHESIS_VERSION}"
PORT="${FUZZ_PORT:-3399}"
JAR=functions/local/target/local.jar
LOG="${TMPDIR:-/tmp}/contentplane-fuzz-server.log"

[ -f "${JAR}" ] || { echo "${JAR} missing: run mvn -B -DskipTests package first" >&2; exit 1; }
if [ ! -x "${VENV}/bin/st" ]; then
  rm -rf "${VENV}"
  python3 -m venv "${VENV}"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "${VENV}/bin/python" -m pip install --quiet "schemathesis==${SCHEMATHESIS_VERSION}" </dev/null
fi

# The rate limit is the one thing lifted: 50 requests per minute would turn most of the run into 429s.
IN_MEMORY=true PORT="${PORT}" INTEGRATION_RATE_LIMIT_PER_MINUTE=1000000 java -jar "${JAR}" >"${LOG}" 2>&1 &
SERVER=$!
trap 'kill ${SERVER} 2>/dev/null || true; wait ${SERVER} 2>/dev/null || true' EXIT
BASE_URL="http://127.0.0.1:${PORT}"
fetch() { python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())' "$1"; }
for _ in $(seq 1 120); do
  fetch "${BASE_URL}/openapi.yml" >/dev/null 2>&1 && break
  kill -0 "${SERVER}" 2>/dev/null || { cat "${LOG}" >&2; exit 1; }
  sleep 0.5
done
fetch "${BASE_URL}/openapi.yml" >"${TMPDIR:-/tmp}/contentplane-openapi.yml"

export BASE_URL SCHEMATHESIS_HOOKS=hooks
export PYTHONPATH="functions/local/contract${PYTHONPATH:+:${PYTHONPATH}}"
export BUDDY_TOKEN="$(java -jar "${JAR}" distributions-token 2>/dev/null | tail -1)"
EXCLUDED=(--exclude-checks positive_data_acceptance,negative_data_rejection)
[ "${FUZZ_ALL_CHECKS:-false}" = "true" ] && EXCLUDED=()
"${VENV}/bin/st" run "${BASE_URL}/openapi.yml" --url "${BASE_URL}" \
  --checks all "${EXCLUDED[@]}" --max-examples "${FUZZ_MAX_EXAMPLES:-25}" --workers 2 \
  --generation-deterministic --request-timeout 30 --suppress-health-check all "$@"
