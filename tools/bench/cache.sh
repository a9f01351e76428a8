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
# shellcheck source=tools/bench/ab.sh
source "$(dirname "$0")/ab.sh"

header
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
restore
