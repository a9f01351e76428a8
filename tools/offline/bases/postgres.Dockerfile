# Local stand-in for postgres:17-trixie (or 18), for engines that reach no container registry:
# Debian's own PostgreSQL (17 from trixie; 18 from sid, which trixie lacks), with the official
# image's contract:
# POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB (and their _FILE forms),
# POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, /docker-entrypoint-initdb.d,
# data in PGDATA (17: the /var/lib/postgresql/data volume; 18 and later:
# /var/lib/postgresql/18/docker in the /var/lib/postgresql volume), initdb on the first start only,
# 0.0.0.0:5432 with scram-sha-256 for the network, postgres as PID 1.
# Build context: postgres-entrypoint.sh. Build context "certs": extra CA *.crt.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

ARG PG_MAJOR=17
# The Debian suite that has postgresql-PG_MAJOR, and the official image's layout for it.
ARG DEBIAN_SUITE=trixie
ARG PGDATA=/var/lib/postgresql/data
ARG PG_VOLUME=/var/lib/postgresql/data
LABEL org.opencontainers.image.description="Local stand-in for postgres:${PG_MAJOR}-trixie: Debian ${DEBIAN_SUITE}'s postgresql-${PG_MAJOR} on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/

# 0. Another suite than trixie: the image's Debian is upgraded to it first (sid's Release file
#    may be past its Valid-Until on a mirror: a stand-in accepts that).
# 1. uid/gid 999 as in the official image, so a data volume moves between the two;
#    created first, so that the package's postinst finds it and creates no other.
# 2. Debian's packaging would create and start a cluster in /var/lib/postgresql/17/main
#    on install; the entrypoint makes one in $PGDATA instead.
# 3. The sample config is what initdb copies: listen on every address, as the
#    official image does (the network side still needs a password, see pg_hba).
# 4. /var/run/postgresql holds the Unix socket; 3777 like the official image, so
#    `docker run --user` with an arbitrary uid still works.
# Versions follow the trixie mirror, like the other stand-ins (DL3008).
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN if [ "$DEBIAN_SUITE" != trixie ]; then \
      mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources | grep -v security | head -n 1) \
      && printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\nCheck-Valid-Until: no\n' \
           "$mirror" "$DEBIAN_SUITE" /usr/share/keyrings/debian-archive-keyring.gpg \
           >/etc/apt/sources.list.d/debian.sources \
      && apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get dist-upgrade -y --no-install-recommends; \
    fi \
 && groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql \
      --shell /bin/bash postgres \
 && mkdir -p /var/lib/postgresql \
 && chown postgres:postgres /var/lib/postgresql \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates postgresql-common \
 && sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "postgresql-${PG_MAJOR}" \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" \
      "/usr/share/postgresql/${PG_MAJOR}/postgresql.conf.sample" \
 && grep -F "listen_addresses = '*'" "/usr/share/postgresql/${PG_MAJOR}/postgresql.conf.sample" \
 && mkdir -p /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown postgres:postgres /var/run/postgresql \
 && chmod 3777 /var/run/postgresql

# initdb takes its locale from LANG: C.UTF-8 gives UTF8 databases without the
# locales package. The server binaries (pg_ctl, initdb, pg_isready...) come
# before Debian's /usr/bin wrappers, which expect clusters under /etc/postgresql.
ENV LANG=C.UTF-8 \
    PG_MAJOR=${PG_MAJOR} \
    PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:$PATH \
    PGDATA=${PGDATA}
# 1777 here; the entrypoint tightens it to 0700 once it owns the (volume) folder.
RUN mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 1777 "$PGDATA"
VOLUME ${PG_VOLUME}

COPY --chmod=0755 postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]

# As in the official image: `docker stop` sends SIGINT, PostgreSQL's "fast"
# shutdown (sessions are ended, everything is flushed, the server stops cleanly).
# SIGTERM is "smart" shutdown, which waits for every client to disconnect: an app
# with persistent connections would hold it until Docker's SIGKILL, and the next
# start would need crash recovery.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
