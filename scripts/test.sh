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

# Everything, side by side: lint, tests/app on PostgreSQL, and each suite (a folder tests/NAME/)
# in a pytest process of its own, BFPORTAL_TEST_WORKERS at a time (by default one more than the
# CPUs: the suites spend much of their time waiting on health checks and swarm's update monitor,
# and one more keeps the cores busy then; one more again saturates the cores and fails the
# timed tests), the longest first: the run lasts about as long as the sum of the times divided
# by the workers when the jobs that end it are short ones. But arm64 takes the slot that swarm
# frees, so that its emulation never shares the cores with tests/swarm's timed replacement of a
# killed replica, and so that rebuilding its image under QEMU (after a change of the lock or
# the Dockerfile) does not lengthen the end of the run. A suite not named in `longest_first`
# starts before them. Each one's output is printed when it ends; a table of the suites' tests and
# times closes the run.
longest_first=(deploy stack swarm backup arm64 starter devcontainer app e2e image postgres offline lint)
reports=$(mktemp -d)
jobs=()
for suite in tests/*/__init__.py; do
  suite=$(basename "$(dirname "$suite")")
  [[ " ${longest_first[*]} " == *" $suite "* ]] || jobs+=("$suite")
done
for job in "${longest_first[@]}"; do
  if [[ -d tests/$job || $job == lint || $job == postgres ]]; then jobs+=("$job"); fi
done

run_job() {
  case $1 in
    lint) scripts/lint.sh ;;
    # The app suite on both databases, on two processes each.
    postgres) with_postgres pytest tests/app --numprocesses 2 -p no:cacheprovider --junitxml="$reports/app (PostgreSQL).xml" ;;
    app) BFPORTAL_SUITE=app pytest tests/app --numprocesses 2 -p no:cacheprovider --durations=5 --junitxml="$reports/app.xml" ;;
    *) BFPORTAL_SUITE=$1 pytest "tests/$1" -p no:cacheprovider --durations=5 --junitxml="$reports/$1.xml" ;;
  esac >"$reports/$1.log" 2>&1
}

declare -A job_of=() started_at=()
status=0
# reap: wait for whichever job ends first, print its output, and note whether it failed.
reap() {
  local pid rc=0 job
  wait -n -p pid "${!job_of[@]}" || rc=$?
  job=${job_of[$pid]}
  echo "== $job: $( ((rc)) && echo FAILED || echo passed) in $((SECONDS - started_at[$pid])) s =="
  cat "$reports/$job.log"
  ((rc == 0)) || status=1
  unset "job_of[$pid]"
}
workers=${BFPORTAL_TEST_WORKERS:-$(($(nproc) + 1))}
echo "make test: ${#jobs[@]} jobs (${jobs[*]}), $workers at a time"
for job in "${jobs[@]}"; do
  while ((${#job_of[@]} >= workers)); do
    reap
  done
  run_job "$job" &
  job_of[$!]=$job
  started_at[$!]=$SECONDS
done
while ((${#job_of[@]})); do reap; done
python tests/report.py "$reports"/*.xml
exit "$status"
