#!/usr/bin/env bash
# `make publish IMAGE=registry.example.com/name:tag [PLATFORM=linux/amd64]`: build final here
# and push it to its registry (after your `docker login`), for `make deploy` to pull; CI's
# image job does this for GHCR. The tag becomes the image's version. PLATFORM builds for a
# server of another architecture (an arm64 Mac for an amd64 server: PLATFORM=linux/amd64).
set -euo pipefail
cd "$(dirname "$0")/.."
die() { printf 'publish: %s\n' "$*" >&2; exit 1; }

image=${IMAGE:-}
[[ -n $image ]] || die "IMAGE is not set: make publish IMAGE=registry.example.com/name:tag"
[[ ${image##*/} == *:* && $image != *@* ]] || die "IMAGE=$image: give a tag (name:tag), which becomes the version"
BFPORTAL_PLATFORM=${PLATFORM:-} scripts/build-image.sh final "$image" . --build-arg VERSION="${image##*:}" --quiet >/dev/null
if ! failure=$(docker push --quiet "$image" 2>&1 >/dev/null); then
  die "cannot push $image (${failure//$'\n'/ }): did you docker login to its registry?"
fi
repository=${image%:*}
digest=$(docker image inspect --format '{{range .RepoDigests}}{{.}} {{end}}' "$image" | tr ' ' '\n' | grep -m1 "^$repository@")
printf 'publish: pushed %s\npublish: make deploy IMAGE=%s HOST=ssh://user@server\n' "$image" "$digest" >&2
