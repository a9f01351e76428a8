# Local stand-in for prom/prometheus:v3, for engines that reach no container registry: Debian's
# prometheus and promtool 3.5 (from sid: trixie's are 2.53; the official image base-images.sh
# pins is 3.13, the long-term support release after 3.5), laid out like the official image
# (https://hub.docker.com/r/prom/prometheus): the config at /etc/prometheus/prometheus.yml, the
# database in the /prometheus volume (the working folder too), /bin/prometheus as the entrypoint
# with the official command's flags, /bin/promtool, listening on :9090, running as nobody (65534).
# Debian builds no web UI (its /query is a placeholder page); the HTTP API is the same.
# Build context: empty. Build context "certs": extra CA *.crt.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for prom/prometheus:v3: Debian sid's prometheus 3.5 on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/

# 1. sid is a source at priority 100, so only the two packages named come from it (they need
#    nothing newer from sid than trixie's libc6); it is removed again, leaving a trixie image.
# 2. The config is the official image's: Prometheus scraping itself. Debian's scrapes a node
#    exporter on localhost, which the official image does not.
# 3. /prometheus and the config belong to nobody, and /prometheus is group-writable, as in the
#    official image.
# Versions follow the mirror, like the other stand-ins (DL3008).
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources | grep -v security | head -n 1) \
 && printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: %s\nCheck-Valid-Until: no\n' \
      "$mirror" /usr/share/keyrings/debian-archive-keyring.gpg >/etc/apt/sources.list.d/sid.sources \
 && printf 'Package: *\nPin: release n=sid\nPin-Priority: 100\n' >/etc/apt/preferences.d/sid \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates prometheus/sid promtool/sid \
 && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/sid.sources /etc/apt/preferences.d/sid \
 && update-ca-certificates \
 && printf '%s\n' \
      'global:' \
      '  scrape_interval: 15s' \
      '  evaluation_interval: 15s' \
      'scrape_configs:' \
      '  - job_name: prometheus' \
      '    static_configs:' \
      '      - targets: ["localhost:9090"]' \
      >/etc/prometheus/prometheus.yml \
 && mkdir -p /prometheus \
 && chown -R 65534:65534 /etc/prometheus /prometheus \
 && chmod g+w /prometheus \
 && prometheus --version | grep -q '^prometheus, version 3\.'

WORKDIR /prometheus
# nobody, by number: the official image's busybox has the same uid and gid.
USER 65534:65534
EXPOSE 9090
VOLUME ["/prometheus"]
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
