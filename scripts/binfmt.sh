#!/usr/bin/env bash
# `make binfmt`: let an amd64 engine build and run linux/arm64 images, emulated by QEMU.
# A privileged container registers the emulator with the kernel the engine runs on, as
# docker/setup-qemu-action does: tonistiigi/binfmt, or its local stand-in where no registry
# is reachable (tools/offline/base-images.sh). Any user who can run Docker can do it; nothing
# is installed on the host. The kernel keeps the registration until it reboots or `remove`.
#   scripts/binfmt.sh          register qemu-aarch64 unless the engine runs arm64 already
#   scripts/binfmt.sh check    exit 0 if the engine runs arm64 programs, 1 if it cannot
#   scripts/binfmt.sh remove   remove the qemu-aarch64 registration
# Docker Desktop (macOS, Windows) emulates arm64 already; Apple Silicon and ARM servers run it
# natively: there it registers and removes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'binfmt: %s\n' "$*" >&2; }

# binfmt [ARGS...]: the binfmt image, privileged, with these arguments (none: which
# emulators are registered, as JSON). The image is resolved once per call of this script.
image=""
binfmt() {
  if [[ -z $image ]]; then
    image=$(tools/offline/base-images.sh binfmt | sed -n 's/^BINFMT_IMAGE=//p')
  fi
  docker run --rm --privileged "$image" "$@"
}

native_arm64() {
  docker info >/dev/null 2>&1 || tools/offline/ensure-docker-engine.sh
  [[ $(docker version --format '{{.Server.Arch}}') == arm64 ]]
}

runs_arm64() {
  native_arm64 && return 0
  # Asked of the kernel, through the binfmt image: BuildKit's list of platforms is made when
  # the engine starts and misses a registration removed or added since.
  [[ $(binfmt) == *'"qemu-aarch64"'* ]]
}

case ${1:-} in
  check) runs_arm64 ;;
  remove)
    if native_arm64; then
      log "this engine is arm64: nothing is registered for it"
      exit 0
    fi
    binfmt --uninstall qemu-aarch64
    ;;
  "")
    if runs_arm64; then
      log "this engine runs linux/arm64 programs already: nothing to register"
      exit 0
    fi
    binfmt --install arm64
    runs_arm64 || { log "qemu-aarch64 was registered, but the engine still cannot run linux/arm64 programs"; exit 1; }
    log "this engine now runs linux/arm64 programs, emulated (until reboot or \`scripts/binfmt.sh remove\`)"
    ;;
  *) log "usage: scripts/binfmt.sh [check|remove]"; exit 2 ;;
esac
