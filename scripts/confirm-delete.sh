#!/usr/bin/env bash
# scripts/confirm-delete.sh NAME WHAT [--yes-delete-data]: succeeds only once deleting WHAT, the
# data of NAME, is confirmed: by --yes-delete-data (scripts, CI), or by typing NAME at a
# terminal. Anything else (no terminal, another answer) refuses in one line with status 1.
set -euo pipefail
name=$1 what=$2
[[ ${3:-} == --yes-delete-data ]] && exit 0
if [[ ! -t 0 ]]; then
  echo "refused: this deletes $what; type its name at a terminal, or add --yes-delete-data" >&2
  exit 1
fi
printf 'This deletes %s. Nothing brings it back but a backup.\nType %s to confirm: ' "$what" "$name" >&2
read -r answer || answer=
if [[ $answer != "$name" ]]; then
  echo "refused: '$answer' is not '$name'; nothing was deleted" >&2
  exit 1
fi
