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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pyright

test: $(STAMP) lint
	$(BIN)/python -m pytest -q
	timeout 600 $(BIN)/python -m drills

drills: $(STAMP)
	timeout 600 $(BIN)/python -m drills

bench: $(STAMP)
	$(BIN)/python -m bench.intake

clean:
	rm -rf $(VENV) .data
