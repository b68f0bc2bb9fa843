"""Open and save text documents without losing a byte.

Open detects the encoding (BOMs, UTF-8, UTF-16, legacy encodings through
charset-normalizer) and the newline style, and refuses binary files. Save writes a
temporary file beside the original, fsyncs it and renames it over, keeps the original's
permissions, and refuses to overwrite a file another program changed since it was read.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import DocumentError
from engine.fsutil import atomic_write_bytes

MAX_BYTES = 64 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class FileChangedError(DocumentError):
    """The file on disk is not the one that was opened: another program changed it."""


@dataclass
class Decoded:
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"


@dataclass
class Document:
    """A text file as read: its text (with ``\\n`` newlines) and how to write it back."""

    path: Path | None = None
    text: str = ""
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    disk_hash: str | None = None
    warnings: list[str] = field(default_factory=list)
    imported_from: Path | None = None  # a Word or OpenDocument file shown as Markdown
    review: dict[str, Any] | None = None  # a Word file's tracked changes, to review
    media: dict[str, bytes] = field(default_factory=dict)  # pictures to keep beside it

    @property
    def title(self) -> str:
        if self.path is None and self.imported_from is not None:
            return f"{self.imported_from.stem}.md (imported)"
        return self.path.name if self.path else "Untitled"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _detect_newline(text: str) -> tuple[str, str]:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf and crlf >= lf and crlf >= lone_cr:
        style = "\r\n"
    elif lone_cr > lf:
        style = "\r"
    else:
        style = "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, style


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) > 0.4 * len(odds) and evens.count(0) < 0.1 * len(evens):
        return "utf-16-le"
    if evens.count(0) > 0.4 * len(evens) and odds.count(0) < 0.1 * len(odds):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Text from bytes; a DocumentError when they are not text."""
    if not data:
        return Decoded("")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"starts with a {encoding} byte-order mark but is not "
                                    f"valid {encoding} (byte {exc.start})") from exc
            text, newline = _detect_newline(text)
            return Decoded(text, encoding, True, newline)
    utf16 = _utf16_without_bom(data)
    if utf16:
        encoding = utf16
        try:
            text, newline = _detect_newline(data.decode(encoding))
            return Decoded(text, encoding, False, newline)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise DocumentError("looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 20):
        raise DocumentError("looks like a binary file (too many control characters), not text")
    text, newline = _detect_newline(text)
    return Decoded(text, encoding, False, newline)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    if best is None or best.encoding is None:
        raise DocumentError("is neither UTF-8 nor a text encoding that could be recognised")
    encoding = codecs.lookup(best.encoding).name
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise DocumentError(f"is not valid {encoding} either (byte {exc.start})") from exc


def open_document(path: Path) -> Document:
    path = Path(path)
    data = _read_bytes(path)
    try:
        decoded = decode_bytes(data)
    except DocumentError as exc:
        raise DocumentError(f"{path}: {exc}") from exc
    return Document(path, decoded.text, decoded.encoding, decoded.bom, decoded.newline,
                    sha256_bytes(data))


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise DocumentError(f"{path}: is a folder, not a text file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{path}: is {size / 1e6:.0f} MB; Wordloom opens text files "
                                f"up to {MAX_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(f"{path}: no such file") from exc
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read it ({_reason(exc)})") from exc


def encode_text(text: str, doc: Document) -> tuple[bytes, list[str]]:
    """The bytes to write for ``text`` in the document's encoding and newline style."""
    warnings: list[str] = []
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
        warnings.append("broken characters (lone surrogates) were saved as U+FFFD")
    if doc.newline != "\n":
        text = text.replace("\n", doc.newline)
    try:
        body = text.encode(doc.encoding)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        raise DocumentError(
            f"the character {char!r} cannot be saved in {doc.encoding}; "
            "save the document as UTF-8 instead") from exc
    if doc.bom:
        bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
               "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
               "utf-32-be": codecs.BOM_UTF32_BE}.get(doc.encoding, b"")
        body = bom + body
    return body, warnings


def disk_changed(doc: Document) -> bool:
    """Whether the file on disk differs from what was opened or last saved."""
    if doc.path is None or doc.disk_hash is None:
        return False
    try:
        return sha256_bytes(doc.path.read_bytes()) != doc.disk_hash
    except FileNotFoundError:
        return False
    except OSError:
        return True


def save_document(doc: Document, text: str, path: Path | None = None, *,
                  overwrite_changed: bool = False) -> list[str]:
    """Write ``text`` atomically; returns warnings. On error the file on disk is untouched.

    Saving to the document's own path when another program changed the file raises
    FileChangedError unless ``overwrite_changed`` is set. On success the document's
    path and disk hash are updated.
    """
    target = Path(path) if path else doc.path
    if target is None:
        raise DocumentError("the document has no file name yet; use Save As")
    same_file = doc.path is not None and target == doc.path
    if same_file and not overwrite_changed and disk_changed(doc):
        raise FileChangedError(f"{target}: was changed by another program since it was "
                               "opened")
    if not target.parent.is_dir():
        raise DocumentError(f"{target}: cannot save: the folder {target.parent} does not exist")
    if target.exists() and _read_only(target):
        raise DocumentError(f"{target}: cannot save: the file is read-only")
    data, warnings = encode_text(text, doc)
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise DocumentError(f"{target}: cannot save: {_reason(exc)}; the file on disk "
                            "is unchanged") from exc
    doc.path = target
    doc.text = text
    doc.disk_hash = sha256_bytes(data)
    return warnings + save_media(doc.media, target.parent)


def save_media(media: dict[str, bytes], folder: Path) -> list[str]:
    """The pictures a Markdown text links to, written beside it (``name`` is relative:
    ``story/image1.png``), each atomically; one that cannot be written is a warning."""
    warnings = []
    for name, blob in media.items():
        parts = Path(name).parts
        if not parts or ".." in parts or Path(name).is_absolute():
            continue
        dest = folder.joinpath(*parts)
        try:
            if dest.is_file() and dest.read_bytes() == blob:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(dest, blob)
        except OSError as exc:
            warnings.append(f"{dest}: the picture was not saved ({_reason(exc)})")
    return warnings


def _read_only(path: Path) -> bool:
    """No write access, or no write permission bit (which root would otherwise ignore)."""
    try:
        return not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the disk is read-only",
        errno.EIO: "an input/output error occurred",
        errno.ENOENT: "the folder does not exist",
        errno.ENAMETOOLONG: "the file name is too long",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))
