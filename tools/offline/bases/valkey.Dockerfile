# Local stand-in for valkey/valkey:8: Debian trixie's valkey-server (Valkey 8.1), laid out like
# the official image (https://hub.docker.com/r/valkey/valkey): valkey-server and valkey-cli on
# PATH, the user valkey with uid and gid 999, /data as its working directory, listening on :6379.
# Build context: empty. Build context "certs": extra CA *.crt (unused by Valkey itself).
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for valkey/valkey:8: Debian trixie valkey-server on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# The user first, with the official image's ids: the package would pick free ones. Versions
# follow the trixie mirror, like the other stand-ins (DL3008). Debian's package starts no service
# in a container.
# hadolint ignore=DL3008
RUN groupadd --system --gid 999 valkey \
 && useradd --system --uid 999 --gid valkey --home-dir /var/lib/valkey --shell /usr/sbin/nologin valkey \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valkey-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir /data && chown valkey:valkey /data

VOLUME /data
WORKDIR /data
EXPOSE 6379
USER 999:999
CMD ["valkey-server", "--protected-mode", "no"]
