#!/usr/bin/env bash
# `make compare`: in one run, build bfportal's final and the Dockerfile that `wagtail start`
# writes (same Wagtail version as ours, from the test image's venv) on the same Python base,
# each from an empty BuildKit cache, and print both sizes and times. Nothing in the tree is
# touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh tools/bench/compare.sh "$@"; fi
# shellcheck source=tools/bench/elapsed.sh
. tools/bench/elapsed.sh

work=$(mktemp -d)
trap 'rm -rf "$work"; docker image rm bfportal-compare:ours bfportal-compare:wagtail-start >/dev/null 2>&1 || true' EXIT

bases=$(tools/offline/base-images.sh)
python_image=$(sed -n 's/^PYTHON_IMAGE=//p' <<<"$bases")
wagtail_version=$(python -c 'import wagtail; print(wagtail.__version__)')
wagtail start mysite "$work" >/dev/null
# The template names its base (python:3.12-slim-bookworm); build it on ours instead, so the
# comparison is of what each Dockerfile adds.
sed -i -E "s|^FROM python:[^ ]+ AS|FROM $python_image AS|" "$work/Dockerfile"

# cold BUILD-COMMAND...: prints the seconds the command takes from an empty cache.
cold() {
  local start
  docker builder prune --all --force >/dev/null
  start=$EPOCHREALTIME
  "$@" >/dev/null
  elapsed "$start"
}
ours_seconds=$(cold scripts/build-image.sh final bfportal-compare:ours "$PWD" --quiet)
theirs_seconds=$(cold docker buildx build --load --quiet -t bfportal-compare:wagtail-start "$work")
size() { echo $(($(docker image inspect --format '{{.Size}}' "$1") / 1000000)); }

cat <<REPORT

Cold builds (empty BuildKit cache) on $python_image, one after the other
                                        image size   cold build
  bfportal final                        $(size bfportal-compare:ours) MB       ${ours_seconds} s
  \`wagtail start\` (Wagtail $wagtail_version)        $(size bfportal-compare:wagtail-start) MB       ${theirs_seconds} s
REPORT
