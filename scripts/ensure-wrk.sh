#!/usr/bin/env bash
# Make sure wrk, the HTTP load generator that scripts/load-test.sh drives, is installed.
# Idempotent: re-running only does what is still missing.
#
# Root on Debian: Debian's wrk package (built with LuaJIT, which the load test's
# script needs for its p95 figure), from the host's own release: the trixie source
# that scripts/ensure-docker-engine.sh adds is pinned at priority 100, so a plain
# `apt-get install` (no -t, no pkg/trixie) keeps to the host's suite.
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

# Concurrent callers (two test runs at once) must not race apt: serialize,
# then re-check what the other caller may have done.
if command -v flock >/dev/null; then
  exec 9>/run/lock/bfportal-wrk.lock
  flock 9
  if command -v wrk >/dev/null; then log "installed meanwhile"; exit 0; fi
fi

# Lists missing (a fresh container, or after `apt-get clean` of lists) need an update;
# otherwise the package index is left alone.
# (Read whole, not piped into `grep -q`: with pipefail, grep's early exit fails the pipe.)
policy=$(apt-cache policy wrk 2>/dev/null || true)
if [[ $policy != *"Candidate: "[0-9]* ]]; then
  log "apt-get update"
  apt-get update -qq >&2
fi
log "installing wrk ($(apt-cache policy wrk | awk '/Candidate:/ {print $2}'))"
# The lock timeout: another apt (e.g. ensure-browser.sh) may be running.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=300 wrk >&2
command -v wrk >/dev/null
