# Wordloom: `make run` starts the app, `make test` lints and runs every test.
# Both set everything up first and are quick when nothing changed.

SHELL := /bin/bash
PYTHON ?= $(shell bash packaging/find_python.sh)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALLED := $(VENV)/.installed
LLAMA_FLAGS := $(VENV)/.llama-cmake-args

.PHONY: setup sysdeps venv llama model languagetool run demo test lint bench package package-test clean

setup: venv llama model languagetool

sysdeps:
	@bash packaging/sysdeps.sh

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(INSTALLED): pyproject.toml | $(PY)
	@$(MAKE) --no-print-directory sysdeps
	CMAKE_ARGS="$(CMAKE_ARGS)" $(PIP) install -e '.[dev]'
	@touch $@

venv: $(INSTALLED)

# Rebuild llama-cpp-python when CMAKE_ARGS differ from the last build
# (CMAKE_ARGS="-DGGML_CUDA=on" make setup gives a CUDA build).
llama: venv
	@if [ "$$(cat $(LLAMA_FLAGS) 2>/dev/null)" != "$(CMAKE_ARGS)" ]; then \
	  v=$$($(PY) -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))'); \
	  echo "building llama-cpp-python $$v with CMAKE_ARGS='$(CMAKE_ARGS)'"; \
	  if [ -n "$(CMAKE_ARGS)" ]; then cache=--no-cache-dir; else cache=; fi; \
	  CMAKE_ARGS="$(CMAKE_ARGS)" $(PIP) install --force-reinstall --no-deps $$cache \
	    "llama-cpp-python==$$v" || exit 1; \
	  echo "$(CMAKE_ARGS)" > $(LLAMA_FLAGS); \
	fi

model: venv
	@$(PY) packaging/provision_model.py

languagetool: venv
	@$(PY) packaging/provision_languagetool.py

run: setup
	$(PY) main.py

demo: setup
	$(PY) main.py rewrite --template rewrite resources/samples/sample.md

lint: venv
	$(PY) -m ruff check .

test: setup lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

bench: setup
	$(PY) bench/llm.py
	$(PY) bench/ontology.py
	$(PY) bench/grammar.py

package: setup
	@bash packaging/build.sh

package-test: setup
	@[ -f dist/wordloom_$$($(PY) -c 'from engine.version import __version__ as v; print(v)')_amd64.deb ] \
	  || $(MAKE) --no-print-directory package
	@bash packaging/smoke_test.sh

clean:
	rm -rf build dist .pytest_cache .ruff_cache
