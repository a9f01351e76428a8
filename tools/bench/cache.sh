#!/usr/bin/env bash
# `make bench-cache`: the full-page cache's A/B on the running `make prod-up` stack, in one run:
# the same load (tools/bench/load.sh: LOAD_CONNECTIONS clients for LOAD_DURATION, home page and
# stylesheet, HTTPS through Caddy) with web restarted with PAGE_CACHE off, then on, twice over;
# for each run the requests per second, p99, errors, and PostgreSQL's transactions (each of
# the site's queries is one) per 1,000 requests. Then, with the cache off, the same load on
# web restarted with each WEB_CONCURRENCY × GUNICORN_THREADS of BENCH_GUNICORN (default
# "2x4 2x8 3x4 5x4 10x2", all within DATABASE_CONNECTION_BUDGET's 20), twice over. Prints a
# Markdown table; web is left as .env.prod says.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { printf 'bench-cache: %s\n' "$*" >&2; }

compose=(docker compose -f docker-compose.prod.yml --env-file .env.prod)
postgres=$("${compose[@]}" ps --quiet postgres 2>/dev/null || true)
[[ -n $postgres ]] || { log "no bfportal-prod stack runs: start it with make prod-up"; exit 1; }
database=$(docker exec "$postgres" printenv POSTGRES_DB)
user=$(docker exec "$postgres" printenv POSTGRES_USER)
transactions() {
  docker exec "$postgres" psql --username "$user" --dbname "$database" --tuples-only --no-align \
    --command "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
}

# web VARIABLE=VALUE...: web recreated with these settings, healthy, its cache warmed.
web() {
  env "$@" "${compose[@]}" up --detach --no-deps --wait --wait-timeout 120 web >/dev/null 2>&1 ||
    { log "web did not become healthy with $*"; exit 1; }
  LOAD_DURATION=3s tools/bench/load.sh >/dev/null 2>&1 || true
}

# run LABEL: one load; a table row.
run() {
  local before after figures
  before=$(transactions)
  figures=$(tools/bench/load.sh 2>/dev/null) || log "$1: some requests failed"
  after=$(transactions)
  value() { sed -n "s/^$1=//p" <<<"$figures"; }
  printf '| %s | %s | %s ms | %s | %s |\n' "$1" "$(value requests_per_second)" \
    "$(value latency_p99_ms)" "$(value errors)" \
    "$(awk -v t=$((after - before)) -v r="$(value requests)" 'BEGIN { printf "%.0f", 1000 * t / r }')"
}

printf '| run | requests/s | p99 | errors | DB transactions per 1,000 requests |\n'
printf '|---|---|---|---|---|\n'
for round in 1 2; do
  for cache in false true; do
    web PAGE_CACHE=$cache
    run "page cache $([[ $cache == true ]] && echo on || echo off) ($round)"
  done
done
for round in 1 2; do
  for shape in ${BENCH_GUNICORN:-2x4 2x8 3x4 5x4 10x2}; do
    web PAGE_CACHE=false WEB_CONCURRENCY="${shape%x*}" GUNICORN_THREADS="${shape#*x}"
    run "cache off, ${shape%x*} workers × ${shape#*x} threads ($round)"
  done
done
log "web back to .env.prod's settings"
"${compose[@]}" up --detach --no-deps --wait web >/dev/null 2>&1
