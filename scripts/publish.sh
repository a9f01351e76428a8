#!/usr/bin/env bash
# `make publish IMAGE=registry.example.com/name:tag [PLATFORM=linux/amd64]`: build final and
# the backup service's image (deploy/backup, as registry.example.com/name-backup:tag) here and
# push them to their registry (after your `docker login`), for `make deploy` to pull; CI's
# image job does this for GHCR. The tag becomes the image's version. PLATFORM builds for a
# server of another architecture (an arm64 Mac for an amd64 server: PLATFORM=linux/amd64).
set -euo pipefail
cd "$(dirname "$0")/.."
die() { printf 'publish: %s\n' "$*" >&2; exit 1; }

image=${IMAGE:-}
[[ -n $image ]] || die "IMAGE is not set: make publish IMAGE=registry.example.com/name:tag"
[[ ${image##*/} == *:* && $image != *@* ]] || die "IMAGE=$image: give a tag (name:tag), which becomes the version"
repository=${image%:*}
# The backup service's image goes with it, as REPOSITORY-backup:TAG.
backup_image=$repository-backup:${image##*:}
BFPORTAL_PLATFORM=${PLATFORM:-} scripts/build-image.sh final "$image" . --build-arg VERSION="${image##*:}" --quiet >/dev/null
BFPORTAL_PLATFORM=${PLATFORM:-} scripts/build-backup-image.sh "$backup_image" --quiet >/dev/null
# push IMAGE: pushed, and its digest printed.
push() {
  local failure
  if ! failure=$(docker push --quiet "$1" 2>&1 >/dev/null); then
    die "cannot push $1 (${failure//$'\n'/ }): did you docker login to its registry?"
  fi
  docker image inspect --format '{{range .RepoDigests}}{{.}} {{end}}' "$1" | tr ' ' '\n' | grep -m1 "^${1%:*}@"
}
digest=$(push "$image")
backup_digest=$(push "$backup_image")
printf 'publish: pushed %s and %s\npublish: make deploy IMAGE=%s BACKUP_IMAGE=%s HOST=ssh://user@server\n' \
  "$image" "$backup_image" "$digest" "$backup_digest" >&2
