# shellcheck shell=bash
# Sourced by the swarm scripts: the stack's settings and the base images it runs.
# Settings: the environment, then SWARM_ENV_FILE (default .env.swarm, git-ignored): a line
# there applies only when the variable is not set already. .env.example describes each.
# `docker stack deploy` reads no env file itself, so the scripts export them.

STACK_NAME=${STACK_NAME:-bfportal}
# The compose files deployed, space-separated; later ones add to or override earlier ones.
STACK_FILES=${STACK_FILES:-docker-stack.yml}
swarm_env_file=${SWARM_ENV_FILE:-.env.swarm}

if [[ -f $swarm_env_file ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    # Surrounding quotes, as docker compose's env files allow.
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    if [[ -z ${!name+set} ]]; then export "$name=$value"; fi
  done <"$swarm_env_file"
fi

export STACK_NAME SITE_ADDRESS=${SITE_ADDRESS:-localhost}
# shellcheck source=scripts/postgres-env.sh
source scripts/postgres-env.sh
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-$SITE_ADDRESS}

# PostgreSQL, Caddy and Valkey: the official images, or local stand-ins where no registry is
# reachable. (Assigned first: a failure inside `eval "$(...)"` would go unnoticed.) A remote
# server (DOCKER_HOST, `make deploy HOST=...`) pulls them, or the ones given, from a registry.
if [[ -z ${DOCKER_HOST:-} ]]; then
  swarm_bases=$(tools/offline/base-images.sh postgres caddy valkey)
  eval "$swarm_bases"
fi
export POSTGRES_IMAGE=${POSTGRES_IMAGE:-postgres:$POSTGRES_MAJOR-trixie} CADDY_IMAGE=${CADDY_IMAGE:-caddy:2}
export VALKEY_IMAGE=${VALKEY_IMAGE:-valkey/valkey:8}

# `docker stack deploy -c FILE...` for this stack's files.
stack_files=()
for file in $STACK_FILES; do stack_files+=(-c "$file"); done

# digest FILE: the first 12 characters of FILE's SHA-256, from GNU's sha256sum or, where
# there is none (macOS), shasum.
digest() {
  if command -v sha256sum >/dev/null; then sha256sum <"$1"; else shasum -a 256 <"$1"; fi | cut -c1-12
}
