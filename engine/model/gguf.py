"""Find GGUF model files and read their metadata without loading weights.

The header is parsed here from a memory map, so a broken file gives a plain reason
(wrong magic, truncated, empty, ...) instead of a crash inside llama.cpp.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from engine.config import Settings
from engine.errors import ModelError
from engine.paths import app_paths

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

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
_QUANT_IN_NAME = re.compile(r"(?i)\b((?:I?Q\d(?:_[A-Z0-9]+)*)|F16|BF16|F32)\b")


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
        """Weights plus an f16 KV cache for ``n_ctx`` tokens: a planning figure."""
        if self.head_count and self.embedding_length:
            head_dim = self.embedding_length // self.head_count
            kv_heads = self.head_count_kv or self.head_count
            kv = 2 * self.n_layers * n_ctx * kv_heads * head_dim * 2
        else:
            kv = 0
        return self.size_bytes + kv


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
        self.pos += length

    def value(self, kind: int, keep: bool) -> Any:
        if kind == _STRING:
            if keep:
                return self.string()
            self.skip_string()
            return None
        if kind == _ARRAY:
            item_kind = self.u32()
            count = self.u64()
            if item_kind == _STRING:
                for _ in range(count):
                    self.skip_string()
                if self.pos > len(self.buf):
                    self.take(0)
                return None
            if item_kind not in _SCALARS:
                raise ModelError(f"{self.path}: not a usable GGUF file: "
                                 f"unknown array item type {item_kind}")
            self.take(count * struct.calcsize(_SCALARS[item_kind]))
            return None
        if kind not in _SCALARS:
            raise ModelError(f"{self.path}: not a usable GGUF file: unknown value type {kind}")
        return self.scalar(kind)


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
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0,
                                                   access=mmap.ACCESS_READ) as buf:
            return _parse(buf, path, size)
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
    data_end = _tensor_data_end(reader, n_tensors, int(meta.get("general.alignment", 32)))
    if data_end > size:
        raise ModelError(f"{path}: not a usable GGUF file: it is truncated "
                         f"({size} bytes, the tensors need {data_end})")
    arch = str(meta.get("general.architecture", "unknown"))
    quant = FILE_TYPES.get(meta.get("general.file_type", -1), "")
    if not quant:
        found = _QUANT_IN_NAME.search(path.stem)
        quant = found.group(1).upper() if found else "unknown"
    return ModelInfo(
        path=str(path),
        name=str(meta.get("general.name") or path.stem),
        architecture=arch,
        size_bytes=size,
        quantization=quant,
        context_length=int(meta.get(f"{arch}.context_length", 0)),
        chat_template="tokenizer.chat_template" in meta,
        n_layers=int(meta.get(f"{arch}.block_count", 0)),
        embedding_length=int(meta.get(f"{arch}.embedding_length", 0)),
        head_count=int(meta.get(f"{arch}.attention.head_count", 0)),
        head_count_kv=int(meta.get(f"{arch}.attention.head_count_kv", 0)),
    )


def _tensor_data_end(reader: _Reader, n_tensors: int, alignment: int) -> int:
    """Where the last tensor's bytes end, counted from the start of the file."""
    last_end = 0
    for _ in range(n_tensors):
        reader.skip_string()
        n_dims = reader.u32()
        if n_dims > 8:
            raise ModelError(f"{reader.path}: not a usable GGUF file: bad tensor header")
        elements = 1
        for _ in range(n_dims):
            elements *= reader.u64()
        kind = reader.u32()
        offset = reader.u64()
        block, nbytes = TENSOR_TYPES.get(kind, (1, 0))
        last_end = max(last_end, offset + (elements // block) * nbytes)
    alignment = alignment if alignment > 0 else 32
    data_start = (reader.pos + alignment - 1) // alignment * alignment
    return data_start + last_end if n_tensors else reader.pos


def model_dirs(settings: Settings) -> list[Path]:
    """The models folder, the writer's extra folders, and models shipped with the app."""
    from engine.paths import resource_dir

    dirs = [app_paths().models, resource_dir() / "models"]
    dirs += [Path(d).expanduser() for d in settings.model_dirs]
    return dirs


def find_models(settings: Settings) -> tuple[list[ModelInfo], list[str]]:
    """Every readable GGUF in the models folders, and one line per file that is not."""
    seen: set[Path] = set()
    found: list[ModelInfo] = []
    problems: list[str] = []
    candidates: list[Path] = []
    for folder in model_dirs(settings):
        if folder.is_dir():
            candidates += sorted(folder.glob("*.gguf")) + sorted(folder.glob("*/*.gguf"))
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
