# shellcheck shell=bash
# Sourced by the stacks' scripts: the stack's PostgreSQL by its major version, POSTGRES_MAJOR
# (17, the default, or 18; from the environment, else from the env file given as $1): its
# official image (POSTGRES_IMAGE, unless set) and where its data lives. Each major has a volume
# of its own, mounted where its official image keeps its data (18 moved it): STACK_postgres for
# 17, STACK_postgres-18 for 18. So raising the major starts an empty server beside the old
# data, which `make deploy` fills from a backup (docs/backups.md#a-postgresql-major-upgrade).
if [[ -z ${POSTGRES_MAJOR:-} && -f ${1:-} ]]; then
  POSTGRES_MAJOR=$(sed -n 's/^POSTGRES_MAJOR=//p' "$1" | tail -n 1)
fi
POSTGRES_MAJOR=${POSTGRES_MAJOR:-17}
case $POSTGRES_MAJOR in
  17) POSTGRES_VOLUME=postgres POSTGRES_MOUNT=/var/lib/postgresql/data ;;
  18) POSTGRES_VOLUME=postgres-18 POSTGRES_MOUNT=/var/lib/postgresql ;;
  *)
    printf 'POSTGRES_MAJOR=%s: the stacks run PostgreSQL 17 or 18\n' "$POSTGRES_MAJOR" >&2
    exit 2
    ;;
esac
export POSTGRES_MAJOR POSTGRES_VOLUME POSTGRES_MOUNT
