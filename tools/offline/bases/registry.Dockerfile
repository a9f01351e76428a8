# Local stand-in for registry:2, for engines that reach no container registry: Debian trixie's
# docker-registry (the same Distribution 2.8 program), laid out like the official image
# (https://hub.docker.com/_/registry): its config at /etc/docker/registry/config.yml, images in
# the /var/lib/registry volume, listening on :5000, REGISTRY_* variables overriding the config
# (REGISTRY_AUTH_HTPASSWD_PATH for a login, REGISTRY_HTTP_ADDR...).
# Build context: empty. Build context "certs": extra CA *.crt (unused by the registry itself).
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for registry:2: Debian trixie docker-registry on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# Versions follow the trixie mirror, like the other stand-ins (DL3008). Debian's package starts
# no service in a container; its config is replaced by the official image's.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-registry \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/registry \
 && printf '%s\n' \
      'version: 0.1' \
      'log: {fields: {service: registry}}' \
      'storage: {cache: {blobdescriptor: inmemory}, filesystem: {rootdirectory: /var/lib/registry}, delete: {enabled: true}}' \
      'http: {addr: ":5000", headers: {X-Content-Type-Options: [nosniff]}}' \
      'health: {storagedriver: {enabled: true, interval: 10s, threshold: 3}}' \
      >/etc/docker/registry/config.yml

VOLUME /var/lib/registry
EXPOSE 5000
ENTRYPOINT ["docker-registry"]
CMD ["serve", "/etc/docker/registry/config.yml"]
