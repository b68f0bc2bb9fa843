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

.PHONY: setup sysdeps venv llama model languagetool llama-server epubcheck run demo test test-fast test-portable lint bench package package-test clean

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
	@$(PY) packaging/provision_judge.py

languagetool: venv
	@$(PY) packaging/provision_languagetool.py

run: setup
	$(PY) main.py

demo: setup
	$(PY) main.py rewrite --template rewrite resources/samples/sample.md

# ruff everywhere; the layers (import-linter's contracts in pyproject.toml); mypy strict on
# the core and the command line, basic on the GUI (each with a cache of its own: one shared
# cache is rewritten by the other's options every time)
lint: venv
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy --strict --cache-dir .mypy_cache/strict engine ontology render cli
	$(PY) -m mypy --cache-dir .mypy_cache/gui gui

PYTEST := QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider
FAST := not model and not languagetool and not java and not x11 and not slow
PORTABLE := build/portable-site

# everything: the fast tier first (it fails in seconds), the rest, then the numeric tests
# on the portable llama.cpp build (another CPU's arithmetic: AVX2, no AVX-512)
test: setup lint llama-server epubcheck
	$(PYTEST) -n auto -m "$(FAST)"
	$(PYTEST) -m "not ($(FAST))"
	@$(MAKE) --no-print-directory test-portable

# what needs no model, no Java and no X server: under 90 s on two cores (a worker a core),
# for a change that touches none
test-fast: venv lint
	$(PYTEST) -n auto -m "$(FAST)"

# the tests that assert what llama.cpp computes, on the portable build (built once)
test-portable: setup
	@wheel=$$(bash packaging/portable_wheel.sh) && \
	if [ "$$(cat $(PORTABLE)/.wheel 2>/dev/null)" != "$$wheel" ]; then \
	  rm -rf $(PORTABLE) && $(PIP) install -q --no-deps --target $(PORTABLE) "$$wheel" && \
	  echo "$$wheel" > $(PORTABLE)/.wheel; fi
	PYTHONPATH=$(PORTABLE) WORDLOOM_LLAMA_BUILD=portable $(PYTEST) -m numeric

# the official EPUBCheck, which the tests run on built books (tests only)
epubcheck: venv
	@$(PY) packaging/provision_epubcheck.py

# llama.cpp's own server for tests/test_server_backend.py (built once into the cache)
llama-server: venv
	@bash packaging/llama_server.sh >/dev/null

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
