#!/usr/bin/env bash
# Build and check the local stand-in for python:3.13-slim-trixie on top of
# the stand-in Debian (see python.Dockerfile).
# Usage: python.sh [TAG] [BASE_IMAGE] [ARCH]   (everything is logged to stderr)
# ARCH: amd64 or arm64, by default the engine's; BASE_IMAGE must be of that architecture.
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/python:3.13-slim-trixie}
base=${2:-bfportal-base/debian:trixie-slim}
arch=${3:-$(docker version --format '{{.Server.Arch}}')}
platform=linux/$arch
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'python: %s\n' "$*"; }

# Everything comes from Debian's packages: the build context is empty.
"$here/build-standin.sh" python "$tag" "$base" "" --platform "$platform"

log "checking $tag"
docker run --rm --platform "$platform" "$tag" python -c 'import ssl, venv, sys; print(sys.version.split()[0])'
docker run --rm --platform "$platform" "$tag" sh -c 'python3 --version && pip --version && pip3 --version >/dev/null'
# A real HTTPS download proves the proxy CA is trusted.
docker run --rm --platform "$platform" "$tag" pip download --disable-pip-version-check --no-deps --no-cache-dir -q -d /tmp/dl six
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
