#!/usr/bin/env bash
# Build and check the local stand-in for registry:2 on top of the stand-in Debian
# (see registry.Dockerfile).
# Usage: registry.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/registry:2}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'registry: %s\n' "$*"; }

# Everything comes from Debian's packages: the build context is empty.
"$here/build-standin.sh" registry "$tag" "$base" ""

log "checking $tag"
# The official image's contract: `serve` of its config answers the API's version check.
check=bfportal-base-registry-check-$$
trap 'docker rm --force --volumes "$check" >/dev/null 2>&1 || true' EXIT
docker run --detach --name "$check" "$tag" >/dev/null
answered=0
for _ in $(seq 30); do
  if docker exec "$check" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000' 2>/dev/null; then answered=1; break; fi
  sleep 1
done
((answered)) || { docker logs --tail 30 "$check"; log "$tag did not listen on :5000"; exit 1; }
docker logs "$check" 2>&1 | grep -q 'listening on \[::\]:5000'
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
