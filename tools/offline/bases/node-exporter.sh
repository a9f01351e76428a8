#!/usr/bin/env bash
# Build and check the local stand-in for prom/node-exporter on top of the stand-in Debian
# (see node-exporter.Dockerfile).
# Usage: node-exporter.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/node-exporter:1}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'node-exporter: %s\n' "$*"; }

# Everything comes from Debian's packages: the build context is empty.
"$here/build-standin.sh" node-exporter "$tag" "$base" ""

log "checking $tag"
# The official image's contract: the exporter as entrypoint, as nobody, answering /metrics
# on :9100 with the filesystems of --path.rootfs.
check=bfportal-base-node-exporter-check-$$
trap 'docker rm --force --volumes "$check" >/dev/null 2>&1 || true' EXIT
docker run --detach --name "$check" --volume /:/host:ro "$tag" --path.rootfs=/host >/dev/null
answered=0
for _ in $(seq 30); do
  if docker exec "$check" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9100 &&
    printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>/dev/null |
    grep -q '^node_filesystem_avail_bytes{.*mountpoint="/"'; then
    answered=1
    break
  fi
  sleep 1
done
((answered)) || { docker logs --tail 30 "$check"; log "$tag served no node_filesystem_avail_bytes for /"; exit 1; }
user=$(docker exec "$check" id -u)
[[ $user == 65534 ]] || { log "$tag runs as uid $user, not nobody (65534)"; exit 1; }
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
