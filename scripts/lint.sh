#!/usr/bin/env bash
# `make lint`, in the test image: Python style (ruff), Dockerfiles (hadolint), shell scripts
# (shellcheck), the CI workflow (actionlint), the Kubernetes manifests (each kustomization
# in deploy/k8s rendered by kustomize, then checked offline against the Kubernetes API schemas
# by kubernetes-validate, which rejects unknown fields with --strict), and Prometheus's
# configuration, alert rules and the rules' unit tests (promtool, from the Prometheus image the
# stacks run). The linters are pinned in the dev dependency group, the test image and
# tools/offline/base-images.sh, so every machine runs the same versions.
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

# promtool is in the Prometheus image (PROMETHEUS_IMAGE, resolved by scripts/runner.sh), not in
# this one. The engine resolves bind mounts on the host: the checkout is at the same path here.
# It runs as the caller, who can read the checkout whatever its modes. The rules first: `check
# config` checks the rule files it names too, and would blame the configuration for them.
prometheus_image=${PROMETHEUS_IMAGE:?PROMETHEUS_IMAGE is not set: run lint through scripts/runner.sh}
promtool() {
  local output
  output=$(docker run --rm --network none --user "$(id -u):$(id -g)" \
    --volume "$PWD/deploy/prometheus:/etc/prometheus:ro" --workdir /etc/prometheus \
    --entrypoint promtool "$prometheus_image" "$@" 2>&1) ||
    { printf '%s\n' "$output" >&2; return 1; }
}
promtool check rules --lint-fatal alerts.yml ||
  { echo "lint: deploy/prometheus/alerts.yml has rules Prometheus would reject" >&2; exit 1; }
promtool check config --lint-fatal prometheus.yml ||
  { echo "lint: deploy/prometheus/prometheus.yml is not a valid Prometheus configuration" >&2; exit 1; }
promtool test rules alerts.test.yml ||
  { echo "lint: deploy/prometheus/alerts.test.yml: an alert rule failed its unit test" >&2; exit 1; }
echo "lint: ruff, hadolint, shellcheck, actionlint, the Kubernetes manifests and the Prometheus rules are clean"
