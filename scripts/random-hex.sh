#!/usr/bin/env bash
# Print BYTES random bytes from the kernel's random source as 2 x BYTES hex characters (no
# tool beyond coreutils on the host), or exit 1 when fewer come: the secrets that
# prod-up.sh and swarm-setup.sh make.   Usage: scripts/random-hex.sh BYTES
set -euo pipefail
hex=$(od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n')
[[ ${#hex} == $(($1 * 2)) ]] || exit 1
printf '%s\n' "$hex"
