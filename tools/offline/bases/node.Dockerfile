# Local stand-in for node:26-trixie-slim, for engines that reach no container registry:
# the official Node 26 linux binary (x64 or arm64) and npm 11, both taken from the npm
# registry as tarballs (npm pack, see node.sh), laid out like the official
# image: /usr/local/bin/node + /usr/local/lib/node_modules/npm.
# Build context: the two .tgz files. Build context "certs": extra CA *.crt.
ARG BASE_IMAGE=bfportal-base/debian:trixie-slim

# Throw-away stage: only bin/node and npm leave it; the .tgz files and the
# node tarball's C headers, docs and changelog never reach a final layer.
FROM ${BASE_IMAGE} AS unpack
ARG NODE_ARCH=x64
ARG NODE_VERSION
ARG NPM_VERSION
COPY node-linux-${NODE_ARCH}-${NODE_VERSION}.tgz npm-${NPM_VERSION}.tgz /tmp/
RUN mkdir -p /out/bin /out/lib/node_modules/npm \
 && tar -xzf /tmp/node-linux-${NODE_ARCH}-${NODE_VERSION}.tgz -C /out/bin --strip-components=2 package/bin/node \
 && tar -xzf /tmp/npm-${NPM_VERSION}.tgz -C /out/lib/node_modules/npm --strip-components=1 --no-same-owner \
 && chmod 0755 /out/bin/node /out/lib/node_modules/npm/bin/npm-cli.js /out/lib/node_modules/npm/bin/npx-cli.js \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /out/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /out/bin/npx

FROM ${BASE_IMAGE}
ARG NODE_ARCH=x64
ARG NODE_VERSION
LABEL org.opencontainers.image.description="Local stand-in for node:26-trixie-slim: Node ${NODE_VERSION} linux-${NODE_ARCH} binary from the npm registry on bfportal-base/debian:trixie-slim (for engines that reach no registry)"

# Node ignores the system store: NODE_EXTRA_CA_CERTS adds the bundle that
# update-ca-certificates builds, proxy CA included.
ENV NODE_VERSION=${NODE_VERSION} \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt

# "certs" is a named build context (--build-context), not a stage.
# hadolint ignore=DL3022
COPY --from=certs . /usr/local/share/ca-certificates/
# Unpinned on purpose: versions follow the trixie mirror (DL3008).
# libatomic1: node links it, and the official image has it too. The "node" user
# (uid 1000) exists in the official image too.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libatomic1 \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node

COPY --from=unpack /out /usr/local

CMD ["node"]
