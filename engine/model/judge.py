"""The judge's weights: a Q8_0 copy of a small Q4_1 model, made once on this machine.

llama.cpp's CPU kernels for Q4_1 are slow here next to Q8_0's: on the starter model the
scorer gets through about 1.5 times as many tokens a second on a Q8_0 copy
(``bench/proofread.py``), and the copy judges as the model does (its values are the
Q4_1 values, re-expressed in 8 bits: the same JFLEG figure with either, see the
proofreading issue's closing note). A Q4_0 copy is faster still but judges worse
(a 4-bit requantization loses Q4_1's offsets).

The copy is made with llama.cpp's own quantizer (``llama_model_quantize``), written
beside its final name and renamed into place, in the cache folder. It costs a second
file (136 MB for the starter model), so it is only made for small models, and only for
the CPU (on a GPU every type is fast). Anything that goes wrong leaves the judge on the
original file.

The generating model loads the same file (``LlamaRunner.load``), and the judge's context
is made on those loaded weights (``LlamaRunner.shared_weights``): one copy of the weights
in memory, not two (the Q4_1 file's 96 MB are never mapped). Generation then runs on the
Q8_0 values, which are the Q4_1 values to within an 8-bit step.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
from pathlib import Path

from engine.paths import app_paths

log = logging.getLogger("wordloom.judge")

JUDGE_TYPE = "Q8_0"  # the copy's type
COPY_FROM = frozenset({"Q4_1"})  # file types whose judge is a copy
MAX_BYTES = 512 * 2**20  # bigger models are judged as they are: a copy would cost as much


def judges_dir() -> Path:
    return app_paths().cache / "judges"


def judge_weights(path: str, quantization: str, gpu_layers: int) -> str:
    """The file the scorer loads for the model at ``path``: a copy when one pays
    (made now if it is missing), else ``path`` itself."""
    source = Path(path)
    try:
        stat = source.stat()
    except OSError:
        return path
    if gpu_layers != 0 or quantization not in COPY_FROM or stat.st_size > MAX_BYTES:
        return path
    folder = judges_dir()
    dest = folder / f"{source.stem}-{stat.st_size}-{stat.st_mtime_ns}.{JUDGE_TYPE}.gguf"
    if dest.is_file():
        return str(dest)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _quantize(source, dest)
    except (OSError, RuntimeError) as exc:
        log.warning("no %s judge for %s (%s); judging on the file itself", JUDGE_TYPE, source,
                    exc)
        return path
    earlier = re.compile(re.escape(source.stem) + r"-\d+-\d+\.\w+\.gguf")
    for old in folder.iterdir():  # copies of an earlier file of that name
        if old != dest and earlier.fullmatch(old.name):
            old.unlink(missing_ok=True)
    return str(dest)


def _quantize(source: Path, dest: Path) -> None:
    import llama_cpp

    from engine.model.native import default_threads, quiet_llama_logs

    quiet_llama_logs()
    part = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{JUDGE_TYPE}")
    params.allow_requantize = True
    params.nthread = default_threads()
    try:
        code = llama_cpp.llama_model_quantize(str(source).encode(), str(part).encode(),
                                              ctypes.byref(params))
        if code != 0 or not part.is_file():
            raise RuntimeError(f"llama.cpp's quantizer returned {code}")
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)
