#!/usr/bin/env bash
# The production stack's secrets as the files docker-compose.prod.yml hands its containers
# (compose `secrets:`, read through the *_FILE variables), so that no secret is in a
# container's environment, where `docker inspect` shows it. Each file holds a value from the
# environment, else from ENV_FILE (.env.prod stays the one place you set them); an unset
# optional one (AWS_SECRET_ACCESS_KEY, EMAIL_HOST_PASSWORD) is an empty file.
# The folder is yours alone (0700); the files in it are readable (0644), because the
# containers' users are not you. Written aside and moved into place: never half a file.
# Usage: scripts/prod-secrets.sh ENV_FILE [DIR]   (DIR: PROD_SECRETS_DIR, or .env.prod.secrets)
set -euo pipefail
env_file=$1
dir=${2:-${PROD_SECRETS_DIR:-.env.prod.secrets}}

# NAME's last value in the env file, without the quotes compose would strip.
from_file() {
  local value
  value=$(sed -n "s/^$1=//p" "$env_file" | tail -n 1)
  value=${value%\"} value=${value#\"} value=${value%\'} value=${value#\'}
  printf '%s' "$value"
}

names=(SECRET_KEY POSTGRES_PASSWORD POSTGRES_APP_PASSWORD BACKUP_PASSWORD CACHE_PASSWORD AWS_SECRET_ACCESS_KEY
  EMAIL_HOST_PASSWORD)
declare -A values
for name in "${names[@]}"; do
  values[$name]=${!name:-$(from_file "$name")}
  if [[ -z ${values[$name]} && ! $name =~ ^(AWS|EMAIL)_ ]]; then
    echo "prod-secrets: set $name in $env_file or the environment (see .env.example); nothing written" >&2
    exit 1
  fi
done
mkdir -p "$dir"
chmod 700 "$dir"
for name in "${names[@]}"; do
  file=$dir/$(tr '[:upper:]' '[:lower:]' <<<"$name")
  printf '%s' "${values[$name]}" >"$file.partial"
  chmod 644 "$file.partial"
  mv "$file.partial" "$file"
done
