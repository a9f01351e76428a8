#!/usr/bin/env bash
# Install Debian packages that the test suites need, from the host's own release.
# Usage: apt-install.sh PACKAGE...   (root on Debian: the ensure-* scripts check that first)
# - One caller at a time (two test runs at once must not race apt); a package that
#   another caller installed meanwhile is not installed again.
# - The package lists are updated only when a package has no candidate (a fresh machine,
#   or lists cleaned away); otherwise the index is left alone.
# - A plain `apt-get install` (no -t): the trixie source that ensure-docker-engine.sh adds
#   is pinned at priority 100, so nothing comes from trixie.
set -euo pipefail

log() { printf 'apt-install: %s\n' "$*" >&2; }
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

exec 9>/run/lock/bfportal-apt.lock
flock 9

missing=()
for package in "$@"; do installed "$package" || missing+=("$package"); done
((${#missing[@]})) || exit 0

for package in "${missing[@]}"; do
  # Captured first: with pipefail, `apt-cache ... | grep -q` fails when grep exits early.
  policy=$(apt-cache policy "$package" 2>/dev/null || true)
  if [[ $policy != *"Candidate: "[0-9]* ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    break
  fi
done
log "installing ${missing[*]}"
# The lock timeout: an apt outside this project may be running.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=300 "${missing[@]}" >&2
