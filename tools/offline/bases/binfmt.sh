#!/usr/bin/env bash
# Build and check the local stand-in for tonistiigi/binfmt on top of the stand-in Debian
# (see binfmt.Dockerfile).
# Usage: binfmt.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/binfmt:qemu}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'binfmt: %s\n' "$*"; }

"$here/build-standin.sh" binfmt "$tag" "$base" "$here"

log "checking $tag"
docker run --rm --entrypoint qemu-aarch64 "$tag" --version
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
