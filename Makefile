# Wordloom: `make run` starts the app, `make test` lints and runs every test.
# Both set everything up first and are quick when nothing changed.

SHELL := /bin/bash
PYTHON ?= $(shell bash packaging/find_python.sh)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALLED := $(VENV)/.installed
SYSDEPS := $(VENV)/.sysdeps
LLAMA_FLAGS := $(VENV)/.llama-cmake-args

.PHONY: setup sysdeps venv llama model languagetool run demo test lint bench package package-test clean

setup: sysdeps venv llama model languagetool

# Debian packages: again whenever their list or the script changes.
$(SYSDEPS): packaging/deb/depends.txt packaging/sysdeps.sh | $(PY)
	@bash packaging/sysdeps.sh
	@touch $@

sysdeps: $(SYSDEPS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# llama.cpp is built for this machine: CMAKE_ARGS (e.g. -DGGML_CUDA=on) plus what the CPU
# needs (packaging/llama_cpu_args.sh); a change of either rebuilds it.
LLAMA_ARGS := $(strip $(CMAKE_ARGS) $(shell bash packaging/llama_cpu_args.sh))

$(INSTALLED): pyproject.toml | $(PY) $(SYSDEPS)
	@bash packaging/install_llama.sh "$(LLAMA_ARGS)"
	$(PIP) install -q -e '.[dev]'
	@# the coverage-guided fuzzer for bench/fuzz.py: a wheel or nothing (it needs clang to build)
	@$(PIP) install -q --only-binary=:all: 'atheris>=2.3' 2>/dev/null || \
	  echo "atheris: no wheel for this Python; bench/fuzz.py uses its own mutator"
	@touch $@

venv: $(INSTALLED)

llama: venv
	@if [ "$$(cat $(LLAMA_FLAGS) 2>/dev/null)" != "$(LLAMA_ARGS)" ]; then \
	  bash packaging/install_llama.sh "$(LLAMA_ARGS)"; \
	fi

model: venv
	@$(PY) packaging/provision_model.py

languagetool: venv
	@$(PY) packaging/provision_languagetool.py

run: setup
	$(PY) main.py

demo: setup
	$(PY) main.py rewrite --template rewrite resources/samples/sample.md

# ruff everywhere; mypy strict on the core and the command line, basic on the GUI
lint: venv
	$(PY) -m ruff check .
	$(PY) -m mypy --strict engine ontology cli
	$(PY) -m mypy gui

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
