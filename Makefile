# Two commands for learners: `make lab` and `make test`. Everything else is for contributors.
VENV := .venv
BIN := $(VENV)/bin
# JupyterLab refuses to run as root without --allow-root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=

.PHONY: lab test setup regen labs nav notebooks check bench lock reset-progress

setup:
	@scripts/setup

lab: setup  ## start JupyterLab on the start page
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/chapters/00_start_here.ipynb $(ROOT_FLAG) $(LAB_ARGS)

test: setup  ## the whole suite (unit tests, every notebook, nbval, freshness, benchmarks)
	scripts/test

regen: setup  ## labs from solutions, navigation, then execute notebooks
	$(BIN)/python -m workbook.build regen

labs: setup
	$(BIN)/python -m workbook.build labs

nav: setup
	$(BIN)/python -m workbook.build nav

notebooks: setup  ## e.g. make notebooks ONLY=02_data
	$(BIN)/python -m workbook.build notebooks $(ONLY)

check: setup  ## are labs and navigation fresh?
	$(BIN)/python -m workbook.build check

bench: setup
	$(BIN)/python -m pytest tests/benchmarks -p no:xdist --benchmark-only --benchmark-columns=min,median,max,rounds -q

lock:  ## re-resolve requirements-lock.txt from environment.yml (minutes)
	python3 scripts/lock.py

reset-progress: setup  ## back up and reset the progress store
	$(BIN)/python -m workbook reset-progress
