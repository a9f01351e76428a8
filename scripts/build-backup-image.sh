#!/usr/bin/env bash
# Build the backup service's image (deploy/backup/Dockerfile) as TAG and load it into the local
# image store, on the official Debian or, where no registry is reachable, its stand-in.
# Usage: scripts/build-backup-image.sh TAG [extra `docker buildx build` args...]
# BFPORTAL_PLATFORM=linux/arm64 (or linux/amd64) builds for that platform.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag=${1:?usage: build-backup-image.sh TAG [buildx args...]}
shift

bases=$("$here/../tools/offline/base-images.sh" debian)
debian_image=$(sed -n 's/^DEBIAN_IMAGE=//p' <<<"$bases")
platform=()
if [[ -n ${BFPORTAL_PLATFORM:-} ]]; then platform=(--platform "$BFPORTAL_PLATFORM"); fi
exec docker buildx build --load ${platform[@]+"${platform[@]}"} --tag "$tag" \
  --build-arg DEBIAN_IMAGE="$debian_image" "$@" "$here/../deploy/backup"
