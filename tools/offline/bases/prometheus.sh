#!/usr/bin/env bash
# Build and check the local stand-in for prom/prometheus:v3 on top of the stand-in Debian
# (see prometheus.Dockerfile).
# Usage: prometheus.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/prometheus:3}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'prometheus: %s\n' "$*"; }

# Everything comes from Debian's packages: the build context is empty.
"$here/build-standin.sh" prometheus "$tag" "$base" ""

log "checking $tag"
# The official image's contract: promtool checks the config at /etc/prometheus/prometheus.yml,
# and the default command serves it on :9090 as nobody, answering /-/ready.
docker run --rm --entrypoint promtool "$tag" check config /etc/prometheus/prometheus.yml
check=bfportal-base-prometheus-check-$$
trap 'docker rm --force --volumes "$check" >/dev/null 2>&1 || true' EXIT
docker run --detach --name "$check" "$tag" >/dev/null
ready=0
for _ in $(seq 30); do
  if docker exec "$check" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9090 &&
    printf "GET /-/ready HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3' 2>/dev/null | grep -q ' 200 '; then
    ready=1
    break
  fi
  sleep 1
done
if ((!ready)); then
  docker logs --tail 30 "$check"
  log "$tag did not answer /-/ready on :9090"
  exit 1
fi
user=$(docker exec "$check" id -u)
[[ $user == 65534 ]] || { log "$tag runs as uid $user, not nobody (65534)"; exit 1; }
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
