#!/usr/bin/env bash
# The portable llama-cpp-python wheel: built with GGML_NATIVE=OFF (AVX2, FMA, F16C, no
# AVX-512: what the package ships and what most laptops run), once, into its own entry of
# the cache folder. Prints the wheel's path. Used by `make package` and `make test`
# (which runs the tests that touch the model on this build too).
# PACKAGE_CMAKE_ARGS overrides the flags (a new cache entry).
set -euo pipefail
cd "$(dirname "$0")/.."
LLAMA_VERSION=$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')
FLAGS=${PACKAGE_CMAKE_ARGS:--DGGML_NATIVE=OFF}
CACHE=$(.venv/bin/python -c 'from engine.paths import app_paths; print(app_paths().cache)')
WHEELS="$CACHE/wheels/$(echo "$FLAGS" | tr -c 'A-Za-z0-9_=-' '_')"
if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "building the portable llama-cpp-python $LLAMA_VERSION ($FLAGS; a few minutes, once)" >&2
  rm -rf "$WHEELS.tmp" && mkdir -p "$WHEELS.tmp"
  CMAKE_ARGS="$FLAGS" .venv/bin/python -m pip wheel -q --no-deps --no-cache-dir \
    --no-binary llama-cpp-python -w "$WHEELS.tmp" "llama-cpp-python==$LLAMA_VERSION" >&2
  rm -rf "$WHEELS" && mv "$WHEELS.tmp" "$WHEELS"
fi
ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -1
