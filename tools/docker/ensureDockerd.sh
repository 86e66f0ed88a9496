#!/usr/bin/env bash
# Makes sure a Docker daemon answers on /var/run/docker.sock, for CI and for developers.
#
#   ensureDockerd.sh start    no-op when `docker version` already answers; otherwise (root) starts
#                             dockerd in its own session, logging to $DNE_DOCKERD_DIR/dockerd.log,
#                             waits up to $DNE_DOCKERD_WAIT (60) s, and records its PID so that
#   ensureDockerd.sh stop     stops only a daemon that `start` started (SIGTERM, then SIGKILL).
#   ensureDockerd.sh status   says whether the daemon answers and who started it.
#   ensureDockerd.sh logs [N] prints the last N (80) lines of the log.
#
# Extra dockerd flags: DNE_DOCKERD_ARGS="--debug". The daemon outlives this script on purpose.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state_dir=${DNE_DOCKERD_DIR:-$repo/test-results/dockerd}
log_file=$state_dir/dockerd.log
ours_file=$state_dir/started.pid     # written only when this script started the daemon
socket=/var/run/docker.sock
docker_pidfile=/var/run/docker.pid   # dockerd refuses to start while it names a live process
wait_s=${DNE_DOCKERD_WAIT:-60}

say() { echo "[dockerd] $*"; }
answers() { timeout 10 docker -H "unix://$socket" version >/dev/null 2>&1; }
alive() {  # a zombie (no reaping init in a container) counts as gone
  [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]
}
is_named() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]]; }
tail_log() {
  [[ -f $log_file ]] || { say "no log at $log_file (daemon not started by this script?)"; return 0; }
  say "last ${1:-60} lines of $log_file:"
  tail -n "${1:-60}" "$log_file"
  # The tail is mostly gRPC chatter; the lines that explain a failure are these.
  say "errors in $log_file:"
  grep -E 'level=(error|fatal)|failed to start' "$log_file" | tail -n 20 || true
}

wait_answering() {  # $1: pid to watch (may be empty)
  local deadline=$((SECONDS + wait_s))
  while ((SECONDS < deadline)); do
    answers && return 0
    if [[ -n ${1:-} ]] && ! alive "$1"; then say "dockerd (pid $1) exited while starting"; return 1; fi
    sleep 0.5
  done
  say "no answer on $socket within ${wait_s} s"
  return 1
}

start() {
  command -v docker >/dev/null || { say "no docker CLI: apt-get install docker.io"; exit 1; }
  if answers; then say "already answering on $socket; not starting another"; return 0; fi
  [[ $(id -u) == 0 ]] || { say "not answering on $socket, and starting dockerd needs root"; exit 1; }
  command -v dockerd >/dev/null || { say "no dockerd: apt-get install docker.io"; exit 1; }
  if [[ -f $docker_pidfile ]]; then
    local old; old=$(cat "$docker_pidfile" 2>/dev/null || true)
    if [[ $old =~ ^[0-9]+$ ]] && alive "$old" && is_named "$old" dockerd; then
      say "dockerd pid $old is running but not answering yet; waiting for it instead of starting another"
      wait_answering "$old" && return 0
      say "it never answered; see its own log (not started by this script)"; exit 1
    fi
    say "removing stale $docker_pidfile (pid '${old}' is not a running dockerd)"
    rm -f "$docker_pidfile"
  fi
  mkdir -p "$state_dir"
  echo "===== $(date -u +%FT%TZ) ensureDockerd.sh start" >>"$log_file"
  # No job control here, so the background child is not a group leader: setsid does not fork
  # and $! is dockerd's own PID. Its own session keeps it out of the CI step's signals.
  # shellcheck disable=SC2086
  setsid dockerd --host "unix://$socket" ${DNE_DOCKERD_ARGS:-} </dev/null >>"$log_file" 2>&1 &
  local pid=$!
  echo "$pid" >"$ours_file"
  say "started dockerd pid $pid (log: $log_file); waiting up to ${wait_s} s"
  local began=$SECONDS
  if wait_answering "$pid"; then say "answering after $((SECONDS - began)) s"; return 0; fi
  tail_log 80
  stop
  exit 1
}

stop() {
  if [[ ! -f $ours_file ]]; then say "no dockerd started by this script; leaving the daemon alone"; return 0; fi
  local pid; pid=$(cat "$ours_file")
  rm -f "$ours_file"
  if ! alive "$pid" || ! is_named "$pid" dockerd; then say "dockerd pid $pid already gone"; return 0; fi
  say "stopping dockerd pid $pid"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.5; done
  if alive "$pid"; then
    say "still running after 30 s: SIGKILL"
    kill -KILL "$pid" || true
    # A killed dockerd leaves its managed containerd behind.
    local cpid; cpid=$(cat /var/run/docker/containerd/containerd.pid 2>/dev/null || true)
    if [[ $cpid =~ ^[0-9]+$ ]] && alive "$cpid" && is_named "$cpid" containerd; then kill -KILL "$cpid" || true; fi
  fi
  say "stopped"
}

status() {
  if answers; then say "answering on $socket"; else say "not answering on $socket"; fi
  if [[ -f $ours_file ]]; then say "started by this script: pid $(cat "$ours_file")"; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) tail_log "${2:-80}" ;;
  *) echo "usage: $0 start|stop|status|logs [lines]" >&2; exit 2 ;;
esac
