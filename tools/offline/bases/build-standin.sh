#!/usr/bin/env bash
# Build one stand-in base image from bases/NAME.Dockerfile on top of BASE, with the
# host's extra CA certificates as the named build context `certs` (an empty folder
# where there are none), so the image trusts the same HTTPS proxy as the host.
# Usage: build-standin.sh NAME TAG BASE CONTEXT_DIR [extra `docker buildx build` args...]
# An empty CONTEXT_DIR ("") is an empty build context: the recipe takes everything from Debian.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$1 tag=$2 base=$3 context=$4
shift 4

certs=/usr/local/share/ca-certificates
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
[[ -d $certs ]] || certs=$empty
context=${context:-$empty}

printf '%s: building %s on %s\n' "$name" "$tag" "$base" >&2
# Plain buildx with the default (docker) driver: FROM finds the local base
# image without a registry. The Dockerfiles have no "# syntax=" line on purpose.
docker buildx build --load \
  --build-arg BASE_IMAGE="$base" \
  --build-context certs="$certs" \
  "$@" -f "$here/$name.Dockerfile" -t "$tag" "$context" >&2
