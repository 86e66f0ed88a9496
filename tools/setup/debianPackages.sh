#!/usr/bin/env bash
# The Debian 12 packages the project needs, in ONE place: `npm start` and `npm test` (through
# tools/setup/systemPackages.mjs) and .ci/run all use this script.
#
#   debianPackages.sh list GROUP       the packages of GROUP, one a line
#   debianPackages.sh missing GROUP    those not installed (nothing printed: all there)
#   debianPackages.sh install GROUP    as root: apt-get update + install of the missing ones, with
#                                      package scripts forbidden to start services (policy-rc.d)
#
# Groups: start (npm start: code-server's native builds, the three-host lab) and test
# (npm test: start's, plus Chromium for the UI tests, ZooKeeper and sshd that tests start
# themselves, unzip to read the packaged .vsix, openssl for the TLS test's certificates).
# apt's output goes to $DNE_APT_LOG (default test-results/apt.log).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# code-server 4.96.4 builds native modules (make, g++, python3), needs Kerberos headers and takes
# `rg` from PATH (tools/codeServer/install.mjs); the lab runs dockerd, etcd and `ip`, and imports
# a busybox image made from busybox-static.
START=(build-essential python3 ripgrep libkrb5-dev docker.io busybox-static iproute2 iptables etcd-server ca-certificates)
TEST=("${START[@]}" chromium zookeeper openssh-server unzip openssl)

say() { echo "[packages] $*"; }

packages() {
  case ${1:-} in
    start) printf '%s\n' "${START[@]}" ;;
    test) printf '%s\n' "${TEST[@]}" ;;
    *) say "unknown group '${1:-}': start or test" >&2; exit 2 ;;
  esac
}

missing() {
  command -v dpkg-query >/dev/null || { say "no dpkg-query: not a Debian system; install the equivalents of: $(packages "$1" | tr '\n' ' ')" >&2; exit 3; }
  local package
  for package in $(packages "$1"); do
    [[ $(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) == 'install ok installed' ]] || echo "$package"
  done
}

install() {
  local wanted
  mapfile -t wanted < <(missing "$1")
  ((${#wanted[@]} == 0)) && { say "all ${1} packages are installed"; return 0; }
  [[ $(id -u) == 0 ]] || { say "missing: ${wanted[*]}; installing needs root: sudo $0 install $1"; exit 1; }
  local log=${DNE_APT_LOG:-$repo/test-results/apt.log}
  mkdir -p "$(dirname "$log")"
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts may not start services (docker.io's would start a dockerd nobody asked for;
  # etcd, ZooKeeper and sshd are started by the tests themselves). Only when no policy is in
  # place already, and removed afterwards whatever happens.
  local policy=/usr/sbin/policy-rc.d own_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=true
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  say "installing ${wanted[*]} (apt-get; log: $log)"
  local started=$SECONDS
  if ! { apt-get update -q && apt-get install -y -q -o Dpkg::Progress-Fancy=0 "${wanted[@]}"; } >>"$log" 2>&1; then
    say "apt-get failed; last lines of $log:"
    tail -n 60 "$log"
    exit 1
  fi
  if $own_policy; then rm -f "$policy"; trap - EXIT; fi
  say "installed ${#wanted[@]} packages in $((SECONDS - started)) s"
}

case ${1:-} in
  list) packages "${2:-}" ;;
  missing) missing "${2:-}" ;;
  install) install "${2:-}" ;;
  *) echo "usage: $0 list|missing|install start|test" >&2; exit 2 ;;
esac
