"""Find GGUF model files and read their metadata without loading weights.

The header is parsed here from a memory map, so a broken file gives a plain reason
(wrong magic, truncated, empty, ...) instead of a crash inside llama.cpp.
"""

from __future__ import annotations

import contextlib
import itertools
import mmap
import os
import re
import struct
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NoReturn

from engine.config import Settings
from engine.errors import ModelError
from engine.model.memory import estimate_ram_bytes, kv_bytes_per_token
from engine.paths import app_paths

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
# the proofreading judge `make model` installs in the judges folder (Gemma 3 270M base, under
# the Gemma Terms of Use): the judge setting names it to use it
JUDGE_MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
JUDGE_MODEL_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"

GGUF_MAGIC = b"GGUF"

# llama.cpp's LLAMA_FTYPE values (general.file_type).
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
    10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M",
    16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S",
    22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M",
    28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
    37: "TQ2_0", 38: "MXFP4_MOE",
}

# ggml tensor types: (elements per block, bytes per block).
TENSOR_TYPES = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176),
    14: (256, 210), 15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98),
    19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82), 23: (256, 136),
    24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56),
    30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17),
}

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
    10: "<Q", 11: "<q", 12: "<d",
}
_STRING, _ARRAY = 8, 9
MAX_ARRAY_DEPTH = 4  # GGUF allows arrays of arrays; no real model nests deeper than 2
_QUANT_IN_NAME = re.compile(r"(?i)\b((?:I?Q\d(?:_[A-Z0-9]+)*)|F16|BF16|F32)\b")
_FILE_NOISE = re.compile(r"(?i)[-_. ]+(?:gguf|(?:I?Q\d(?:_[A-Z0-9]+)*)|F16|BF16|F32)\b.*$")


def model_name(general_name: object, path: Path) -> str:
    """The name a writer knows a model by. A file name whose author chose its capitals
    ("SmolLM2-135M-Instruct.Q4_1") says it better than a ``general.name`` made from a
    training run ("Smollm2 135M 8k Lc100K Mix1 Ep2"); an all-lower-case file name
    ("qwen2.5-1.5b-instruct-q4_k_m") says it worse than a written one."""
    stem = _FILE_NOISE.sub("", path.stem) or path.stem
    cleaned = " ".join(stem.replace("_", " ").replace("-", " ").split())
    written = " ".join(str(general_name).split()) if isinstance(general_name, str) else ""
    if not written or (cleaned != cleaned.lower() and cleaned != cleaned.upper()):
        return cleaned or written or path.name
    return written


@dataclass(frozen=True)
class ModelInfo:
    path: str
    name: str
    architecture: str
    size_bytes: int
    quantization: str
    context_length: int
    chat_template: bool
    n_layers: int = 0
    embedding_length: int = 0
    head_count: int = 0
    head_count_kv: int = 0

    def to_json(self) -> dict[str, Any]:
        keys = ("path", "name", "architecture", "size_bytes", "quantization",
                "context_length", "chat_template")
        data = asdict(self)
        return {k: data[k] for k in keys}

    def estimate_memory_bytes(self, n_ctx: int) -> int:
        """The planning figure of ``engine.model.memory`` for ``n_ctx`` tokens."""
        if self.head_count and self.embedding_length:
            kv = kv_bytes_per_token(self.n_layers, self.head_count_kv or self.head_count,
                                    self.embedding_length // self.head_count)
        else:
            kv = 0
        return estimate_ram_bytes(self.size_bytes, n_ctx, kv)


class _Reader:
    def __init__(self, buf: mmap.mmap | bytes, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def take(self, n: int) -> memoryview:
        end = self.pos + n
        if n < 0 or end > len(self.buf):
            raise ModelError(f"{self.path}: not a usable GGUF file: it is truncated "
                             f"(header ends early at byte {len(self.buf)})")
        view = memoryview(self.buf)[self.pos:end]
        self.pos = end
        return view

    def scalar(self, kind: int) -> Any:
        fmt = _SCALARS[kind]
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def u32(self) -> int:
        return int(self.scalar(4))

    def u64(self) -> int:
        return int(self.scalar(10))

    def string(self) -> str:
        length = self.u64()
        return bytes(self.take(length)).decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        length = self.u64()
        self.take(length)

    def value(self, kind: int, keep: bool, depth: int = 0) -> Any:
        if kind == _STRING:
            if keep:
                return self.string()
            self.skip_string()
            return None
        if kind == _ARRAY:
            item_kind = self.u32()
            count = self.u64()
            left = len(self.buf) - self.pos
            if item_kind in (_STRING, _ARRAY):
                if count > left // 8:  # each item needs at least its 8-byte length
                    self.bad(f"an array claims {count} items in {left} bytes")
                if item_kind == _ARRAY and depth >= MAX_ARRAY_DEPTH:
                    self.bad(f"arrays nested deeper than {MAX_ARRAY_DEPTH}")
                for _ in range(count):
                    self.value(item_kind, False, depth + 1)
                return None
            if item_kind not in _SCALARS:
                self.bad(f"unknown array item type {item_kind}")
            self.take(count * struct.calcsize(_SCALARS[item_kind]))
            return None
        if kind not in _SCALARS:
            self.bad(f"unknown value type {kind}")
        return self.scalar(kind)

    def bad(self, reason: str) -> NoReturn:
        shown = "".join(c if c.isprintable() else "?" for c in reason)  # names from the file
        raise ModelError(f"{self.path}: not a usable GGUF file: {shown}")


def _wanted(key: str) -> bool:
    return key.startswith("general.") or key == "tokenizer.chat_template" or (
        not key.startswith("tokenizer.")
    )


def read_metadata(path: str | Path) -> ModelInfo:
    """Metadata of a GGUF file; a ModelError with the file and the reason otherwise."""
    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model file")
    if path.is_dir():
        raise ModelError(f"{path}: is a folder, not a GGUF model file")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ModelError(f"{path}: not a usable GGUF file: the file is empty")
        with open(path, "rb") as handle:
            buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return _parse(buf, path, size)
        finally:
            # A view of the map that something else still holds (a frame kept by a
            # traceback or a sampling profiler) makes close() fail; the map then goes
            # with the last view instead of turning a good file into an error.
            with contextlib.suppress(BufferError):
                buf.close()
    except PermissionError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror})") from exc
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror or exc})") from exc


def _parse(buf: mmap.mmap, path: Path, size: int) -> ModelInfo:
    reader = _Reader(buf, path)
    if size < 4 or bytes(buf[:4]) != GGUF_MAGIC:
        raise ModelError(f"{path}: not a GGUF file (wrong magic bytes "
                         f"{bytes(buf[:4])!r}, expected b'GGUF')")
    reader.pos = 4
    version = reader.u32()
    if version not in (2, 3):
        raise ModelError(f"{path}: unsupported GGUF version {version} (2 or 3 expected)")
    n_tensors = reader.u64()
    n_kv = reader.u64()
    if n_kv > 1_000_000 or n_tensors > 10_000_000:
        raise ModelError(f"{path}: not a usable GGUF file: implausible header counts")
    meta: dict[str, Any] = {}
    for _ in range(n_kv):
        key = reader.string()
        kind = reader.u32()
        value = reader.value(kind, keep=_wanted(key))
        if value is not None:
            meta[key] = value
        if reader.pos > size:
            reader.take(0)
    alignment = _number(meta, "general.alignment", 32, reader)
    if alignment <= 0 or alignment & (alignment - 1) or alignment > 1 << 16:
        reader.bad(f"general.alignment {alignment} is not a power of two")
    data_end = _tensor_data_end(reader, n_tensors, alignment, size)
    if data_end > size:
        raise ModelError(f"{path}: not a usable GGUF file: it is truncated "
                         f"({size} bytes, the tensors need {data_end})")
    arch = str(meta.get("general.architecture", "unknown"))
    quant = FILE_TYPES.get(_number(meta, "general.file_type", -1, reader), "")
    if not quant:
        found = _QUANT_IN_NAME.search(path.stem)
        quant = found.group(1).upper() if found else "unknown"
    return ModelInfo(
        path=str(path),
        name=model_name(meta.get("general.name"), path),
        architecture=arch,
        size_bytes=size,
        quantization=quant,
        context_length=_number(meta, f"{arch}.context_length", 0, reader),
        chat_template=isinstance(meta.get("tokenizer.chat_template"), str),
        n_layers=_number(meta, f"{arch}.block_count", 0, reader),
        embedding_length=_number(meta, f"{arch}.embedding_length", 0, reader),
        head_count=_number(meta, f"{arch}.attention.head_count", 0, reader),
        head_count_kv=_number(meta, f"{arch}.attention.head_count_kv", 0, reader),
    )


def _number(meta: dict[str, Any], key: str, default: int, reader: _Reader) -> int:
    """An integer metadata value, range-checked; a file with text or a float there is
    refused, not a crash later."""
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        reader.bad(f"{key} should be a whole number, not {type(value).__name__}")
    if not -1 <= value < 1 << 40:
        reader.bad(f"{key} is out of range ({value})")
    return value


def _tensor_data_end(reader: _Reader, n_tensors: int, alignment: int, size: int) -> int:
    """Where the last tensor's bytes end, counted from the start of the file.

    Every tensor is checked the way llama.cpp will use it: a known type, dimensions that
    fill whole blocks, an aligned offset, bytes inside the file, no two overlapping. A
    file that passes is safe to hand to llama.cpp as far as its layout goes."""
    if n_tensors > (size - reader.pos) // 24:  # name length, dims, type and offset at least
        reader.bad(f"{n_tensors} tensors cannot fit in {size} bytes")
    spans: list[tuple[int, int, str]] = []
    for _ in range(n_tensors):
        name = reader.string()
        n_dims = reader.u32()
        if not 1 <= n_dims <= 4:
            reader.bad(f"tensor '{name[:40]}' has {n_dims} dimensions")
        elements = 1
        for _ in range(n_dims):
            dim = reader.u64()
            if dim == 0 or dim > 1 << 40:
                reader.bad(f"tensor '{name[:40]}' has a dimension of {dim}")
            elements *= dim
        kind = reader.u32()
        offset = reader.u64()
        if kind not in TENSOR_TYPES:
            reader.bad(f"tensor '{name[:40]}' has an unknown type {kind}")
        block, nbytes = TENSOR_TYPES[kind]
        if elements % block:
            reader.bad(f"tensor '{name[:40]}' does not fill whole blocks of {block}")
        if offset % alignment:
            reader.bad(f"tensor '{name[:40]}' is not aligned to {alignment} bytes")
        spans.append((offset, offset + elements // block * nbytes, name))
    spans.sort()
    for (_, end, first), (start, _, second) in itertools.pairwise(spans):
        if start < end:
            reader.bad(f"tensors '{first[:40]}' and '{second[:40]}' overlap")
    # offsets count from the aligned start of the data section; the caller compares the
    # end with the file's size ("truncated")
    data_start = (reader.pos + alignment - 1) // alignment * alignment
    return data_start + max((end for _, end, _ in spans), default=0) if n_tensors \
        else reader.pos


def model_dirs(settings: Settings) -> list[Path]:
    """The models folder, the writer's extra folders, and models shipped with the app."""
    from engine.paths import resource_dir

    dirs = [app_paths().models, resource_dir() / "models"]
    dirs += [Path(d).expanduser() for d in settings.model_dirs]
    return dirs


def model_files(settings: Settings) -> tuple[list[Path], list[str]]:
    """The GGUF files in the models folders (unread), and one line per folder that cannot
    be used."""
    files: list[Path] = []
    problems: list[str] = []
    for folder in model_dirs(settings):
        if folder.exists() and not folder.is_dir():
            problems.append(f"{folder}: the models folder is a file; no models are read "
                            "from it")
        elif folder.is_dir():
            try:
                files += sorted(folder.glob("*.gguf")) + sorted(folder.glob("*/*.gguf"))
                os.listdir(folder)  # glob hides a folder it cannot read
            except OSError as exc:
                problems.append(f"{folder}: cannot read the models folder "
                                f"({exc.strerror or exc})")
    return files, problems


def find_models(settings: Settings) -> tuple[list[ModelInfo], list[str]]:
    """Every readable GGUF in the models folders, and one line per file that is not."""
    seen: set[Path] = set()
    found: list[ModelInfo] = []
    candidates, problems = model_files(settings)
    if settings.model:
        candidates.append(Path(settings.model).expanduser())
    for path in candidates:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        try:
            found.append(read_metadata(path))
        except ModelError as exc:
            problems.append(str(exc))
    return found, problems


def default_model_path(settings: Settings) -> Path | None:
    """The configured model, else the starter model, else the first model found."""
    if settings.model:
        return Path(settings.model).expanduser()
    from engine.paths import resource_dir

    for starter in (app_paths().models / DEFAULT_MODEL_FILE,
                    resource_dir() / "models" / DEFAULT_MODEL_FILE):
        if starter.exists():
            return starter
    for folder in model_dirs(settings):
        if folder.is_dir():
            for path in sorted(folder.glob("*.gguf")):
                return path
    return None


def resolve_model(settings: Settings, override: str | None = None) -> ModelInfo:
    """The model to load, checked; a ModelError naming what to do when there is none."""
    path = Path(override).expanduser() if override else default_model_path(settings)
    if path is None:
        raise ModelError("no model found: run 'make setup' to install the starter model, "
                         "or pass --model PATH to a GGUF file")
    return read_metadata(path)
