# A server as `make deploy` expects one, for tests/deploy: Docker Engine and an SSH server, with
# a user `deploy` in the docker group who logs in with a key only. Debian's docker.io and
# openssh-server, so that it builds where no container registry is reachable. Run privileged,
# with a volume for /var/lib/docker and the public key in AUTHORIZED_KEY. docker-cli: Docker's
# ssh:// transport runs `docker system dial-stdio` on the server. apache2-utils: the htpasswd
# that makes the test registry's login.
ARG DEBIAN_IMAGE=debian:trixie-slim
FROM ${DEBIAN_IMAGE}

# The host's extra CA certificates (an HTTPS proxy's), as the stand-in bases trust them.
# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/
# Versions follow the trixie mirror, like the stand-in bases (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        docker.io docker-cli openssh-server iptables ca-certificates tini apache2-utils \
    && rm -rf /var/lib/apt/lists/* /etc/ssh/ssh_host_*_key* \
    && update-ca-certificates \
    && useradd --create-home --groups docker --shell /bin/bash deploy \
    && mkdir -p /run/sshd
COPY server-sshd.conf /etc/ssh/sshd_config.d/deploy.conf
COPY --chmod=0755 server-entrypoint.sh /usr/local/bin/server-entrypoint.sh

VOLUME /var/lib/docker
EXPOSE 22
ENTRYPOINT ["tini", "--", "server-entrypoint.sh"]
