#!/usr/bin/env bash
# `make test`: in the test image (scripts/runner.sh), side by side: lint, every suite (tests/app
# on SQLite, tests/image against real images, tests/e2e in Chromium, tests/stack on the
# prod-like stack, tests/swarm on a swarm, tests/offline on throw-away containers, tests/arm64
# on the arm64 image, emulated on amd64 and registered for the run where missing...), and
# tests/app again on PostgreSQL (a container of the image the stacks use).
# With arguments, only `pytest ARGS`: scripts/test.sh tests/image -k size; with
# BFPORTAL_TEST_DATABASE=postgres (`make test-app DATABASE=postgres`) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then
  # Does this run include tests/arm64? Yes with no path among the arguments (pytest then
  # collects all of tests/), or with a path that holds tests/arm64 or lies in it.
  arm64_suite() {
    local arg path any_path=0
    for arg; do
      path=${arg%%::*}
      [[ -e $path ]] || continue
      any_path=1
      path=$(realpath "$path")
      if [[ $PWD/tests/arm64/ == "$path"/* || $path/ == "$PWD"/tests/arm64/* ]]; then return 0; fi
    done
    ((!any_path))
  }
  if arm64_suite "$@"; then
    tools/offline/ensure-docker-engine.sh
    # An amd64 engine runs tests/arm64 emulated: registered for this run if it is missing, and
    # removed again at the end, so that the engine is left as it was found.
    if ! scripts/binfmt.sh check; then
      scripts/binfmt.sh
      export BFPORTAL_BINFMT_REGISTERED=1
      trap 'scripts/binfmt.sh remove' EXIT
      trap 'exit 130' INT
      trap 'exit 143' TERM HUP
    fi
    # The arm64 bases, whose stand-ins need root to build: resolved here, on the host.
    BFPORTAL_PLATFORM=linux/arm64 tools/offline/base-images.sh >/dev/null
  fi
  scripts/runner.sh scripts/test.sh "$@"
  exit
fi

# with_postgres COMMAND...: COMMAND with DATABASE_URL on a throw-away PostgreSQL server of the
# image the stacks use, on the runner's network; its status is COMMAND's.
with_postgres() {
  local postgres=bfportal-test-postgres-$BFPORTAL_RUN-$BASHPID password status=0
  password=$(python -c 'import secrets; print(secrets.token_hex(16))')
  docker run --detach --name "$postgres" --network "$BFPORTAL_NETWORK" \
    --label "bfportal.run=$BFPORTAL_RUN" --env POSTGRES_USER=bfportal \
    --env POSTGRES_PASSWORD="$password" --env POSTGRES_DB=bfportal "$POSTGRES_IMAGE" >/dev/null
  # Over TCP: on its first start the image initialises with a server on the Unix socket only.
  for _ in $(seq 60); do
    if docker exec "$postgres" pg_isready --quiet --host 127.0.0.1 --username bfportal; then break; fi
    sleep 1
  done
  DATABASE_URL="postgres://bfportal:$password@$postgres:5432/bfportal" "$@" || status=$?
  docker rm --force --volumes "$postgres" >/dev/null
  return "$status"
}

if (($#)); then
  case ${BFPORTAL_TEST_DATABASE:-sqlite} in
    sqlite) exec pytest "$@" ;;
    postgres) with_postgres pytest "$@"; exit ;;
    *) echo "test: DATABASE=$BFPORTAL_TEST_DATABASE: the databases are sqlite and postgres" >&2; exit 2 ;;
  esac
fi

# Everything, side by side: lint and tests/app on PostgreSQL in the background, and the
# suites (each folder tests/NAME/) on BFPORTAL_TEST_WORKERS pytest-xdist workers, by default
# one per CPU: a suite's tests run in order on one worker (tests/conftest.py groups them and
# hands out the longest first), sharing its stacks. Far more workers than CPUs slows every
# suite down and makes the timed tests fail.
reports=$(mktemp -d)
scripts/lint.sh >"$reports/lint.log" 2>&1 &
lint=$!
with_postgres pytest tests/app -p no:cacheprovider --junitxml="$reports/postgres.xml" \
  >"$reports/postgres.log" 2>&1 &
postgres=$!
status=0
pytest --numprocesses "${BFPORTAL_TEST_WORKERS:-$(nproc)}" --dist loadgroup --no-loadscope-reorder \
  --junitxml="$reports/suites.xml" || status=1
echo "== lint =="
cat "$reports/lint.log"
wait "$lint" || status=1
echo "== tests/app on PostgreSQL =="
wait "$postgres" || status=1
cat "$reports/postgres.log"
python tests/report.py "$reports/suites.xml" "$reports/postgres.xml"
exit "$status"
