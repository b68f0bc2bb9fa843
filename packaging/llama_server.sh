#!/usr/bin/env bash
# llama.cpp's own llama-server, built from the llama.cpp sources that llama-cpp-python's
# source package vendors (the version pyproject.toml pins), once, into the cache folder.
# It is the server most writers with a GPU box run; tests/test_server_backend.py runs
# against it as well as against `python -m llama_cpp.server`. Prints the binary's path.
# CMAKE_ARGS are passed on (a CUDA build, say); the CPU flags are this machine's own
# (packaging/llama_cpu_args.sh), as for the in-process build.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml | head -1)
ARGS="$(echo ${CMAKE_ARGS:-} $(bash packaging/llama_cpu_args.sh))"
CPU=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m)
KEY=$(printf '%s\n%s\n%s\n' "$VERSION" "$ARGS" "$CPU" | sha256sum | cut -c1-16)
CACHE=$(.venv/bin/python -c 'from engine.paths import app_paths; print(app_paths().cache)')
HERE="$CACHE/llama-server/$VERSION-$KEY"
if [ ! -x "$HERE/llama-server" ]; then
  echo "building llama-server from llama-cpp-python $VERSION's llama.cpp (about 10 minutes, once)" >&2
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  .venv/bin/python -m pip download -q --no-deps --no-binary :all: -d "$WORK" \
    "llama-cpp-python==$VERSION" >&2
  tar -xzf "$WORK"/llama_cpp_python-"$VERSION".tar.gz -C "$WORK"
  SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"
  # shellcheck disable=SC2086  # the arguments are words
  cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    -DBUILD_SHARED_LIBS=OFF $ARGS >&2
  cmake --build "$WORK/build" --target llama-server -j "$(nproc)" >&2
  mkdir -p "$HERE.tmp"
  cp "$WORK/build/bin/llama-server" "$HERE.tmp/"
  rm -rf "$HERE" && mv "$HERE.tmp" "$HERE"
fi
echo "$HERE/llama-server"
