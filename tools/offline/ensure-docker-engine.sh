#!/usr/bin/env bash
# Make sure a Docker engine with the buildx and compose v2 plugins answers.
# Idempotent: re-running only does what is still missing.
#
# It installs and starts an engine only as root on Debian bookworm or trixie
# (ID=debian in os-release), and only when that upgrades or removes no
# installed package other than the engine's own. Anywhere else, or when
# Docker CE is installed but stopped, it refuses with one line on stderr and
# changes nothing.
#
# Why trixie packages: bookworm's docker.io (20.10) has neither buildx nor
# compose v2. Trixie's docker.io/docker-buildx/docker-compose install on
# bookworm from a trixie source pinned low; only they come from trixie (see
# below).
set -euo pipefail

log() { printf 'ensure-docker-engine: %s\n' "$*" >&2; }

install_hint="install Docker Engine with the buildx and compose plugins: https://docs.docker.com/engine/install/ , then start it"

engine_up() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if engine_up; then
  log "engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if [[ -S /var/run/docker.sock && $(id -u) -ne 0 ]]; then
  log "an engine socket exists but $(id -un 2>/dev/null || id -u) cannot use it: join the docker group or run as root"
  exit 1
fi

# Docker CE (Docker's own packages) installed but not answering: installing
# Debian's docker.io next to it would conflict; it only needs starting.
if command -v dpkg-query >/dev/null 2>&1; then
  for ce in docker-ce containerd.io; do
    if dpkg-query -W -f='${Status}' "$ce" 2>/dev/null | grep -q ' installed$'; then
      log "$ce is installed but no engine answers: start that Docker (sudo systemctl start docker, or sudo service docker start)"
      exit 1
    fi
  done
fi

# One field of os-release (unquoted), empty when missing.
os_field() {
  local f
  for f in /etc/os-release /usr/lib/os-release; do
    if [[ -f $f ]]; then
      sed -n "s/^$1=//p" "$f" | head -n 1 | tr -d "\"'"
      return
    fi
  done
}
os_id=$(os_field ID)
os_codename=$(os_field VERSION_CODENAME)

# Debian proper only: derivatives (Ubuntu, Mint, Raspberry Pi OS) have other
# suites and mirrors, and older Debian releases lack what trixie's packages need.
if [[ $os_id != debian || ! $os_codename =~ ^(bookworm|trixie)$ || $(id -u) -ne 0 ]]; then
  log "no Docker engine answers and this script installs one only as root on Debian bookworm or trixie (here: ${os_id:-unknown OS} ${os_codename:-?}, uid $(id -u)); $install_hint"
  exit 1
fi

# Concurrent callers (two builds at once) must not race apt or start two
# daemons: serialize, then re-check what the other caller may have done.
if command -v flock >/dev/null; then
  mkdir -p /run/lock
  exec 9>/run/lock/bfportal-docker-engine.lock
  flock 9
  if engine_up; then log "engine came up meanwhile"; exit 0; fi
fi

# Trixie's docker.io ships no client: docker-cli is a separate package.
packages=(docker.io docker-cli docker-buildx docker-compose)
# Packages the engine brings along; only these may be upgraded or removed.
engine_own=(docker.io docker-cli docker-buildx docker-compose containerd runc tini "${packages[@]}")
trixie_list=/etc/apt/sources.list.d/bfportal-trixie.sources
trixie_pin=/etc/apt/preferences.d/bfportal-trixie

# apt files this run created (removed again when the install does not
# happen), and a copy of those it overwrote (restored then).
created=()
previous_dir=""
keep_apt_files=0

undo_apt_files() {
  ((keep_apt_files)) && return 0
  local f
  for f in "${created[@]}"; do
    rm -f "$f" && log "removed $f again"
  done
  if [[ -n $previous_dir ]]; then
    for f in "$trixie_list" "$trixie_pin"; do
      if [[ -f $previous_dir/${f##*/} ]]; then
        cp -p "$previous_dir/${f##*/}" "$f" && log "restored $f"
      fi
    done
  fi
}
cleanup() {
  undo_apt_files
  if [[ -n $previous_dir ]]; then rm -rf "$previous_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Write $2 to file $1 only when it differs; returns 0 when it changed.
write_if_changed() {
  if [[ -f $1 ]]; then
    if [[ "$(cat "$1")" == "$2" ]]; then return 1; fi
    [[ -n $previous_dir ]] || previous_dir=$(mktemp -d)
    cp -p "$1" "$previous_dir/${1##*/}"
  else
    created+=("$1")
  fi
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

# Refuse when apt's simulation of installing "$@" upgrades, downgrades or
# removes an installed package that is not the engine's own ("Inst NAME
# [OLD] (NEW ...)" / "Remv NAME [OLD]"; a new dependency has no [OLD]).
check_simulation() {
  local sim verb name old list changes=()
  if ! sim=$(LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get -s install --no-install-recommends "$@" 2>&1); then
    printf '%s\n' "$sim" >&2
    log "apt cannot install $*; nothing installed"
    return 1
  fi
  while read -r verb name old _; do
    if [[ $verb == Remv ]]; then
      old=remove
    elif [[ $verb == Inst && $old == \[* ]]; then
      old=upgrade
    else
      continue
    fi
    name=${name%%:*}
    [[ " ${engine_own[*]} " == *" $name "* ]] || changes+=("$name ($old)")
  done <<<"$sim"
  if ((${#changes[@]})); then
    list=$(printf '%s, ' "${changes[@]}")
    log "refusing: installing $* would change installed packages that are not Docker's: ${list%, }; $install_hint"
    return 1
  fi
}

if ! installed; then
  selected=("${packages[@]}")
  need_update=0
  if ! host_has_docker_suite; then
    mirror=$(host_mirror)
    # Pin first: once the trixie source exists, apt must already rank it at
    # priority 100 (< 500 of the host release), so trixie packages are only
    # taken when asked for (pkg/trixie), never as upgrades.
    write_if_changed "$trixie_pin" "Package: *
Pin: release n=trixie
Pin-Priority: 100" || true
    if write_if_changed "$trixie_list" "# Added by bfportal tools/offline/ensure-docker-engine.sh: Docker with buildx/compose v2.
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"; then
      need_update=1
    fi
    # pkg/trixie, NOT -t trixie: -t makes every dependency prefer trixie
    # (runc and tini need libc6 >= 2.38, which drags in libc6, dpkg,
    # base-files...: a half-upgraded trixie host). With pkg/trixie apt takes
    # only these plus containerd from trixie; libc6, runc, tini and
    # iptables stay bookworm's.
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
  check_simulation "${selected[@]}"
  log "installing ${selected[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${selected[@]}" >&2
  keep_apt_files=1
fi

# dockerd is started directly, with or without systemd, unless one is already starting
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
