#!/usr/bin/env bash
# Install llama-cpp-python (the version pyproject.toml pins) into .venv, built from source
# with the CMake arguments given as $1. Built wheels are kept in the cache folder, keyed by
# version, arguments and CPU, so a second clone on the same machine reuses the build while
# a change of flags (CUDA, say) or of CPU builds anew. pip's own wheel cache is not used:
# it does not key wheels by CMAKE_ARGS and would hand back a build made for other flags.
set -euo pipefail
cd "$(dirname "$0")/.."
ARGS=${1:-}
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml | head -1)
[ -n "$VERSION" ] || { echo "error: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }
CPU=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m)
KEY=$(printf '%s\n%s\n%s\n' "$VERSION" "$ARGS" "$CPU" | sha256sum | cut -c1-16)
WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/wordloom/wheels/native-$KEY"
if ! ls "$WHEELS"/llama_cpp_python-"$VERSION"-*.whl >/dev/null 2>&1; then
  echo "building llama-cpp-python $VERSION with CMAKE_ARGS='$ARGS' (a few minutes, once)"
  mkdir -p "$WHEELS.tmp"
  CMAKE_ARGS="$ARGS" .venv/bin/python -m pip wheel -q --no-deps --no-cache-dir \
    --no-binary llama-cpp-python -w "$WHEELS.tmp" "llama-cpp-python==$VERSION"
  rm -rf "$WHEELS" && mv "$WHEELS.tmp" "$WHEELS"
fi
.venv/bin/python -m pip install -q --force-reinstall --no-deps \
  "$WHEELS"/llama_cpp_python-"$VERSION"-*.whl
.venv/bin/python -m pip install -q "$WHEELS"/llama_cpp_python-"$VERSION"-*.whl  # its deps
echo "$ARGS" > .venv/.llama-cmake-args
