#!/usr/bin/env bash
# Build one Dockerfile target with BuildKit and load it into the local image store.
# Usage: scripts/build-image.sh TARGET TAG [CONTEXT_DIR] [extra `docker buildx build` args...]
# Resolves the base images first (official, or offline stand-ins) and says which it uses.
# BFPORTAL_PLATFORM=linux/arm64 (or linux/amd64) builds for that platform, emulated where it
# is not the engine's own (`make binfmt`); unset, the engine's own.
# BFPORTAL_BUILD_CACHE=type=gha (CI) reads the layers from that cache, one scope per target and
# platform; BFPORTAL_BUILD_CACHE_WRITE=1 writes them there too. Both need a builder that
# imports and exports caches (docker-container), not the engine's own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

target=${1:?usage: build-image.sh TARGET TAG [CONTEXT_DIR] [buildx args...]}
tag=${2:?usage: build-image.sh TARGET TAG [CONTEXT_DIR] [buildx args...]}
context=${3:-$here/..}
shift $(( $# < 3 ? $# : 3 ))

bases=$("$here/../tools/offline/base-images.sh")
python_image=$(sed -n 's/^PYTHON_IMAGE=//p' <<<"$bases")
node_image=$(sed -n 's/^NODE_IMAGE=//p' <<<"$bases")
# The engine's own Python compiles the bytecode, also when the image is for another platform.
build_python_image=$python_image
if [[ -n ${BFPORTAL_PLATFORM:-} ]]; then
  build_python_image=$(env -u BFPORTAL_PLATFORM "$here/../tools/offline/base-images.sh" |
    sed -n 's/^PYTHON_IMAGE=//p')
fi
version=$(git -C "$context" describe --always --dirty 2>/dev/null || echo dev)
if [[ $target == final && $python_image == bfportal-base/* ]]; then
  printf '%s\n' "" \
    "WARNING: final is built on a local stand-in base ($python_image), not the official" \
    "image: fine for testing here; build the image you ship where the official one is pulled." \
    "" >&2
fi

platform=()
if [[ -n ${BFPORTAL_PLATFORM:-} ]]; then platform=(--platform "$BFPORTAL_PLATFORM"); fi

cache=()
if [[ -n ${BFPORTAL_BUILD_CACHE:-} ]]; then
  scope=$target-${BFPORTAL_PLATFORM:-native}
  scope=${scope//\//-}
  cache=(--cache-from "$BFPORTAL_BUILD_CACHE,scope=$scope")
  if [[ ${BFPORTAL_BUILD_CACHE_WRITE:-} == 1 ]]; then
    cache+=(--cache-to "$BFPORTAL_BUILD_CACHE,scope=$scope,mode=max")
  fi
fi

exec docker buildx build --load ${platform[@]+"${platform[@]}"} ${cache[@]+"${cache[@]}"} \
  --target "$target" --tag "$tag" \
  --build-arg PYTHON_IMAGE="$python_image" \
  --build-arg BUILD_PYTHON_IMAGE="$build_python_image" \
  --build-arg NODE_IMAGE="$node_image" \
  --build-arg VERSION="$version" \
  "$@" "$context"
