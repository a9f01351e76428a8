#!/usr/bin/env bash
# `make compare`: build the Dockerfile that `wagtail start` writes (same Wagtail version as
# ours, from the test image's venv) on the same Python base as bfportal's final image, cold,
# and print its size and build time beside bfportal:final's. Nothing in the tree is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh tools/bench/compare.sh "$@"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"; docker image rm bfportal-compare:wagtail-start >/dev/null 2>&1 || true' EXIT

bases=$(tools/offline/base-images.sh)
python_image=$(sed -n 's/^PYTHON_IMAGE=//p' <<<"$bases")
wagtail_version=$(python -c 'import wagtail; print(wagtail.__version__)')
wagtail start mysite "$work" >/dev/null
# The template names its base (python:3.12-slim-bookworm); build it on ours instead, so the
# comparison is of what each Dockerfile adds.
sed -i -E "s|^FROM python:[^ ]+ AS|FROM $python_image AS|" "$work/Dockerfile"

docker builder prune --all --force >/dev/null
start=$EPOCHREALTIME
docker buildx build --load --quiet -t bfportal-compare:wagtail-start "$work" >/dev/null
seconds=$(python -c "print(f'{$EPOCHREALTIME - $start:.1f}')")
theirs=$(docker image inspect --format '{{.Size}}' bfportal-compare:wagtail-start)
ours=$(docker image inspect --format '{{.Size}}' bfportal:final 2>/dev/null || echo 0)

cat <<REPORT

\`wagtail start\` (Wagtail $wagtail_version) Dockerfile on $python_image, cold build
  image size                          $((theirs / 1000000)) MB
  cold build (empty BuildKit cache)   $seconds s
bfportal:final image size             $((ours / 1000000)) MB$( ((ours)) || echo " (run 'make build' first)")
REPORT
