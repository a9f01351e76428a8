#!/usr/bin/env bash
# Make sure a Docker engine with the buildx and compose v2 plugins answers.
# Idempotent: re-running only does what is still missing.
#
# Why trixie packages: bookworm's docker.io (20.10) has neither buildx nor
# compose v2, and there is no Docker apt repo or container registry here.
# Trixie's docker.io/docker-buildx/docker-compose install on bookworm from a
# trixie source pinned low; only they come from trixie (see below).
set -euo pipefail

log() { printf 'ensure-docker-engine: %s\n' "$*" >&2; }

engine_up() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if engine_up; then
  log "engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if [[ -S /var/run/docker.sock && $(id -u) -ne 0 ]]; then
  log "an engine socket exists but $(id -un) cannot use it: join the docker group or run as root"
  exit 1
fi
if [[ ! -f /etc/debian_version || $(id -u) -ne 0 ]]; then
  log "no Docker engine answers; install Docker Engine with the buildx and compose plugins (https://docs.docker.com/engine/install/) and start it"
  exit 1
fi

# Concurrent callers (two builds at once) must not race apt or start two
# daemons: serialize, then re-check what the other caller may have done.
if command -v flock >/dev/null; then
  exec 9>/run/lock/bfportal-docker-engine.lock
  flock 9
  if engine_up; then log "engine came up meanwhile"; exit 0; fi
fi

# Trixie's docker.io ships no client: docker-cli is a separate package.
packages=(docker.io docker-cli docker-buildx docker-compose)
trixie_list=/etc/apt/sources.list.d/bfportal-trixie.sources
trixie_pin=/etc/apt/preferences.d/bfportal-trixie

# Write $2 to file $1 only when it differs; returns 0 when it changed.
write_if_changed() {
  if [[ -f $1 ]] && [[ "$(cat "$1")" == "$2" ]]; then return 1; fi
  printf '%s\n' "$2" >"$1"
  log "wrote $1"
}

# The host's own mirror (first non-security URIs: line), so apt keeps using
# whatever mirror/proxy this machine is set up for.
host_mirror() {
  local uri=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $uri && -f /etc/apt/sources.list ]]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

installed() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || return 1
  done
}

# Is trixie (or later, which has these packages too) already one of the
# host's own suites? Judged from apt's sources, not /etc/os-release, which
# only says which base-files is installed.
host_has_docker_suite() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f $f && $f != "$trixie_list" ]] || continue
    grep -Eq '^(Suites:.*[[:space:]]|deb[[:space:]].*[[:space:]])(trixie|forky|sid|testing|unstable)([[:space:]]|$)' "$f" && return 0
  done
  return 1
}

if ! installed; then
  selected=("${packages[@]}")
  need_update=0
  if ! host_has_docker_suite; then
    mirror=$(host_mirror)
    write_if_changed "$trixie_list" "# Added by bfportal scripts/ensure-docker-engine.sh: Docker with buildx/compose v2.
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" && need_update=1
    # Priority 100 (< 500 of the host release): trixie packages are only
    # taken when asked for (pkg/trixie), never as upgrades.
    write_if_changed "$trixie_pin" "Package: *
Pin: release n=trixie
Pin-Priority: 100" || true
    # pkg/trixie, NOT -t trixie: -t makes every dependency prefer trixie
    # (runc and tini need libc6 >= 2.38, which drags in libc6, dpkg,
    # base-files...: a half-upgraded trixie host). With pkg/trixie apt takes
    # only these plus containerd from trixie; libc6, runc, tini and
    # iptables stay bookworm's (checked on a fresh bookworm debootstrap).
    selected=("${packages[@]/%//trixie}")
    # Lists missing (e.g. after apt-get clean of lists) also need an update.
    [[ $(apt-cache policy docker-buildx 2>/dev/null) == *" trixie/"* ]] || need_update=1
  else
    [[ $(apt-cache policy docker-buildx 2>/dev/null) == *"Candidate: "[0-9]* ]] || need_update=1
  fi
  if ((need_update)); then
    log "apt-get update"
    apt-get update -qq >&2
  fi
  log "installing ${selected[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${selected[@]}" >&2
fi

# No systemd here: start dockerd ourselves unless one is already starting
# (dockerd writes its pid file early; pgrep may not be installed).
dockerd_alive() { [[ -s /var/run/docker.pid ]] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; }
if ! dockerd_alive; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  # setsid: the daemon must outlive this script and its process group.
  # 9>&-: the daemon must not inherit (and hold forever) the lock above.
  setsid nohup dockerd >>/var/log/dockerd.log 2>&1 </dev/null 9>&- &
fi

for _ in $(seq 60); do
  engine_up && break
  sleep 1
done
if ! engine_up; then
  log "dockerd did not answer within 60 s; see /var/log/dockerd.log"
  exit 1
fi

# The client may be another build (e.g. /usr/local/bin/docker); make sure it
# finds Debian's plugins in /usr/libexec/docker/cli-plugins.
docker buildx version >/dev/null || { log "docker buildx does not work"; exit 1; }
docker compose version >/dev/null || { log "docker compose does not work"; exit 1; }
log "engine $(docker version --format '{{.Server.Version}}') up; $(docker buildx version | cut -d' ' -f1,2); $(docker compose version --short | sed 's/^/compose /')"
