#!/usr/bin/env bash
# Builds, locally, a Lambda Java base image for the runtime of template.yaml (no image can be pulled
# on these machines), and prints its name on the last line of stdout.
#
#   functions/local/lambda-image/build.sh RIE_BINARY
#
# RIE_BINARY: AWS's Runtime Interface Emulator (sam-local.sh passes the one SAM CLI ships), put at
# /usr/local/bin/aws-lambda-rie so that `docker run IMAGE HANDLER` works as with AWS's images; SAM
# itself runs its own copy from /var/rapid.
#
# The image, as AWS's Lambda Java images are laid out:
#   /                       Debian bookworm, debootstrap --variant=minbase
#   /var/lang               the JDK of the runtime (a jlink'ed copy of the host's JDK of that version)
#   /var/runtime/lib        AWS's runtime interface client and its dependencies (ric-pom.xml, Maven Central)
#   /var/runtime/bootstrap  starts the client on the handler in $_HANDLER (bootstrap beside this script)
#   /lambda-entrypoint.sh   the images' entrypoint (lambda-entrypoint.sh beside this script)
#   /var/task               the working directory, where SAM mounts the function's unpacked jar
# Cached by content: the name carries a hash of every input (this script, the files beside it, the
# runtime, the JDK's release file, the emulator), so it is rebuilt only when one of them changes.
# The debootstrap root file system is cached as a tarball under ~/.cache/contentplane/lambda-image.
# Needs a running Docker daemon (functions/local/docker-daemon.sh start), debootstrap (installed
# from Debian's packages when missing, as root) and Maven.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TEMPLATE="${TEMPLATE:-$ROOT/template.yaml}"
CACHE="${CONTENTPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/contentplane}/lambda-image"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

die() { echo "lambda-image/build.sh: $*" >&2; exit 1; }
log() { echo "lambda-image/build.sh: $*" >&2; }

[[ $# -eq 1 && -f "$1" ]] || die "usage: $0 RIE_BINARY (AWS's aws-lambda-rie, e.g. the one SAM CLI ships)"
RIE="$1"

# The runtime: every function of the template must use the same one (Globals), since one image serves all.
runtime() {
  local runtimes
  runtimes="$(grep -E '^\s+Runtime:\s' "$TEMPLATE" | awk '{print $2}' | tr -d "'\"" | sort -u)"
  [[ -n "$runtimes" ]] || die "no Runtime in $TEMPLATE"
  [[ "$(wc -l <<<"$runtimes")" -eq 1 ]] || die "$TEMPLATE names several runtimes ($(paste -sd' ' <<<"$runtimes")); one image per runtime is not built here"
  echo "$runtimes"
}

# The host's JDK of that Java version: LAMBDA_JDK_HOME, else the first JDK under /usr/lib/jvm whose release
# file says that major version. Only javaNN runtimes are Java; anything else is refused.
jdk_for() {
  local runtime="$1" major home
  [[ "$runtime" =~ ^java([0-9]+)$ ]] || die "runtime '$runtime' is not a Java runtime; this image builder makes Java images only"
  major="${BASH_REMATCH[1]}"
  for home in ${LAMBDA_JDK_HOME:-} /usr/lib/jvm/temurin-"$major"-jdk-amd64 /usr/lib/jvm/*; do
    [[ -f "$home/release" && -x "$home/bin/jlink" ]] || continue
    if grep -qE "^JAVA_VERSION=\"$major(\.|\")" "$home/release"; then
      echo "$home"
      return
    fi
  done
  die "runtime $runtime needs a JDK $major with jlink on this machine (none under /usr/lib/jvm; set LAMBDA_JDK_HOME). Debian bookworm's own packages stop at JDK 17."
}

install_debootstrap() {
  command -v debootstrap >/dev/null && return
  [[ "$(id -u)" == 0 ]] || die "debootstrap is missing: install it (sudo apt-get install debootstrap) or run as root"
  log "installing Debian's debootstrap (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null; } \
    || die "apt-get could not install debootstrap"
}

# Debian's minimal root file system, made once and kept as a tarball.
base_tarball() {
  local tarball="$CACHE/debootstrap-$SUITE-minbase.tar"
  if [[ -f "$tarball" ]]; then echo "$tarball"; return; fi
  [[ "$(id -u)" == 0 ]] || die "debootstrap needs root"
  install_debootstrap
  local dir
  dir="$(mktemp -d)"
  log "debootstrap --variant=minbase $SUITE (about 30 s, once; from $MIRROR)"
  debootstrap --variant=minbase "$SUITE" "$dir" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; rm -rf "$dir"; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  tar -C "$dir" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$dir"
  echo "$tarball"
}

command -v docker >/dev/null || die "Docker is missing: run functions/local/docker-daemon.sh start (installs Debian's docker.io as root)"
docker info >/dev/null 2>&1 || die "no Docker daemon answers: run functions/local/docker-daemon.sh start"
command -v mvn >/dev/null || die "mvn is missing: Maven fetches AWS's runtime interface client"

RUNTIME="$(runtime)"
JDK="$(jdk_for "$RUNTIME")"
HASH="$( { echo "$RUNTIME $SUITE"; cat "$0" "$HERE/ric-pom.xml" "$HERE/bootstrap" "$HERE/lambda-entrypoint.sh" "$JDK/release"; sha256sum <"$RIE"; } \
  | sha256sum | cut -c1-12)"
# One repository per content hash: SAM derives its emulator image as REPOSITORY:rapid-x86_64, so a new
# base image also gets a new derived image instead of SAM reusing the one built on the old base.
IMAGE="contentplane-lambda-$RUNTIME-$HASH:base"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE is up to date (runtime $RUNTIME, JDK $JDK)"
  echo "$IMAGE"
  exit 0
fi

mkdir -p "$CACHE"
started=$(date +%s)
BASE="$(base_tarball)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"
tar -C "$ROOTFS" -xf "$BASE"

log "JDK of $RUNTIME: jlink of $JDK ($(grep -E '^JAVA_RUNTIME_VERSION=' "$JDK/release" | cut -d'"' -f2)) into /var/lang"
# Every module except the linking and packaging tools, as the Lambda runtime's JDK has them.
modules="$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -vxE 'jdk\.jlink|jdk\.jpackage' | paste -sd,)"
"$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$ROOTFS/var/lang" 2>&1 | { grep -v 'incubator modules' || true; } >&2

log "AWS's runtime interface client into /var/runtime/lib (Maven, $HERE/ric-pom.xml)"
mkdir -p "$ROOTFS/var/runtime/lib"
mvn -B -q -Dstyle.color=never -f "$HERE/ric-pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$ROOTFS/var/runtime/lib" </dev/null >&2 \
  || die "Maven could not fetch the runtime interface client ($HERE/ric-pom.xml)"
ls "$ROOTFS"/var/runtime/lib/aws-lambda-java-runtime-interface-client-*.jar >/dev/null 2>&1 \
  || die "the runtime interface client jar is missing after Maven's copy"

install -m 0755 "$HERE/bootstrap" "$ROOTFS/var/runtime/bootstrap"
install -m 0755 "$HERE/lambda-entrypoint.sh" "$ROOTFS/lambda-entrypoint.sh"
install -m 0755 "$RIE" "$ROOTFS/usr/local/bin/aws-lambda-rie"
mkdir -p "$ROOTFS/var/task" "$ROOTFS/opt"
chmod 1777 "$ROOTFS/tmp"

log "docker import $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  --change 'WORKDIR /var/task' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV TZ=:/etc/localtime' \
  --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin' \
  --change 'ENV LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib' \
  --change 'ENV LAMBDA_TASK_ROOT=/var/task' \
  --change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' \
  --change "LABEL io.contentplane.lambda-runtime=$RUNTIME io.contentplane.inputs-hash=$HASH" \
  - "$IMAGE" >/dev/null

# Older builds of this runtime (and SAM's images derived from them) are no longer used.
docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^contentplane-lambda-$RUNTIME-[0-9a-f]{12}:" \
  | grep -v "^contentplane-lambda-$RUNTIME-$HASH:" | xargs -r docker rmi >/dev/null 2>&1 || true

log "built $IMAGE in $(( $(date +%s) - started )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}'))"
echo "$IMAGE"
