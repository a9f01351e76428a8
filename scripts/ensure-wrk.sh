#!/usr/bin/env bash
# Make sure wrk, the HTTP load generator that scripts/load-test.sh drives, is installed.
# Idempotent: re-running only does what is still missing.
#
# Root on Debian: Debian's wrk package (built with LuaJIT, which the load test's
# script needs for its p95 figure), installed by apt-install.sh.
# Elsewhere: says how to install it.
set -euo pipefail

log() { printf 'ensure-wrk: %s\n' "$*" >&2; }

if command -v wrk >/dev/null; then
  log "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1,2) present"
  exit 0
fi

if [[ ! -f /etc/debian_version || $(id -u) -ne 0 ]]; then
  log "no wrk: install it as root (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)"
  exit 1
fi

"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" wrk
command -v wrk >/dev/null
