#!/usr/bin/env bash
# Makes sure a Docker daemon answers on /var/run/docker.sock, for CI and for developers.
#
#   ensureDockerd.sh start    no-op when a daemon of the wanted engine already answers; otherwise
#                             (root) starts dockerd in its own session, logging to
#                             $DNE_DOCKERD_DIR/dockerd-<engine>.log, waits up to $DNE_DOCKERD_WAIT
#                             (60) s, and records its PID. A daemon of the other engine that this
#                             script started is stopped first; one it did not start is left alone
#                             (and start fails, saying so).
#   ensureDockerd.sh stop     stops only a daemon that `start` started (SIGTERM, then SIGKILL).
#   ensureDockerd.sh status   says whether the daemon answers, its engine, and who started it.
#   ensureDockerd.sh logs [N] prints the last N (80) lines of the log.
#
# The engine: DNE_ENGINE=20.10 (default: Debian 12's dockerd) or 26 (Debian trixie's, fetched by
# tools/docker/engines.mjs into a private root). One engine at a time on /var/run/docker.sock:
# two daemons in one network namespace rewrite each other's iptables chains. Engine 26 keeps its
# own data-root, exec-root and pid file, so switching never hands one engine the other's state.
# Extra dockerd flags: DNE_DOCKERD_ARGS="--debug". The daemon outlives this script on purpose.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state_dir=${DNE_DOCKERD_DIR:-$repo/test-results/dockerd}
ours_file=$state_dir/started.pid     # written only when this script started the daemon
socket=/var/run/docker.sock
wait_s=${DNE_DOCKERD_WAIT:-60}
engine=$(node "$repo/tools/docker/engines.mjs" normalize "${DNE_ENGINE:-20.10}")
log_file=$state_dir/dockerd-$engine.log
engine_args=()
if [[ $engine == 20.10 ]]; then
  docker_pidfile=/var/run/docker.pid # dockerd refuses to start while it names a live process
else
  docker_pidfile=/var/run/dne-docker-$engine.pid
  engine_args=(--data-root "/var/lib/dne-docker-$engine" --exec-root "/var/run/dne-docker-$engine" --pidfile "$docker_pidfile")
fi

say() { echo "[dockerd] $*"; }
answers() { timeout 10 docker -H "unix://$socket" version >/dev/null 2>&1; }
# The answering daemon's engine as engines.mjs names it ("20.10", "26"), or its raw version.
running_engine() {
  local version; version=$(timeout 10 docker -H "unix://$socket" version --format '{{.Server.Version}}' 2>/dev/null) || return 1
  node "$repo/tools/docker/engines.mjs" normalize "$version" 2>/dev/null || echo "$version"
}
ours_pid() {  # the PID this script recorded, while it is still a running dockerd
  local pid; pid=$(cat "$ours_file" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && is_named "$pid" dockerd && echo "$pid"
}
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
  if answers; then
    local running; running=$(running_engine || echo unknown)
    if [[ $running == "$engine" ]]; then say "engine $engine already answering on $socket; not starting another"; return 0; fi
    if [[ -z $(ours_pid) ]]; then
      say "engine $running answers on $socket and was not started by this script: stop it to run engine $engine here"
      exit 1
    fi
    say "engine $running (started by this script) answers; stopping it for engine $engine"
    stop
  fi
  [[ $(id -u) == 0 ]] || { say "not answering on $socket, and starting dockerd needs root"; exit 1; }
  command -v dockerd >/dev/null || { say "no dockerd: apt-get install docker.io"; exit 1; }
  if [[ $engine != 20.10 ]]; then
    local bin; bin=$(node "$repo/tools/docker/engines.mjs" bin "$engine") || { say "engine $engine cannot be had (above)"; exit 1; }
    export PATH="$bin:$PATH"
  fi
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
  setsid dockerd --host "unix://$socket" "${engine_args[@]}" ${DNE_DOCKERD_ARGS:-} </dev/null >>"$log_file" 2>&1 &
  local pid=$!
  echo "$pid" >"$ours_file"
  say "started dockerd $engine pid $pid (log: $log_file); waiting up to ${wait_s} s"
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
    local file cpid
    for file in /var/run/docker/containerd/containerd.pid /var/run/dne-docker-*/containerd/containerd.pid; do
      cpid=$(cat "$file" 2>/dev/null || true)
      if [[ $cpid =~ ^[0-9]+$ ]] && alive "$cpid" && is_named "$cpid" containerd; then kill -KILL "$cpid" || true; fi
    done
  fi
  say "stopped"
}

status() {
  if answers; then say "engine $(running_engine) answering on $socket"; else say "not answering on $socket"; fi
  if [[ -f $ours_file ]]; then say "started by this script: pid $(cat "$ours_file")"; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) tail_log "${2:-80}" ;;
  *) echo "usage: $0 start|stop|status|logs [lines]" >&2; exit 2 ;;
esac
