#!/usr/bin/env bash
# `make bench-observability`: what the metrics and JSON logs cost, A/B in one run on the
# running `make prod-up` stack: the same load (tools/bench/ab.sh) on web restarted without them
# (METRICS_PORT=0, LOG_FORMAT=plain), then with them (METRICS_PORT=9100, LOG_FORMAT=json, the
# stacks' defaults), twice over, with the page cache off (every request runs Python: the most
# they can cost) and on. Prints a Markdown table; web is left as .env.prod says.
set -euo pipefail
# shellcheck source=tools/bench/ab.sh
source "$(dirname "$0")/ab.sh"

header
for round in 1 2; do
  for cache in false true; do
    web PAGE_CACHE=$cache METRICS_PORT=0 LOG_FORMAT=plain
    run "page cache $cache, metrics and JSON logs off ($round)"
    web PAGE_CACHE=$cache METRICS_PORT=9100 LOG_FORMAT=json
    run "page cache $cache, metrics and JSON logs on ($round)"
  done
done
restore
