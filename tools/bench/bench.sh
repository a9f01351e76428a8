#!/usr/bin/env bash
# `make bench`: how long the final image takes to build, cold and after small changes,
# and how big it is. Works on a copy of the tree, so your files are never touched.
# "Cold" clears BuildKit's whole cache first (layers and download caches): this machine's
# next build starts from scratch too. Base images (official or stand-ins) are not timed.
# It runs in the test image (scripts/runner.sh), like the suites.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh tools/bench/bench.sh "$@"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"; docker image rm bfportal:bench >/dev/null 2>&1 || true' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work"

# shellcheck source=tools/bench/elapsed.sh
. tools/bench/elapsed.sh
build() {
  local start=$EPOCHREALTIME
  scripts/build-image.sh final bfportal:bench "$work" --quiet >/dev/null
  elapsed "$start"
}

docker builder prune --all --force >/dev/null
cold=$(build)
echo "# A Python-only change: $RANDOM$RANDOM" >>"$work/bfportal/search/views.py"
python_change=$(build)
sed -i 's/<main id="main"/<main id="main" data-bench="1"/' "$work/bfportal/bfportal/templates/base.html"
template_change=$(build)
bytes=$(docker image inspect --format '{{.Size}}' bfportal:bench)

cat <<REPORT

bfportal build benchmark ($(nproc) cores, $(date -u +%Y-%m-%d))
  cold build of final (empty BuildKit cache)   ${cold} s
  rebuild after a Python-only change           ${python_change} s
  rebuild after a template-only change         ${template_change} s
  final image size                             $((bytes / 1000000)) MB
REPORT
