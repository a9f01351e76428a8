# Local stand-in for python:3.13-slim-trixie, for engines that reach no container registry:
# Debian trixie's own Python 3.13, laid out like the official image.
# Build context "certs" (--build-context certs=DIR): extra CA certificates
# (*.crt) to trust, e.g. an HTTPS-intercepting proxy's.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.description="Local stand-in for python:3.13-slim-trixie: Debian trixie python3.13 on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# Node ignores the system store and pip/requests use certifi: point every
# client at the system bundle, which includes the proxy CA.
ENV LANG=C.UTF-8 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt

# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/

# Versions come from the trixie snapshot the mirror serves; pinning them
# would break on every point release (hence DL3008 ignored).
# EXTERNALLY-MANAGED is removed because the official image has none: project
# Dockerfiles may `pip install` into the system Python.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates python3.13 python3.13-venv python3-pip \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && rm -f /usr/lib/python3.13/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3.13 /usr/local/bin/python \
 && ln -s /usr/bin/python3.13 /usr/local/bin/python3 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip3

CMD ["python3"]
