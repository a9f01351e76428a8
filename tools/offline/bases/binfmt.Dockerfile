# Local stand-in for tonistiigi/binfmt (the image docker/setup-qemu-action runs), for engines
# that reach no container registry: Debian trixie's static qemu-aarch64 and a script that
# answers the same `--install arm64` and `--uninstall qemu-aarch64` (binfmt-entrypoint.sh).
# Run privileged: it registers the emulator with the kernel the engine runs on.
# Build context: this folder. Build context "certs": extra CA *.crt (unused: apt is plain HTTP).
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim

# qemu-user holds the emulators of every architecture (about 100 MB): only arm64's goes on.
FROM ${BASE_IMAGE} AS qemu
# Versions follow the trixie mirror, like the other stand-ins (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-user \
 && /usr/bin/qemu-aarch64 --version

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.description="Local stand-in for tonistiigi/binfmt (arm64 only): Debian trixie's qemu-aarch64 on bfportal-base/debian:trixie-slim (for engines that reach no registry)"
COPY --from=qemu /usr/bin/qemu-aarch64 /usr/bin/qemu-aarch64
COPY binfmt-entrypoint.sh /usr/local/bin/binfmt
ENTRYPOINT ["/usr/local/bin/binfmt"]
