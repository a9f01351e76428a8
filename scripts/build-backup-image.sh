#!/usr/bin/env bash
# Build the backup service's image (deploy/backup/Dockerfile) as TAG and load it into the local
# image store, on the stack's PostgreSQL image (POSTGRES_MAJOR: 17, the default, or 18): the
# official one or, where no registry is reachable, its stand-in.
# Usage: scripts/build-backup-image.sh TAG [extra `docker buildx build` args...]
# BFPORTAL_PLATFORM=linux/arm64 (or linux/amd64) builds for that platform, on the official image.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tag=${1:?usage: build-backup-image.sh TAG [buildx args...]}
shift

platform=()
if [[ -n ${BFPORTAL_PLATFORM:-} && $BFPORTAL_PLATFORM != "linux/$(docker version --format '{{.Server.Arch}}')" ]]; then
  # BuildKit fetches that platform's variant of the official image itself.
  postgres_image=${POSTGRES_IMAGE:-postgres:${POSTGRES_MAJOR:-17}-trixie}
  platform=(--platform "$BFPORTAL_PLATFORM")
else
  bases=$("$here/../tools/offline/base-images.sh" postgres)
  postgres_image=$(sed -n 's/^POSTGRES_IMAGE=//p' <<<"$bases")
fi
exec docker buildx build --load ${platform[@]+"${platform[@]}"} --tag "$tag" \
  --build-arg POSTGRES_IMAGE="$postgres_image" "$@" "$here/../deploy/backup"
