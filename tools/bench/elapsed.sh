# shellcheck shell=bash
# Sourced by the measuring tools: `elapsed START` prints the seconds since START (an
# $EPOCHREALTIME value) with one decimal.
elapsed() { python -c "print(f'{$EPOCHREALTIME - $1:.1f}')"; }
