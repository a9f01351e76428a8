#!/usr/bin/env bash
# Print an image's size and its ten largest layers, with the instruction that made each.
set -euo pipefail
image=${1:-bfportal:final}
docker image inspect "$image" >/dev/null 2>&1 || { echo "size: no image $image; run 'make build' first" >&2; exit 1; }

bytes=$(docker image inspect --format '{{.Size}}' "$image")
printf '%s: %d MB (%d bytes)\n\nLargest layers:\n' "$image" $((bytes / 1000000)) "$bytes"
docker history --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "$image" \
  | sort -h -r | head -n 10 | cut -c1-140
