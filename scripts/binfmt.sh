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
# The kernel (since 6.7) drops a registration when the last binfmt_misc mount goes away. Most
# hosts mount one at boot (systemd); where none is, container bfportal-binfmt keeps one
# mounted from the registration until `remove`, so it then lasts until that container stops.
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

holder=bfportal-binfmt
hold_a_mount() {
  [[ $(docker container inspect --format '{{.State.Running}}' "$holder" 2>/dev/null) == true ]] && return
  docker rm --force "$holder" >/dev/null 2>&1 || true
  local debian
  debian=$(tools/offline/base-images.sh debian | sed -n 's/^DEBIAN_IMAGE=//p')
  docker run --detach --name "$holder" --privileged "$debian" sh -c \
    'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && exec sleep infinity' >/dev/null
  for _ in $(seq 50); do
    docker exec "$holder" test -e /proc/sys/fs/binfmt_misc/register 2>/dev/null && return
    sleep 0.2
  done
  log "container $holder could not mount binfmt_misc"; exit 1
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
    docker rm --force "$holder" >/dev/null 2>&1 || true
    ;;
  "")
    if runs_arm64; then
      log "this engine runs linux/arm64 programs already: nothing to register"
      exit 0
    fi
    binfmt --install arm64
    lasts="until reboot or \`scripts/binfmt.sh remove\`"
    if ! runs_arm64; then
      log "the kernel dropped the registration with the installer's binfmt_misc mount: container $holder keeps one mounted"
      hold_a_mount
      binfmt --install arm64
      lasts="until \`scripts/binfmt.sh remove\` or container $holder stops"
    fi
    runs_arm64 || { log "qemu-aarch64 was registered, but the engine still cannot run linux/arm64 programs"; exit 1; }
    log "this engine now runs linux/arm64 programs, emulated ($lasts)"
    ;;
  *) log "usage: scripts/binfmt.sh [check|remove]"; exit 2 ;;
esac
