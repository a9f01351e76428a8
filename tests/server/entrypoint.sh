#!/bin/sh
# Host keys of its own, the deploy user's key, sshd in the background, then the engine.
set -eu
[ -n "${AUTHORIZED_KEY:-}" ] || { echo "server: AUTHORIZED_KEY is not set" >&2; exit 1; }
ssh-keygen -A >/dev/null
install -d -m 700 -o deploy -g deploy /home/deploy/.ssh
printf '%s\n' "$AUTHORIZED_KEY" >/home/deploy/.ssh/authorized_keys
chown deploy:deploy /home/deploy/.ssh/authorized_keys
chmod 600 /home/deploy/.ssh/authorized_keys
/usr/sbin/sshd -e
exec dockerd --host unix:///var/run/docker.sock "$@"
