#!/usr/bin/env bash
# The stand-in binfmt image's command: the part of tonistiigi/binfmt's command line that
# scripts/binfmt.sh uses, for arm64.
#   --install arm64            register /usr/bin/qemu-aarch64 for arm64 programs
#   --uninstall qemu-aarch64   remove that registration (whoever made it)
#   (no arguments)             the registered emulators, as JSON: {"emulators": ["qemu-aarch64"]}
# Flag F opens the interpreter now, so programs in every container (and on the host) run
# with it after this container is gone; P, O and C as tonistiigi/binfmt sets them.
set -euo pipefail
binfmt=/proc/sys/fs/binfmt_misc
entry=$binfmt/qemu-aarch64
# arm64's ELF header: 64-bit, little-endian, executable or shared object, machine 183 (0xb7).
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

log() { printf 'binfmt: %s\n' "$*" >&2; }
usage() { log "usage: --install arm64 | --uninstall qemu-aarch64"; exit 2; }

(($# == 0 || $# == 2)) || usage
if [[ ! -e $binfmt/register ]]; then
  mount -t binfmt_misc binfmt_misc "$binfmt" || { log "cannot mount binfmt_misc: run me with --privileged"; exit 1; }
fi
if (($# == 0)); then
  names=()
  for f in "$binfmt"/qemu-*; do [[ -e $f ]] && names+=("\"$(basename "$f")\""); done
  printf '{"emulators": [%s]}\n' "$(IFS=,; echo "${names[*]}")"
  exit 0
fi
case "$1 $2" in
  "--install arm64")
    if [[ -e $entry ]]; then log "qemu-aarch64 is registered already"; exit 0; fi
    printf ':qemu-aarch64:M::%s:%s:/usr/bin/qemu-aarch64:POCF' "$magic" "$mask" >"$binfmt/register"
    log "installed qemu-aarch64 ($(sed -n 's/^flags: //p' "$entry"))"
    ;;
  "--uninstall qemu-aarch64")
    if [[ -e $entry ]]; then echo -1 >"$entry"; log "uninstalled qemu-aarch64"; fi
    ;;
  *) usage ;;
esac
