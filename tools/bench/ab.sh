# shellcheck shell=bash
# Sourced by the A/B benchmarks (cache.sh, observability.sh) on the running `make prod-up`
# stack: `web VARIABLE=VALUE...` recreates web with these settings, healthy and warmed up;
# `run LABEL` puts the same load on it (tools/bench/load.sh: LOAD_CONNECTIONS clients for
# LOAD_DURATION, home page and stylesheet, HTTPS through Caddy) and prints a Markdown table row:
# requests per second, p99, errors, and PostgreSQL's transactions (each of the site's queries is
# one) per 1,000 requests. `header` prints the table's head; `restore` puts web back as
# .env.prod says.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit
log() { printf 'bench-%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }

compose=(docker compose -f docker-compose.prod.yml --env-file .env.prod)
postgres=$("${compose[@]}" ps --quiet postgres 2>/dev/null || true)
[[ -n $postgres ]] || { log "no bfportal-prod stack runs: start it with make prod-up"; exit 1; }
database=$(docker exec "$postgres" printenv POSTGRES_DB)
user=$(docker exec "$postgres" printenv POSTGRES_USER)
transactions() {
  docker exec "$postgres" psql --username "$user" --dbname "$database" --tuples-only --no-align \
    --command "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
}

web() {
  env "$@" "${compose[@]}" up --detach --no-deps --wait --wait-timeout 120 web >/dev/null 2>&1 ||
    { log "web did not become healthy with $*"; exit 1; }
  LOAD_DURATION=3s tools/bench/load.sh >/dev/null 2>&1 || true
}

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

header() {
  printf '| run | requests/s | p99 | errors | DB transactions per 1,000 requests |\n'
  printf '|---|---|---|---|---|\n'
}

restore() {
  log "web back to .env.prod's settings"
  "${compose[@]}" up --detach --no-deps --wait web >/dev/null 2>&1
}
