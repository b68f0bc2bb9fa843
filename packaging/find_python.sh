#!/usr/bin/env bash
# Print the Python to build .venv with: 3.12 when one that really runs is present, else 3.11+.
# (A pyenv shim can exist for a version that is not selected; it is tried, not trusted.)
pyenv_312=""
if command -v pyenv >/dev/null 2>&1; then
  pyenv_312=$(ls -d "$(pyenv root)"/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1)
fi
for candidate in python3.12 "$(PYENV_VERSION=3.12 pyenv which python3.12 2>/dev/null)" \
                 "$pyenv_312" python3.13 python3.11 python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "error: Wordloom needs Python 3.11 or newer" >&2
exit 1
