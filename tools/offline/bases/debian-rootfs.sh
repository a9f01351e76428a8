#!/usr/bin/env bash
# Build the local stand-in for debian:trixie-slim, for engines that reach no
# container registry: debootstrap a minbase trixie from the host's own mirror,
# slim it the way the official images are made (debuerreotype's "slimify" and
# "minimizing-config"), then `docker import` it.
# Usage: debian-rootfs.sh [TAG] [ARCH]   (root only; everything is logged to stderr)
# ARCH is a Debian architecture (amd64, arm64), by default the host's. A foreign one is
# debootstrapped in two stages, the second run by QEMU (`make binfmt` registers it).
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

tag=${1:-bfportal-base/debian:trixie-slim}
host_arch=$(dpkg --print-architecture)
arch=${2:-$host_arch}
suite=trixie
log() { printf 'debian-rootfs: %s\n' "$*"; }

[[ $(id -u) -eq 0 ]] || { log "must run as root (debootstrap, chroot)"; exit 1; }
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
fi

# The host's own mirror: whatever mirror or proxy apt is set up for works for it.
sources=/etc/apt/sources.list.d/debian.sources
uri() { [[ -f $sources ]] && awk -v want="$1" '/^URIs:/ && (($2 ~ /security/) == want) {print $2; exit}' "$sources"; }
mirror=$(uri 0 || true)
mirror=${mirror:-http://deb.debian.org/debian}
security=$(uri 1 || true)
security=${security:-${mirror%/debian}/debian-security}

workdir=$(mktemp -d /var/tmp/bfportal-rootfs.XXXXXX)
rootfs=$workdir/rootfs
cleanup() {
  # debootstrap mounts proc/sys inside the target and may leave them behind
  # on failure: unmount before deleting, and never cross into another fs.
  local m
  awk -v r="$rootfs" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$workdir"
}
trap cleanup EXIT

# What runs inside the rootfs. Debian 12's QEMU emulates arm64 pointer authentication very
# slowly and trixie's binaries use it all the time: emulated, it is turned off (7-22x faster).
qemu_env=()
if [[ $arch != "$host_arch" ]]; then qemu_env=("QEMU_CPU=max,pauth=off"); fi
in_root() {
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive ${qemu_env[@]+"${qemu_env[@]}"} \
    chroot "$rootfs" "$@"
}

log "debootstrap --variant=minbase --arch=$arch $suite from $mirror"
if [[ $arch == "$host_arch" ]]; then
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$workdir/debootstrap.log" 2>&1 ||
    { tail -n 30 "$workdir/debootstrap.log"; exit 1; }
else
  { debootstrap --variant=minbase --arch="$arch" --foreign "$suite" "$rootfs" "$mirror" &&
    in_root /debootstrap/debootstrap --second-stage; } >"$workdir/debootstrap.log" 2>&1 ||
    { tail -n 30 "$workdir/debootstrap.log"; log "$arch programs must run here: make binfmt"; exit 1; }
fi

# --- slim: keep docs/man/locales out now and in every later apt-get install
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# "Slim" image: files most containers never need are not installed.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
EOF
# ...and remove what debootstrap already unpacked (keeping the includes).
find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
for d in groff info linda lintian/overrides man; do
  [[ -d $rootfs/usr/share/$d ]] && find "$rootfs/usr/share/$d" -mindepth 1 -delete
done

# --- apt/dpkg tuned for image builds, like the official images
echo 'force-unsafe-io' >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<EOF
// Every install is a layer: never keep downloaded .debs or apt's binary caches in it.
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
# Services must not try to start during `docker build`.
printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"

# --- apt sources: the host's mirror, deb822 like the official trixie image
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# --- point-release and security updates, like the official images
# (debootstrap only installs from the release suite itself).
rm -f "$rootfs/etc/resolv.conf" # may be a symlink: never write through it
cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
in_root apt-get update -qq
in_root apt-get upgrade -y -qq
umount "$rootfs/proc"

# --- drop caches, logs and host details debootstrap copied in
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/archives/partial/* \
  "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/ldconfig/aux-cache \
  "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/cache/debconf/*-old "$rootfs"/etc/hostname "$rootfs"/etc/resolv.conf
mkdir -p "$rootfs/var/lib/apt/lists/partial"
find "$rootfs/var/log" -type f -exec truncate -s 0 {} +
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"

log "importing as $tag"
changes=(
  --change 'CMD ["bash"]'
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "LABEL org.opencontainers.image.description=\"Local stand-in for debian:${suite}-slim ($arch): debootstrap minbase of Debian ${suite}, slimmed like the official image (no registry reachable)\""
)
# Every image built on this stand-in, and every RUN step, runs with it (the official bases
# have none of it: on them QEMU, if any, runs as its own defaults say).
if ((${#qemu_env[@]})); then changes+=(--change "ENV ${qemu_env[*]}"); fi
# /dev, /proc, /sys contents come from the container runtime, not the image.
tar --numeric-owner --xattrs -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
  docker import --platform "linux/$arch" "${changes[@]}" - "$tag" >/dev/null

docker run --rm --platform "linux/$arch" "$tag" bash -c 'test -x /usr/bin/apt-get && grep -q "^VERSION_CODENAME='"$suite"'$" /etc/os-release'
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
