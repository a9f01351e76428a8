# Local stand-in for caddy:2, for engines that reach no container registry: Debian trixie's
# own caddy package, laid out like the official image (https://hub.docker.com/_/caddy):
# /usr/bin/caddy, /etc/caddy/Caddyfile, certificates and state in the /data and /config
# volumes (XDG_DATA_HOME, XDG_CONFIG_HOME), `caddy run` as the command.
# Build context: empty. Build context "certs": extra CA *.crt.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for caddy:2: Debian trixie caddy on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/
# Versions follow the trixie mirror, like the other stand-ins (DL3008). libnss3-tools (a
# dependency) is only for `caddy trust` on desktops; the package needs it all the same.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates caddy \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && mkdir -p /config/caddy /data/caddy /srv \
 && caddy version

ENV XDG_CONFIG_HOME=/config \
    XDG_DATA_HOME=/data
VOLUME /config
VOLUME /data
EXPOSE 80 443 443/udp 2019
WORKDIR /srv
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
