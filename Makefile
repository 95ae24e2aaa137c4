PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: up test lint bench drills clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO ?=
up: $(STAMP)
	$(BIN)/python -m devstack up $(if $(DEMO),--demo --demo-participants $(if $(filter 1,$(DEMO)),200,$(DEMO)))

MIGRATIONS_SQL := .data/migrations-sql
K8S_MANIFESTS := $(filter-out deploy/k8s/kustomization.yaml,$(wildcard deploy/k8s/*.yaml))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pyright
	@# every migration's SQL, rendered offline, must be online-safe (docs/deploy.md "Migrations")
	rm -rf $(MIGRATIONS_SQL) && $(BIN)/python -m adapters.db.render_migrations $(MIGRATIONS_SQL) > /dev/null
	$(BIN)/squawk --pg-version=14 $(MIGRATIONS_SQL)/*.sql
	@# the deployment files against the Kubernetes OpenAPI schemas (oldest and newest supported) and compose-spec
	$(BIN)/kubernetes-validate --strict --quiet -k 1.31.0 $(K8S_MANIFESTS)
	$(BIN)/kubernetes-validate --strict --quiet -k 1.37.0 $(K8S_MANIFESTS)
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec deploy/compose.yaml
	$(BIN)/hadolint deploy/Dockerfile

test: $(STAMP) lint
	$(BIN)/python -m pytest -q
	timeout 600 $(BIN)/python -m drills
	timeout 600 $(BIN)/python -m drills replicas

drills: $(STAMP)
	timeout 600 $(BIN)/python -m drills
	timeout 600 $(BIN)/python -m drills replicas

bench: $(STAMP)
	$(BIN)/python -m bench.intake

clean:
	rm -rf $(VENV) .data
