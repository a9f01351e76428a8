#!/usr/bin/env bash
# `make lint`, in the test image: Python style (ruff), Dockerfiles (hadolint), shell scripts
# (shellcheck), the CI workflow (actionlint), and the Kubernetes manifests (each kustomization
# in deploy/k8s rendered by kustomize, then checked offline against the Kubernetes API schemas
# by kubernetes-validate, which rejects unknown fields with --strict). The linters are pinned
# in the dev dependency group and the test image, so every machine runs the same versions.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh scripts/lint.sh "$@"; fi

ruff check .
ruff format --check .
hadolint Dockerfile deploy/backup/Dockerfile tools/offline/bases/*.Dockerfile
shellcheck -x scripts/*.sh tools/*/*.sh tools/offline/bases/*.sh .ci/run
actionlint
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
for kustomization in deploy/k8s/base deploy/k8s/overlays/*; do
  kustomize build "$kustomization" >"$rendered"
  kubernetes-validate --strict --quiet "$rendered" ||
    { echo "lint: $kustomization renders resources that Kubernetes would reject" >&2; exit 1; }
done
echo "lint: ruff, hadolint, shellcheck, actionlint and the Kubernetes manifests are clean"
