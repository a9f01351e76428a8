#!/usr/bin/env bash
# `make test`: in the test image (scripts/runner.sh), lint, then every suite: tests/app on
# SQLite, tests/image against real images, tests/e2e in Chromium, tests/stack on the
# prod-like stack, tests/offline on throw-away containers, tests/arm64 on the arm64 image
# (emulated on amd64: `make binfmt`); then tests/app again on PostgreSQL
# (a container of the image the stacks use).
# With arguments, only `pytest ARGS`: scripts/test.sh tests/image -k size
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then
  # tests/arm64 builds on arm64 bases, whose stand-ins need root to build: resolved here, on
  # the host, unless the engine cannot run arm64 (exit 3, said in one line; the suite then
  # fails saying so too).
  arm64=0
  BFPORTAL_PLATFORM=linux/arm64 tools/offline/base-images.sh >/dev/null || arm64=$?
  if ((arm64 != 0 && arm64 != 3)); then exit "$arm64"; fi
  exec scripts/runner.sh scripts/test.sh "$@"
fi

if (($#)); then exec pytest "$@"; fi

scripts/lint.sh
pytest

echo "== tests/app again, on PostgreSQL =="
postgres=bfportal-test-postgres-$BFPORTAL_RUN
password=$(python -c 'import secrets; print(secrets.token_hex(16))')
trap 'docker rm --force --volumes "$postgres" >/dev/null' EXIT
docker run --detach --name "$postgres" --network "$BFPORTAL_NETWORK" \
  --label "bfportal.run=$BFPORTAL_RUN" --env POSTGRES_USER=bfportal \
  --env POSTGRES_PASSWORD="$password" --env POSTGRES_DB=bfportal "$POSTGRES_IMAGE" >/dev/null
# Over TCP: on its first start the image initialises with a server on the Unix socket only.
for _ in $(seq 60); do
  if docker exec "$postgres" pg_isready --quiet --host 127.0.0.1 --username bfportal; then break; fi
  sleep 1
done
DATABASE_URL="postgres://bfportal:$password@$postgres:5432/bfportal" pytest tests/app
