# bfportal's image, in stages that read top to bottom:
#   poetry      Poetry and the lockfiles                                   (discarded)
#   builder     the locked main dependencies in /venv, trimmed             (discarded)
#   bytecode    builder's /venv compiled to .pyc, natively                 (discarded)
#   builder-dev main and dev dependencies in /venv                         (discarded)
#   node        the Node.js base: only node and npm go onward              (discarded)
#   node-deps   the locked npm packages (Tailwind), installed with Node alone (discarded)
#   dev         runtime + dev venv + node/npm + node_modules: `make dev`
#   test        dev's tools + Chromium, the docker CLI, wrk, shellcheck: `make test` runs in it
#   assets      node-deps + the templates: the minified Tailwind CSS      (discarded)
#   final       a fresh runtime base + /venv + the app + collected static: production
#
# Base images are arguments: the official ones by default; tools/offline/base-images.sh passes
# local stand-ins on machines that cannot reach a container registry.
ARG PYTHON_IMAGE=python:3.13-slim-trixie
ARG NODE_IMAGE=node:26-trixie-slim
# The same Python for the machine that builds (bytecode): the official image is multi-platform;
# scripts/build-image.sh passes the native stand-in when it builds for another platform.
ARG BUILD_PYTHON_IMAGE=${PYTHON_IMAGE}


# ---------------------------------------------------------------------------
# poetry: Poetry and the lockfiles, the common start of both builders.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS poetry

# 1. Poetry lives in its own venv so that it never lands in /venv.
# 2. Poetry installs into the venv that VIRTUAL_ENV names instead of creating one.
ENV POETRY_HOME=/opt/poetry \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    VIRTUAL_ENV=/venv \
    PATH=/venv/bin:/opt/poetry/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Poetry and what it needs, each pinned by its hashes (requirements-poetry.txt).
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=bind,source=requirements-poetry.txt,target=/tmp/requirements-poetry.txt \
    python -m venv "$POETRY_HOME" \
    && "$POETRY_HOME/bin/pip" install --require-hashes --only-binary=:all: \
        --requirement /tmp/requirements-poetry.txt \
    # --without-pip: nothing installs packages at run time, and pip would add 12 MB.
    && python -m venv --without-pip /venv

WORKDIR /build
# Only the lockfiles: a code change never invalidates the dependency layers below.
COPY pyproject.toml poetry.lock ./


# ---------------------------------------------------------------------------
# builder: the locked main dependencies in a self-contained venv at /venv.
# Poetry and its caches stay behind; only /venv is copied into final.
# ---------------------------------------------------------------------------
FROM poetry AS builder
RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked \
    poetry sync --only main --no-root --no-directory

# What production never reads, in a layer of its own so that changing it never
# reinstalls anything:
# - translation sources (.po; the compiled .mo stay) and packages' own test suites;
# - botocore's API models of every AWS service but those the S3 media storage and
#   boto3's credential providers use (about 27 MB). Keep more with this argument.
# - pillow-heif (26 MB), which Willow installs to read HEIC and AVIF: Pillow reads and writes
#   AVIF itself, and Wagtail accepts no HEIC upload unless WAGTAILIMAGES_EXTENSIONS adds it.
#   HEIC=true keeps it, for a site that does.
ARG BOTOCORE_SERVICES="s3 sts sso sso-oidc signin"
ARG HEIC=false
# One find per kind, no program per file: emulated (arm64 on amd64), each process costs.
# $keep is a list of find's arguments, split on purpose.
# hadolint ignore=SC2086
RUN find /venv -name '*.po' -delete \
    && find /venv -type d -name tests -prune -exec rm -rf {} + \
    && keep=$(for service in ${BOTOCORE_SERVICES}; do printf ' ! -name %s' "$service"; done) \
    && find /venv/lib/python*/site-packages/botocore/data -mindepth 1 -maxdepth 1 -type d \
        $keep -exec rm -rf {} + \
    && if [ "$HEIC" != true ]; then \
        rm -rf /venv/lib/python*/site-packages/pillow_heif*; \
    fi


# ---------------------------------------------------------------------------
# bytecode: builder's /venv with every module compiled (24 MB of .pyc). final's root is
# read-only, so without them each container that starts compiles what it imports again:
# that held a new replica 10 s on a busy 2-core machine before it could answer. Bytecode is
# the same on every CPU, so the build machine's own Python compiles it, even for arm64
# (4 s here, against 104 s emulated).
# ---------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM ${BUILD_PYTHON_IMAGE} AS bytecode
COPY --link --from=builder /venv /venv
# Skipped: project templates' placeholder files ({{cookiecutter.app_name}}/apps.py).
RUN python -m compileall -q -j 0 -x '[{][{]' /venv


# ---------------------------------------------------------------------------
# builder-dev: main and dev groups (pytest, browser reload, ruff, moto...), untrimmed, and
# compiled: the dev and test images run as a user who cannot write to /venv, so each process
# would compile every module it imports again (the app suite took 93 s instead of 59).
# ---------------------------------------------------------------------------
FROM poetry AS builder-dev
RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked \
    poetry sync --no-root --no-directory --compile


# ---------------------------------------------------------------------------
# node: the Node.js base. Only node, npm and the one library node needs beyond a slim
# Debian (libatomic) leave it, laid out in /out as they go into the root, so its other
# tools (yarn, corepack, headers) never reach an image we ship.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS node
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN mkdir -p /out/usr/local/bin /out/usr/local/lib/node_modules \
    && cp -a /usr/local/bin/node /out/usr/local/bin/ \
    && cp -a /usr/local/lib/node_modules/npm /out/usr/local/lib/node_modules/ \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /out/usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /out/usr/local/bin/npx \
    # Its real folder: /lib may be a link to usr/lib, and COPY cannot merge into a link.
    && libdir=$(dirname "$(readlink -f "$(ldd /usr/local/bin/node | awk '/libatomic/ {print $3}')")") \
    && mkdir -p "/out$libdir" \
    && cp -a "$libdir"/libatomic.so.1* "/out$libdir/"


# ---------------------------------------------------------------------------
# node-deps: the locked npm packages, installed with Node alone (no Python, no dev group).
# The workspace root (package.json, node_modules) sits in /srv, one level above the
# Django project, as in the repository.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS node-deps
WORKDIR /srv
# The lockfile and every workspace's package.json: enough for `npm ci` to link them.
COPY package.json package-lock.json ./
COPY bfportal/theme/static_src/package.json bfportal/theme/static_src/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund --cache /root/.npm


# ---------------------------------------------------------------------------
# dev: what `make dev` runs, with ./bfportal bind-mounted over /srv/bfportal and the
# npm workspace root in /srv, as in node-deps.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS dev

ENV VIRTUAL_ENV=/venv \
    PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=bfportal.settings.dev \
    # The dev stack runs as the host user's UID, which has no home in the image.
    HOME=/tmp \
    npm_config_update_notifier=false

COPY --link --from=node /out/ /
COPY --link --from=builder-dev /venv /venv

WORKDIR /srv
COPY --link --from=node-deps /srv/ /srv/
# Also at the filesystem root, as in the test image: Node's module lookup and npm's script PATH
# walk up from the working folder, and so find them from the dev container's /workspace too.
RUN ln -s /srv/node_modules /node_modules

WORKDIR /srv/bfportal
COPY bfportal/ ./
# SQLite and uploads go to a named volume here; any UID the stack runs as may write.
RUN chmod 1777 data

EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]


# ---------------------------------------------------------------------------
# test: the harness `make test` runs in (scripts/runner.sh), so the host needs only Docker.
# The checkout and the Docker socket are mounted at run time; the image holds the tools:
# the dev venv, Poetry, Node with the npm packages and the Dev Containers CLI (for
# tests/devcontainer), and from Debian: Chromium for the browser suite, the docker CLI with
# buildx and compose for the suites that build and run images, wrk for the load test,
# shellcheck, kustomize (make lint renders deploy/k8s), git, and make
# (tests/starter/test_docs.py runs `make help`). It carries no app code.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS test

# First, so that no change to the project's dependencies or code reinstalls them.
# fonts-dejavu-core: what fontconfig gives for system-ui and sans-serif, so screenshots
# show text; openssh-client: Docker's ssh:// transport to tests/deploy's server. Versions
# follow the Debian release of the base (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        chromium fonts-dejavu-core docker-cli docker-buildx docker-compose wrk shellcheck \
        kustomize git make openssh-client \
    && rm -rf /var/lib/apt/lists/*

# 1. Poetry (`make poetry ARGS=...`) and the Dev Containers CLI after the venv's tools.
# 2. The runner runs as the host user's UID, which has no home in the image.
# 3. No .pyc files land in the mounted checkout.
ENV VIRTUAL_ENV=/venv \
    PATH=/venv/bin:/opt/poetry/bin:/opt/devcontainer/node_modules/.bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    npm_config_update_notifier=false

COPY --link --from=node /out/ /
# The Dev Containers CLI (`devcontainer`) that tests/devcontainer drives, from a lockfile of
# its own (tools/devcontainer), bound for this step only. Not in the root package.json: that
# one is node-deps', whose packages reach the dev image and the production build's assets.
RUN --mount=type=bind,source=tools/devcontainer/package.json,target=/opt/devcontainer/package.json \
    --mount=type=bind,source=tools/devcontainer/package-lock.json,target=/opt/devcontainer/package-lock.json \
    --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --prefix /opt/devcontainer --no-audit --no-fund --cache /root/.npm
COPY --link --from=builder-dev /venv /venv
COPY --link --from=poetry /opt/poetry /opt/poetry
# At the filesystem root, Node's module lookup (which walks up from the working folder)
# and npm's script PATH find them from wherever the checkout is mounted.
COPY --link --from=node-deps /srv/node_modules /node_modules


# ---------------------------------------------------------------------------
# assets: the production stylesheet, minified, from Node, the npm packages and the
# templates whose classes it holds. Only the CSS file leaves this stage.
# ---------------------------------------------------------------------------
FROM node-deps AS assets
COPY bfportal/ bfportal/
RUN npx tailwindcss --input bfportal/theme/static_src/src/styles.css \
        --output /assets/styles.css --minify


# ---------------------------------------------------------------------------
# final: production. A fresh runtime base with /venv, the app and its collected
# static files: no Node, node_modules, Poetry, compilers or caches.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS final

ARG APP_UID=10001

# 1. Python output reaches `docker logs` unbuffered.
# 2. The runtime root may be read-only: never try to write .pyc files (they are built in).
# 3. The image serves production settings; they refuse to start without SECRET_KEY
#    and ALLOWED_HOSTS from the environment.
# 4. gunicorn.conf.py binds to PORT.
ENV VIRTUAL_ENV=/venv \
    PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=bfportal.settings.production \
    PORT=8000

# A fixed numeric user with no home and no shell; the UID lets volumes be prepared
# on the host with matching ownership.
# No setuid or setgid programs (su, mount, passwd...): nothing in the image can gain
# privileges it was not started with.
RUN groupadd --system --gid "${APP_UID}" app \
    && useradd --system --uid "${APP_UID}" --gid app --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && find / -xdev -perm /6000 -type f -exec chmod a-s {} +

COPY --link --from=bytecode /venv /venv
WORKDIR /app
COPY --link bfportal/ ./
COPY --link --from=assets /assets/styles.css theme/static/css/dist/styles.css

# Hashed, gzip- and brotli-compressed static files, owned by root and read-only for
# the app, and the app's bytecode (see bytecode). The throw-away key only satisfies the
# production settings' checks.
RUN SECRET_KEY="collectstatic-$(python -c 'import secrets; print(secrets.token_hex(32))')" \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    # The app user may write only its data folder: SQLite and uploads (mount a volume;
    # a new named volume takes the ownership of the folder it is mounted on).
    && mkdir -p data/media \
    && chown -R app:app data

USER ${APP_UID}:${APP_UID}
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --start-interval=1s --retries=3 \
    CMD ["python", "healthcheck.py"]
# Exec form: gunicorn is PID 1 and gets SIGTERM from `docker stop` directly.
CMD ["gunicorn", "bfportal.wsgi"]

# Last, so that a new version string never invalidates a layer above.
ARG VERSION=dev
ARG PYTHON_IMAGE
# /healthz/ reports it: which release each replica runs.
ENV APP_VERSION=${VERSION}
LABEL org.opencontainers.image.base.name="${PYTHON_IMAGE}" \
      org.opencontainers.image.title="bfportal" \
      org.opencontainers.image.description="Wagtail site served by gunicorn and WhiteNoise" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}"
