#!/usr/bin/env bash
# `make binfmt`: let this amd64 Linux host build and run linux/arm64 images, emulated by QEMU.
# Checks that the kernel runs arm64 programs through qemu-aarch64 with the F flag (the
# interpreter is opened once, at registration, so it works inside every container); if not,
# installs Debian's qemu-user-static when missing and registers it. It changes the host only
# as root on Debian; anywhere else it refuses with one line and changes nothing.
# Docker Desktop (macOS, Windows) emulates arm64 already; Apple Silicon and ARM servers run it natively.
set -euo pipefail

log() { printf 'binfmt: %s\n' "$*" >&2; }

binfmt=/proc/sys/fs/binfmt_misc
entry=$binfmt/qemu-aarch64
conf=/usr/lib/binfmt.d/qemu-aarch64.conf

case $(uname -m) in
  aarch64 | arm64) log "this host is arm64: linux/arm64 runs natively, nothing to register"; exit 0 ;;
esac

registered_with_f() {
  [[ -r $entry ]] && grep -qx enabled "$entry" && grep -q '^flags: .*F' "$entry"
}

if registered_with_f; then
  log "qemu-aarch64 is registered with the F flag ($(sed -n 's/^interpreter //p' "$entry"))"
  exit 0
fi

os_id=$(sed -n 's/^ID=//p' /etc/os-release 2>/dev/null | tr -d "\"'")
if [[ $os_id != debian || $(id -u) -ne 0 ]]; then
  log "qemu-aarch64 is not registered, and this script registers it only as root on Debian (here: ${os_id:-unknown OS}, uid $(id -u)); elsewhere install your distribution's qemu-user-static (binfmt with the F flag), or: docker run --privileged --rm tonistiigi/binfmt --install arm64"
  exit 1
fi

# Containers and minimal systems may not have mounted it.
if ! mountpoint -q "$binfmt"; then
  log "mounting binfmt_misc on $binfmt"
  mount -t binfmt_misc binfmt_misc "$binfmt"
fi

if ! dpkg-query -W -f='${Status}' qemu-user-static 2>/dev/null | grep -q ' installed$'; then
  if [[ $(apt-cache policy qemu-user-static 2>/dev/null) != *"Candidate: "[0-9]* ]]; then
    apt-get update -qq >&2
  fi
  log "installing qemu-user-static"
  # Its recommends (systemd or binfmt-support) only register at boot: this script does it now.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >&2
fi

# Registered without F (by hand, or by an older setup): replaced, since containers need F.
if [[ -e $entry ]]; then
  log "qemu-aarch64 is registered without the F flag: registering it again"
  echo -1 >"$entry"
fi
# The package's own line (magic, mask, interpreter), with the F flag made sure of.
line=$(grep -v '^#' "$conf" | head -n 1)
flags=${line##*:}
[[ $flags == *F* ]] || line+=F
printf '%s' "$line" >"$binfmt/register"

registered_with_f || { log "registering qemu-aarch64 failed: $(tr '\n' ' ' <"$entry" 2>/dev/null)"; exit 1; }
log "qemu-aarch64 registered with flags $(sed -n 's/^flags: //p' "$entry") ($(sed -n 's/^interpreter //p' "$entry"))"
