# A background process known by the PID file of the script that started it: sourced by docker-daemon.sh and
# localstack.sh, which share how such a process is found, waited for and stopped (never one they did not start).
# The sourcing script defines die() (prints its own name and exits 1).

# Prints the PID in $1 if that process still runs; fails otherwise.
background_pid() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# background_wait NAME PID_FILE LOG_FILE TIMEOUT_SECONDS process|group READY_COMMAND...
# Returns once READY_COMMAND succeeds. If the process exits first: prints the end of its log, removes the
# PID file and dies. If TIMEOUT_SECONDS pass: prints the end of its log, stops it (as background_stop) and dies.
background_wait() {
  local name="$1" pid_file="$2" log_file="$3" timeout="$4" stop_mode="$5"
  shift 5
  local half_seconds=0
  until "$@"; do
    if ! background_pid "$pid_file" >/dev/null; then
      tail -n 30 "$log_file" >&2 || true
      rm -f "$pid_file"
      die "$name exited during start-up (log above, full log: $log_file)"
    fi
    if (( half_seconds >= timeout * 2 )); then
      tail -n 30 "$log_file" >&2 || true
      background_stop "$pid_file" "$stop_mode" >/dev/null || true
      die "$name did not answer within ${timeout}s (log: $log_file)"
    fi
    sleep 0.5
    half_seconds=$((half_seconds + 1))
  done
}

# background_stop PID_FILE process|group: TERM to the process, or to its whole process group (started with
# setsid, the group is the process and its children), KILL after 30 s. Prints the PID it stopped; fails if
# none was running.
background_stop() {
  local pid_file="$1" target pid
  if ! pid="$(background_pid "$pid_file")"; then
    rm -f "$pid_file"
    return 1
  fi
  case "$2" in
    process) target="$pid" ;;
    group) target="-$pid" ;;
    *) die "background_stop: say 'process' or 'group', not '$2'" ;;
  esac
  kill -TERM -- "$target" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "$target" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "$pid"
}
