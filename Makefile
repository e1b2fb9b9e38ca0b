# One entry point per job. `make test` and `make demo` work on a fresh clone.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test test-fast demo dev histories bench data clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

# A real case through the embedded stack (dev server + SQLite + workers + API); keeps the
# stack up for the Temporal UI until Ctrl-C. DEMO_ARGS=--exit-after-demo for scripts.
demo: $(STAMP)
	$(VENV)/bin/onething vision build
	$(VENV)/bin/onething dev --demo $(DEMO_ARGS)

dev: $(STAMP)
	$(VENV)/bin/onething vision build
	$(VENV)/bin/onething dev

# Re-record the case histories the replay test checks (after a deliberate, patched change).
histories: $(STAMP)
	rm -rf tests/histories
	ONETHING_RECORD_HISTORIES=1 $(PY) -m pytest -q -m "not slow" -k "not thousand" tests/workflows tests/scenarios

bench: $(STAMP)
	$(PY) -m bench

data: $(STAMP)
	$(VENV)/bin/onething data build

clean:
	rm -rf $(VENV) .onething
