#!/usr/bin/env bash
# The Docker daemon that `sam local` needs, on these machines (Debian's docker.io, no systemd).
#
#   functions/local/docker-daemon.sh start    install docker.io if missing (as root), start dockerd unless one answers
#   functions/local/docker-daemon.sh stop     stop the dockerd this script started (by its PID), never another one
#   functions/local/docker-daemon.sh status   say whether a daemon answers, and whether this script started it
#
# The daemon it starts has no bridge network (--bridge=none, no iptables rules): a container can only
# run on the host network, so every port a function opens is on this machine and nothing is NATed out.
# A daemon that already answers is used as it is and left running.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=background-process.sh
source "$HERE/background-process.sh"

STATE_DIR="${CONTENTPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/contentplane}/dockerd"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"

die() { echo "docker-daemon.sh: $*" >&2; exit 1; }

answers() { docker info >/dev/null 2>&1; }

# Debian's packages, installed only when missing and only as root (CI runs as root on a fresh machine).
install_docker() {
  command -v dockerd >/dev/null && command -v docker >/dev/null && return
  [[ "$(id -u)" == 0 ]] || die "Docker is missing: install Debian's docker.io (sudo apt-get install docker.io) or run this as root"
  command -v apt-get >/dev/null || die "Docker is missing and this is not a Debian system (no apt-get): install Docker Engine"
  echo "docker-daemon.sh: installing Debian's docker.io (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >/dev/null; } \
    || die "apt-get could not install docker.io"
}

start() {
  if answers; then
    if pid="$(background_pid "$PID_FILE")"; then echo "dockerd already runs (started by this script, PID $pid)"; else echo "dockerd already runs (not started by this script; left alone)"; fi
    return
  fi
  install_docker
  [[ "$(id -u)" == 0 ]] || die "no Docker daemon answers and starting one needs root (or start Docker yourself)"
  mkdir -p "$STATE_DIR"
  echo "docker-daemon.sh: starting dockerd (log: $LOG_FILE)"
  # setsid: its own process group, so Ctrl-C in the caller's terminal does not reach it.
  setsid dockerd --bridge=none --iptables=false --ip-masq=false --ip6tables=false >"$LOG_FILE" 2>&1 </dev/null &
  echo $! > "$PID_FILE"
  # dockerd stops the containers and the containerd it started itself: TERM goes to it alone.
  background_wait dockerd "$PID_FILE" "$LOG_FILE" 60 process answers
  echo "dockerd ready (PID $(cat "$PID_FILE"))"
}

stop() {
  local pid
  if pid="$(background_stop "$PID_FILE" process)"; then
    echo "dockerd stopped (PID $pid)"
  else
    echo "no dockerd started by this script is running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if answers; then
      if pid="$(background_pid "$PID_FILE")"; then echo "running (started by this script, PID $pid)"; else echo "running (not started by this script)"; fi
    else echo "not running"; exit 1; fi ;;
  *) echo "Usage: $0 start|stop|status" >&2; exit 2 ;;
esac
