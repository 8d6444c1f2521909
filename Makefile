# kitcut: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
NEST    = $(VENV)/bin/nest
# test processes (pytest-xdist): the suite is CPU-bound, so one per core of the 2-core CI machine
TEST_JOBS ?= 2

.PHONY: setup demo test lint bench fuzz clean samples

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,cluster]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(NEST) info samples/tee.dxf
	$(NEST) samples/tee.dxf --width 1500 --spacing 2 --time 10 --seed 1 -o out/demo --export

test: setup
	@bash .ci/system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n $(TEST_JOBS)

lint: setup
	$(PY) -m ruff check .

samples: setup
	$(PY) -m kitcut.samples.generate samples

bench: setup
	$(PY) -m bench

fuzz: setup
	mkdir -p out
	$(PY) -m tests.fuzz.long --minutes 10 --json out/fuzz.json

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache
