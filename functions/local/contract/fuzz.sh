#!/usr/bin/env bash
# Fuzzes the local runner with Schemathesis against the contract it serves (GET /openapi.yml):
# every operation of the four HTTP groups, with valid credentials per API (hooks.py); fails on any
# 5xx, any answer that does not match the document (status, content type, headers, body schema) and
# on authentication ignored, and - positive_data_acceptance, negative_data_rejection - on any request
# the server treats otherwise than the document's request schemas say (docs/contract.md). Operations
# on existing resources get real ids (hooks.py); the answers' statuses per operation are summed up at
# the end (how many operations got past 404). Needs functions/local/target/local.jar
# (mvn -B -DskipTests package) and Python 3.11 with venv; Schemathesis is installed, pinned, in its own
# virtualenv under ~/.cache/contentplane. Serves in memory on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

SCHEMATHESIS_VERSION=4.32.5
VENV="${HOME}/.cache/contentplane/schemathesis-${SCHEMATHESIS_VERSION}"
PORT="${FUZZ_PORT:-3399}"
JAR=functions/local/target/local.jar
LOG="${TMPDIR:-/tmp}/contentplane-fuzz-server.log"
export FUZZ_STATUS_LOG="${TMPDIR:-/tmp}/contentplane-fuzz-statuses.json"
# Webhook hosts are checked (and deliveries made) after a name lookup: this file is the runner's only
# resolver, so generated host names never leave the machine (nothing resolves, nothing is sent).
HOSTS="${TMPDIR:-/tmp}/contentplane-fuzz-hosts"
printf '127.0.0.1 localhost\n::1 localhost\n' >"${HOSTS}"

[ -f "${JAR}" ] || { echo "${JAR} missing: run mvn -B -DskipTests package first" >&2; exit 1; }
if [ ! -x "${VENV}/bin/st" ]; then
  rm -rf "${VENV}"
  python3 -m venv "${VENV}"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "${VENV}/bin/python" -m pip install --quiet "schemathesis==${SCHEMATHESIS_VERSION}" </dev/null
fi

# The rate limit is the one thing lifted: 50 requests per minute would turn most of the run into 429s.
IN_MEMORY=true PORT="${PORT}" INTEGRATION_RATE_LIMIT_PER_MINUTE=1000000 java -Djdk.net.hosts.file="${HOSTS}" -jar "${JAR}" >"${LOG}" 2>&1 &
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
export BUDDY_WORKSPACE="${FUZZ_WORKSPACE:-schemathesis}"
export BUDDY_TOKEN="$(java -jar "${JAR}" distributions-token "${BUDDY_WORKSPACE}" 2>/dev/null | tail -1)"
rm -f "${FUZZ_STATUS_LOG}"
# One worker: with two, Python 3.11's parser is entered from two threads at once (hypothesis describes
# its strategies from source) and fails now and then ("AST constructor recursion depth mismatch").
status=0
"${VENV}/bin/st" --config-file functions/local/contract/schemathesis.toml run "${BASE_URL}/openapi.yml" --url "${BASE_URL}" \
  --checks all --max-examples "${FUZZ_MAX_EXAMPLES:-25}" --workers 1 \
  --generation-deterministic --request-timeout 30 --suppress-health-check all "$@" || status=$?
python3 - "${FUZZ_STATUS_LOG}" <<'SUMMARY'
import json, sys
statuses = json.load(open(sys.argv[1]))
# Reached: some answer came from the operation's own work on a found resource (2xx, or a 409/503 of its state).
reached = sorted(op for op, counts in statuses.items() if any(c[0] == "2" or c in ("409", "503") for c in counts))
missed = sorted(set(statuses) - set(reached))
print(f"Operations: {len(statuses)}; reached past lookup and validation (an answer 2xx, 409 or 503): {len(reached)}")
print(f"Requests: {sum(sum(c.values()) for c in statuses.values())}")
for op in missed:
    print(f"  not reached: {op} {dict(sorted(statuses[op].items()))}")
SUMMARY
exit "${status}"
