#!/usr/bin/env bash
# LocalStack on loopback, without Docker and without an account (host mode of localstack-core).
#
#   functions/local/localstack.sh start    install on first use, start, return once it answers
#   functions/local/localstack.sh stop     stop the LocalStack this script started (by its PID)
#   functions/local/localstack.sh status   say whether it runs
#
# Serves DynamoDB, DynamoDB Streams, Secrets Manager, SSM, KMS, SQS and CloudWatch on
# http://127.0.0.1:${LOCALSTACK_PORT:-4566}. Pinned versions live beside this script
# (localstack/requirements-localstack-4.9.2.txt, localstack/dynamodb-local-pom.xml); the virtualenv,
# DynamoDB Local's jars and LocalStack's state are cached outside the work tree, under
# ${LOCALSTACK_HOME:-~/.cache/contentplane/localstack-4.9.2}. First start ~80 s (pip), later ~5 s.
# Several can run side by side on different ports (LOCALSTACK_PORT): the build's tests use 4567, so a
# LocalStack a developer runs on 4566 is never touched by `mvn verify`.
# Needs python3 (3.11) with venv and pip, Java 17+ and Maven (for DynamoDB Local's jars).
# Why each setting: see docs/localstack.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=background-process.sh
source "$HERE/background-process.sh"
VERSION=4.9.2
REQUIREMENTS="$HERE/localstack/requirements-localstack-${VERSION}.txt"
DDB_POM="$HERE/localstack/dynamodb-local-pom.xml"
HOME_DIR="${LOCALSTACK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/contentplane/localstack-${VERSION}}"
PORT="${LOCALSTACK_PORT:-4566}"
VENV="$HOME_DIR/venv"
# What LocalStack reads from its lib folder (DynamoDB Local, a Java) is shared by every instance;
# what it writes lives in a run folder per port.
LIB_DIR="$HOME_DIR/lib"
DDB_DIR="$LIB_DIR/dynamodb-local/2"
RUN_DIR="$HOME_DIR/run-$PORT"
FS_ROOT="$RUN_DIR/fs"
PID_FILE="$RUN_DIR/localstack.pid"
LOG_FILE="$RUN_DIR/localstack.log"
START_TIMEOUT="${LOCALSTACK_START_TIMEOUT:-180}"
SERVICES="dynamodb,dynamodbstreams,secretsmanager,ssm,kms,sqs,cloudwatch"

die() { echo "localstack.sh: $*" >&2; exit 1; }

port_taken() {
  # bash's /dev/tcp: a connection that succeeds means something listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

healthy() {
  curl -fsS --max-time 2 "http://127.0.0.1:$PORT/_localstack/health" >/dev/null 2>&1
}

# Healthy and done with its start-up (the log's "Ready." line).
ready() {
  healthy && grep -q '^Ready\.' "$LOG_FILE" 2>/dev/null
}

require_tools() {
  command -v python3 >/dev/null || die "python3 is missing: install Python 3.11 (Debian: apt-get install python3 python3-venv)"
  python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
    || die "localstack-core ${VERSION} needs Python 3.11 (found $(python3 -V 2>&1)); newer LocalStack releases need an account"
  python3 -c 'import venv, ensurepip' 2>/dev/null \
    || die "python3's venv/pip is missing (Debian: apt-get install python3-venv python3-pip)"
  command -v java >/dev/null || die "java is missing: LocalStack's DynamoDB runs on Java 17+"
  command -v javac >/dev/null || die "javac is missing: a JDK (not only a JRE) is needed once, to build DynamoDB Local's launcher"
  command -v mvn >/dev/null || die "mvn is missing: Maven fetches DynamoDB Local's jars"
  command -v curl >/dev/null || die "curl is missing"
}

install_venv() {
  local stamp="$VENV/.contentplane-requirements"
  if [[ -x "$VENV/bin/python" && -f "$stamp" ]] && cmp -s "$stamp" "$REQUIREMENTS"; then
    return
  fi
  echo "localstack.sh: installing localstack-core ${VERSION} into $VENV (about a minute, once)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS" </dev/null \
    || die "pip could not install the pinned requirements ($REQUIREMENTS)"
  cp "$REQUIREMENTS" "$stamp"
}

# DynamoDB Local as LocalStack expects it; LocalStack would download it from a host we cannot reach.
install_dynamodb_local() {
  local stamp="$DDB_DIR/.contentplane-pom"
  if [[ -f "$DDB_DIR/DynamoDBLocal.jar" && -f "$stamp" ]] && cmp -s "$stamp" "$DDB_POM"; then
    return
  fi
  echo "localstack.sh: placing DynamoDB Local's jars under $DDB_DIR"
  rm -rf "$DDB_DIR"
  mkdir -p "$DDB_DIR/DynamoDBLocal_lib"
  mvn -B -q -f "$DDB_POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$DDB_DIR/DynamoDBLocal_lib" </dev/null \
    || die "Maven could not fetch DynamoDB Local ($DDB_POM)"
  local so
  so="$(ls "$DDB_DIR"/DynamoDBLocal_lib/libsqlite4java-linux-amd64*.so | head -n1)"
  mv "$so" "$DDB_DIR/DynamoDBLocal_lib/libsqlite4java-linux-amd64.so"

  local work
  work="$(mktemp -d)"
  # The launcher: the Maven jar's own manifest names other file names than Maven's.
  {
    echo "Main-Class: com.amazonaws.services.dynamodbv2.local.main.ServerRunner"
    printf 'Class-Path:'
    for jar in "$DDB_DIR"/DynamoDBLocal_lib/*.jar; do
      printf ' \n DynamoDBLocal_lib/%s' "$(basename "$jar")"
    done
    printf '\n'
  } > "$work/launcher.mf"
  jar --create --file "$DDB_DIR/DynamoDBLocal.jar" --manifest "$work/launcher.mf"
  # LocalStack always passes ddb-local-loader as -javaagent; an agent that does nothing keeps
  # DynamoDB Local's normal behaviour.
  mkdir -p "$work/agent"
  cat > "$work/agent/NoopAgent.java" <<'JAVA'
public final class NoopAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation instrumentation) {
    }
}
JAVA
  javac --release 17 -d "$work/agent" "$work/agent/NoopAgent.java"
  printf 'Premain-Class: NoopAgent\n' > "$work/agent.mf"
  jar --create --file "$DDB_DIR/ddb-local-loader-0.1.jar" --manifest "$work/agent.mf" -C "$work/agent" NoopAgent.class
  rm -rf "$work"
  cp "$DDB_POM" "$stamp"
}

# LocalStack only checks that a Java exists here; otherwise it tries to download one.
link_java() {
  local java_home
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  mkdir -p "$LIB_DIR/java"
  ln -sfn "$java_home" "$LIB_DIR/java/21"
}

link_lib() {
  mkdir -p "$FS_ROOT/var/lib/localstack/lib"
  ln -sfn "$DDB_DIR/.." "$FS_ROOT/var/lib/localstack/lib/dynamodb-local"
  ln -sfn "$LIB_DIR/java" "$FS_ROOT/var/lib/localstack/lib/java"
}

# Every process of this port's LocalStack: each inherits its FILESYSTEM_ROOT. DynamoDB Local runs in a session of
# its own, outside the process group that stop() signals, and outlives a LocalStack stopped before it could.
instance_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid="${environ#/proc/}"
    pid="${pid%/environ}"
    tr '\0' '\n' 2>/dev/null <"$environ" | grep -qxF "FILESYSTEM_ROOT=$FS_ROOT" && echo "$pid"
  done
  return 0
}

# After the group is gone: whatever of this instance is left (KILL; it has no LocalStack to answer to).
stop_leftovers() {
  local pids=()
  mapfile -t pids < <(instance_pids)
  (( ${#pids[@]} )) || return 0
  kill -KILL "${pids[@]}" 2>/dev/null || true
  echo "localstack.sh: stopped what LocalStack on port $PORT left running (PIDs ${pids[*]})"
}

start() {
  local pid
  if pid="$(background_pid "$PID_FILE")"; then
    if healthy; then
      echo "LocalStack already runs (PID $pid) on http://127.0.0.1:$PORT"
      return
    fi
    die "a LocalStack started by this script (PID $pid) runs but does not answer; run '$0 stop' first"
  fi
  port_taken "$PORT" && die "port $PORT on 127.0.0.1 is taken by another process; stop it or set LOCALSTACK_PORT"
  require_tools
  mkdir -p "$HOME_DIR" "$RUN_DIR"
  install_venv
  install_dynamodb_local
  link_java
  link_lib

  echo "localstack.sh: starting LocalStack ${VERSION} on http://127.0.0.1:$PORT (log: $LOG_FILE)"
  (
    cd "$RUN_DIR"
    # setsid: LocalStack and its DynamoDB Local child get their own process group, stopped together.
    exec env OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$FS_ROOT" GATEWAY_LISTEN="127.0.0.1:$PORT" \
      SERVICES="$SERVICES" EAGER_SERVICE_LOADING=1 PROVIDER_OVERRIDE_DYNAMODBSTREAMS=v2 \
      DYNAMODB_IN_MEMORY=1 SQS_ENDPOINT_STRATEGY=path LOCALSTACK_HOST="localhost:$PORT" \
      DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0 \
      setsid "$VENV/bin/python" -m localstack.runtime.main </dev/null >"$LOG_FILE" 2>&1
  ) &
  echo $! > "$PID_FILE"

  # The whole process group: LocalStack and the DynamoDB Local it starts; if it fails, what it left too.
  trap stop_leftovers EXIT
  background_wait LocalStack "$PID_FILE" "$LOG_FILE" "$START_TIMEOUT" group ready
  trap - EXIT
  echo "LocalStack ready on http://127.0.0.1:$PORT (PID $(cat "$PID_FILE")); stop it with: $0 stop"
}

stop() {
  local pid
  # The whole process group: LocalStack and the DynamoDB Local it started.
  if pid="$(background_stop "$PID_FILE" group)"; then
    echo "LocalStack stopped (PID $pid)"
  else
    echo "LocalStack is not running (no live PID in $PID_FILE)"
  fi
  stop_leftovers
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(background_pid "$PID_FILE")" && healthy; then echo "running (PID $pid) on http://127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  *) echo "Usage: $0 start|stop|status" >&2; exit 2 ;;
esac
