# Local stand-in for prom/node-exporter: Debian trixie's prometheus-node-exporter, laid out like
# the official image (https://hub.docker.com/r/prom/node-exporter): /bin/node_exporter as the
# entrypoint, listening on :9100, running as nobody (65534).
# Build context: empty. Build context "certs": extra CA *.crt (unused by the exporter itself).
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for prom/node-exporter: Debian trixie prometheus-node-exporter on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# Versions follow the trixie mirror, like the other stand-ins (DL3008). Only the binary is
# kept where the official image has it; Debian's package starts no service in a container.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus-node-exporter \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/prometheus-node-exporter /bin/node_exporter \
 && node_exporter --version

EXPOSE 9100
USER 65534:65534
ENTRYPOINT ["/bin/node_exporter"]
