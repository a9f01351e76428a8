#!/usr/bin/env bash
# Make sure a Chromium for the browser tests (tests/e2e) is installed.
# Idempotent: re-running only does what is still missing.
#
# Root on Debian: Debian's chromium package (/usr/bin/chromium), because
# `playwright install` downloads its browsers from a CDN that closed networks
# cannot reach. Elsewhere: Playwright's own Chromium, which this script does
# not download; it says how to.
# Chromium comes from the host's own release (see apt-install.sh).
set -euo pipefail

log() { printf 'ensure-browser: %s\n' "$*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chromium=/usr/bin/chromium
# fonts-dejavu-core: what fontconfig gives for system-ui and sans-serif, where both the
# site's (Tailwind's default stack) and Wagtail admin's font stacks land on Linux, so
# screenshots have real text rather than tofu. Neither stack reaches a named font
# (Arial etc.) before system-ui, so no metric-compatible fonts are needed.
packages=(chromium fonts-dejavu-core)

installed() {
  local p
  for p in "${packages[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || return 1
  done
}

is_debian() {
  [[ -f /etc/debian_version && -r /etc/os-release ]] && grep -qx 'ID=debian' /etc/os-release
}

if [[ -x $chromium ]] && { ! is_debian || installed; }; then
  log "$("$chromium" --version 2>/dev/null || echo "$chromium") present"
  exit 0
fi

if ! is_debian || [[ $(id -u) -ne 0 ]]; then
  # Playwright's own Chromium is the fallback the tests use (tests/e2e/conftest.py).
  python="$repo/.venv/bin/python"
  if [[ -x $python ]] && "$python" - <<'EOF' 2>/dev/null; then
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)
EOF
    log "Playwright's own Chromium present"
    exit 0
  fi
  log "no Chromium: install Debian's chromium as root, or run .venv/bin/playwright install --with-deps chromium"
  exit 1
fi

"$repo/scripts/apt-install.sh" "${packages[@]}"
"$chromium" --version >&2
