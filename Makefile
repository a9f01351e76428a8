# Every target is a thin wrapper: the starter's own commands live in scripts/, the measuring
# tools in tools/bench/. `make help` lists the targets from the `## ` comment after each one.
# Host prerequisites: Docker (with buildx and compose v2), make, bash and git.
.DEFAULT_GOAL := help
SHELL := /bin/bash

COMPOSE := docker compose
WEB := $(COMPOSE) exec web python manage.py

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

.PHONY: setup
setup: ## Optional, for editors: pinned Poetry, .venv and node_modules on this host (Python 3.11-3.14, Node 20+)
	@scripts/setup-host.sh

.PHONY: rename
rename: ## Once, after cloning: rename the project to NAME=acme; TITLE="Acme Corp" is what pages show
	@scripts/rename.sh "$(NAME)" "$(TITLE)"

.PHONY: dev
dev: ## Build and start the development stack (web + Tailwind watcher) on localhost:8000
	@scripts/dev-up.sh

.PHONY: down
down: ## Stop the development stack (data volumes are kept)
	@$(COMPOSE) down

.PHONY: prod-up
prod-up: ## Build final, start it behind Caddy (HTTPS) with PostgreSQL, on https://localhost/
	@scripts/prod-up.sh

.PHONY: prod-down
prod-down: ## Stop the production-like stack (database and upload volumes are kept)
	@scripts/prod-down.sh

.PHONY: swarm-up
swarm-up: ## Deploy docker-stack.yml on this machine's swarm (one node if none): Caddy, 3 web replicas, PostgreSQL
	@scripts/swarm-up.sh

.PHONY: deploy
deploy: ## Run IMAGE=registry/name:tag on a server over SSH (HOST=ssh://user@server; default: here), pulled, never built
	@scripts/deploy.sh

.PHONY: publish
publish: ## Build final and push it as IMAGE=registry/name:tag (after docker login), for make deploy; PLATFORM= for another arch
	@scripts/publish.sh

.PHONY: rollback
rollback: ## Put web back on the release before the last deploy (HOST=ssh://user@server; default: here)
	@scripts/rollback.sh

.PHONY: backup
backup: ## Back up the server's database and uploads now (HOST=ssh://user@server; default: here); prints the ID
	@scripts/backup.sh backup

.PHONY: backups
backups: ## List the server's backups (HOST=ssh://user@server; default: here)
	@scripts/backup.sh backups

.PHONY: restore
restore: ## Replace the server's database and uploads by BACKUP=ID, checked first; web stops meanwhile
	@scripts/backup.sh restore "$(BACKUP)"

.PHONY: backup-key
backup-key: ## Print the backups' key: keep it away from the server (a new one restores with it)
	@scripts/backup.sh key

.PHONY: swarm-deploy
swarm-deploy: ## Build and roll out a new release on the swarm, one replica at a time (rolls back if unhealthy)
	@scripts/swarm-deploy.sh $(ARGS)

.PHONY: swarm-down
swarm-down: ## Remove the swarm stack (volumes and secrets are kept; swarm mode stays on)
	@scripts/swarm-down.sh

.PHONY: build
build: ## Build the production image (target final) as bfportal:final; PLATFORM=linux/arm64: bfportal:final-arm64
	@BFPORTAL_PLATFORM="$(PLATFORM)" scripts/build-image.sh final bfportal:final$(if $(PLATFORM),-$(notdir $(PLATFORM)))

.PHONY: binfmt
binfmt: ## Register QEMU so that an amd64 engine builds and runs linux/arm64 (any Docker user; until reboot)
	@scripts/binfmt.sh

.PHONY: size
size: ## Show the final image's size and its largest layers (PLATFORM=linux/arm64: bfportal:final-arm64)
	@tools/bench/size.sh bfportal:final$(if $(PLATFORM),-$(notdir $(PLATFORM)))

.PHONY: shell
shell: ## Open a shell in the running dev web container
	@$(COMPOSE) exec web bash

.PHONY: manage
manage: ## Run manage.py in the dev stack's web container: make manage ARGS="startapp blog"
	@$(WEB) $(ARGS)

.PHONY: migrate
migrate: ## Apply database migrations in the dev stack
	@$(WEB) migrate

.PHONY: superuser
superuser: ## Create a Wagtail admin user in the dev stack (asks for the details)
	@$(WEB) createsuperuser

.PHONY: poetry
poetry: ## Run Poetry on the lock, in the test image: make poetry ARGS="update --lock wagtail"
	@scripts/runner.sh poetry $(ARGS)

.PHONY: npm
npm: ## Run npm on the lock, in the test image: make npm ARGS="install --package-lock-only x@1"
	@scripts/runner.sh npm $(ARGS)

.PHONY: lint
lint: ## Check Python (ruff), Dockerfiles (hadolint), shell (shellcheck), CI (actionlint), alerts (promtool)
	@scripts/lint.sh

.PHONY: test
test: ## Lint and run every suite side by side in the test image; ARGS="tests/image -k size" runs only pytest ARGS
	@scripts/test.sh $(ARGS)

.PHONY: test-app
test-app: ## Run the app suite (the quick loop, a worker per CPU) on SQLite, or DATABASE=postgres; ARGS are added to pytest's
	@BFPORTAL_TEST_DATABASE="$(DATABASE)" scripts/test.sh tests/app --numprocesses auto $(ARGS)

.PHONY: bench
bench: ## Time cold and incremental image builds and report the final image size
	@tools/bench/bench.sh

.PHONY: clean
clean: ## Stop the dev stack and remove its volumes, images and local build output
	@scripts/clean.sh

.PHONY: load
load: ## Bounded load (50 clients, 30 s) on the prod-like stack; run `make prod-up` first
	@tools/bench/load.sh

.PHONY: bench-cache
bench-cache: ## The page cache off and on, and gunicorn's shapes, under `make load` on the prod-up stack
	@tools/bench/cache.sh

.PHONY: bench-observability
bench-observability: ## Metrics and JSON logs off and on, under `make load` on the prod-up stack
	@tools/bench/observability.sh

.PHONY: compare
compare: ## Cold-build our final and `wagtail start`'s Dockerfile on the same base, in one run
	@tools/bench/compare.sh
