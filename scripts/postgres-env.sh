# shellcheck shell=bash
# Sourced by the stacks' scripts: the stack's PostgreSQL by its major version, POSTGRES_MAJOR
# (17, the default, or 18; from the environment, else from the env file given as $1): its
# official image (POSTGRES_IMAGE, unless set) and where its data lives. Each major has a volume
# of its own, mounted where its official image keeps its data (18 moved it): STACK_postgres for
# 17, STACK_postgres-18 for 18. So raising the major starts an empty server beside the old
# data, which `make deploy` fills from a backup (docs/backups.md#a-postgresql-major-upgrade).

# postgres_layout MAJOR: that major's volume (its name after STACK_) and where it is mounted.
postgres_layout() {
  case $1 in
    17) echo "postgres /var/lib/postgresql/data" ;;
    18) echo "postgres-18 /var/lib/postgresql" ;;
    *) return 1 ;;
  esac
}

if [[ -z ${POSTGRES_MAJOR:-} && -f ${1:-} ]]; then
  POSTGRES_MAJOR=$(sed -n 's/^POSTGRES_MAJOR=//p' "$1" | tail -n 1)
fi
POSTGRES_MAJOR=${POSTGRES_MAJOR:-17}
if ! layout=$(postgres_layout "$POSTGRES_MAJOR"); then
  printf 'POSTGRES_MAJOR=%s: the stacks run PostgreSQL 17 or 18\n' "$POSTGRES_MAJOR" >&2
  exit 2
fi
read -r POSTGRES_VOLUME POSTGRES_MOUNT <<<"$layout"
export POSTGRES_MAJOR POSTGRES_VOLUME POSTGRES_MOUNT
