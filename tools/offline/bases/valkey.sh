#!/usr/bin/env bash
# Build and check the local stand-in for valkey/valkey:8 on top of the stand-in Debian
# (see valkey.Dockerfile).
# Usage: valkey.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/valkey:8}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'valkey: %s\n' "$*"; }

# Everything comes from Debian's packages: the build context is empty.
"$here/build-standin.sh" valkey "$tag" "$base" ""

log "checking $tag"
# The official image's contract: valkey-server on PATH, run as uid 999, answering valkey-cli.
check=bfportal-base-valkey-check-$$
trap 'docker rm --force --volumes "$check" >/dev/null 2>&1 || true' EXIT
docker run --detach --name "$check" --user 999:999 "$tag" valkey-server --save "" >/dev/null
answered=0
for _ in $(seq 30); do
  if [[ $(docker exec "$check" valkey-cli ping 2>/dev/null) == PONG ]]; then answered=1; break; fi
  sleep 1
done
((answered)) || { docker logs --tail 30 "$check"; log "$tag did not answer PING on :6379"; exit 1; }
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
