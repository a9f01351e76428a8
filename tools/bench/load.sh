#!/usr/bin/env bash
# `make load`: a bounded HTTP load on a running bfportal: LOAD_CONNECTIONS clients (default 50)
# for LOAD_DURATION (default 30s), alternating between the home page and its hashed stylesheet
# (a static file WhiteNoise serves). Prints the figures on stdout, one KEY=value a line (for
# `eval` or a report), wrk's own summary on stderr; exits 1 when any request failed
# (connect/read/write error, timeout, or a non-2xx/3xx status).
# Usage: load.sh [BASE_URL]   default: the `make prod-up` stack, through Caddy over HTTPS.
# It runs in the test image (wrk is there), and only ever targets containers on this machine.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec "$repo/scripts/runner.sh" "$repo/tools/bench/load.sh" "$@"; fi

log() { printf 'load: %s\n' "$*" >&2; }
if (($# == 0)); then
  caddy=bfportal-prod-caddy-1
  site=$(docker exec "$caddy" printenv SITE_ADDRESS 2>/dev/null) ||
    { log "no bfportal-prod stack runs: start it with make prod-up"; exit 1; }
  if [[ $site != localhost ]]; then log "the stack serves $site: give its URL, load.sh URL"; exit 1; fi
  # In Caddy's own network namespace https://localhost is Caddy, under the name its
  # certificate holds.
  exec docker run --rm --network "container:$caddy" --volume "$repo:$repo" \
    --env BFPORTAL_RUNNER --env LOAD_CONNECTIONS --env LOAD_DURATION --env LOAD_THREADS \
    --env LOAD_TIMEOUT bfportal:test "$repo/tools/bench/load.sh" https://localhost
fi
base=${1%/}
connections=${LOAD_CONNECTIONS:-50}
duration=${LOAD_DURATION:-30s}
# One wrk thread per core; each thread drives its share of the connections.
threads=${LOAD_THREADS:-$(nproc)}
# A response slower than this counts as an error (wrk's default is 2 s).
timeout=${LOAD_TIMEOUT:-5s}

# The stylesheet's hashed name changes with every CSS build: read it from the page.
# Read as wrk does: without checking the certificate (Caddy's own CA signs local sites).
static=$(python - "$base/" <<'PY'
import re, ssl, sys, urllib.request
html = urllib.request.urlopen(sys.argv[1], timeout=10, context=ssl._create_unverified_context()).read().decode()
match = re.search(r'href="(/static/[^"]+\.css)"', html)
if not match:
    sys.exit(1)
print(match.group(1))
PY
) || { log "no stylesheet link in $base/"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# wrk's Lua hooks: init() gets the paths after `--`, request() alternates between
# them, done() prints what wrk's own summary lacks (p95) in KEY=value form.
cat >"$work/load.lua" <<'LUA'
local paths, n = {}, 0
function init(args) paths = args end
function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  local function line(key, fmt, value) io.write(string.format("%s=" .. fmt .. "\n", key, value)) end
  line("requests", "%d", summary.requests)
  line("requests_per_second", "%.1f", summary.requests / (summary.duration / 1e6))
  line("latency_p50_ms", "%.1f", latency:percentile(50) / 1000)
  line("latency_p95_ms", "%.1f", latency:percentile(95) / 1000)
  line("latency_p99_ms", "%.1f", latency:percentile(99) / 1000)
  line("latency_max_ms", "%.1f", latency.max / 1000)
  line("errors", "%d", e.connect + e.read + e.write + e.status + e.timeout)
  io.write(string.format("errors_by_kind=connect:%d,read:%d,write:%d,status:%d,timeout:%d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
LUA

log "$connections clients for $duration on $base/ and $base$static"
wrk --threads "$threads" --connections "$connections" --duration "$duration" \
  --timeout "$timeout" --latency --script "$work/load.lua" "$base/" -- / "$static" >"$work/out"
grep -v '^[a-z_0-9]*=' "$work/out" >&2 || true
grep '^[a-z_0-9]*=' "$work/out"

figures=$(grep '^[a-z_0-9]*=' "$work/out")
value() { sed -n "s/^$1=//p" <<<"$figures"; }
log "$(value requests_per_second) requests/s, p95 $(value latency_p95_ms) ms, $(value errors) errors"
[[ $(value errors) == 0 ]]
