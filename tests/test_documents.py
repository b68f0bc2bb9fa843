import codecs
import errno
import os
import stat
from pathlib import Path

import pytest

from engine.documents.files import (
    Document,
    DocumentError,
    FileChangedError,
    open_document,
    save_document,
)

TEXT = "Café au lait — 咖啡 😀\nSecond line.\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
])
def test_unicode_encodings_round_trip_byte_for_byte(tmp_path, encoding, bom):
    path = tmp_path / "doc.txt"
    original = bom + TEXT.encode(encoding)
    path.write_bytes(original)
    doc = open_document(path)
    assert doc.text == TEXT and doc.encoding == encoding and doc.bom == bool(bom)
    save_document(doc, doc.text)
    assert path.read_bytes() == original


def test_legacy_encoding_is_detected_and_kept(tmp_path):
    path = tmp_path / "old.txt"
    text = ("Le café de la gare était fermé, mais la boulangère nous a offert un "
            "croissant et des pâtisseries très appréciées.\n") * 3
    path.write_bytes(text.encode("cp1252"))
    doc = open_document(path)
    assert doc.text == text
    save_document(doc, doc.text)
    assert path.read_bytes() == text.encode("cp1252")


def test_crlf_is_kept(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(b"one\r\ntwo\r\n\r\nthree")
    doc = open_document(path)
    assert doc.text == "one\ntwo\n\nthree" and doc.newline == "\r\n"
    save_document(doc, doc.text + "\nfour")
    assert path.read_bytes() == b"one\r\ntwo\r\n\r\nthree\r\nfour"


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (bytes(range(1, 32)) * 40, "binary"),
])
def test_binary_files_are_refused(tmp_path, data, reason):
    path = tmp_path / "picture.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        open_document(path)
    assert "picture.txt" in str(err.value) and reason in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        open_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="is a folder"):
        open_document(tmp_path)


def test_save_keeps_permissions_and_refuses_read_only(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("draft\n")
    os.chmod(path, 0o640)
    doc = open_document(path)
    save_document(doc, "final\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    os.chmod(path, 0o444)
    doc = open_document(path)
    try:
        with pytest.raises(DocumentError, match="read-only"):
            save_document(doc, "changed\n")
        assert path.read_text() == "final\n"
    finally:
        os.chmod(path, 0o644)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_get_the_umasks_mode_not_a_private_one(tmp_path, umask):
    """A saved document and an exported Word file are made like any program's new file
    (0666 less the umask), not with the temporary file's 0600."""
    from engine.documents.formats import export_document

    old = os.umask(umask)
    try:
        save_document(Document(), "A new text.\n", tmp_path / "doc.md")
        export_document("# Title\n\nA new text.\n", tmp_path / "out.docx")
    finally:
        os.umask(old)
    for name in ("doc.md", "out.docx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name


def test_missing_folder_on_save(tmp_path):
    doc = Document()
    with pytest.raises(DocumentError, match="does not exist"):
        save_document(doc, "x", tmp_path / "no" / "such" / "dir.txt")
    with pytest.raises(DocumentError, match="Save As"):
        save_document(doc, "x")


def test_a_file_changed_on_disk_is_not_overwritten_without_asking(tmp_path):
    path = tmp_path / "shared.txt"
    path.write_text("mine\n")
    doc = open_document(path)
    path.write_text("someone else's\n")
    with pytest.raises(FileChangedError):
        save_document(doc, "my edit\n")
    assert path.read_text() == "someone else's\n"
    save_document(doc, "my edit\n", overwrite_changed=True)
    assert path.read_text() == "my edit\n"


def test_characters_the_encoding_cannot_hold(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("naïve café résumé, déjà vu à la carte.\n".encode("cp1252") * 3)
    doc = open_document(path)
    before = path.read_bytes()
    with pytest.raises(DocumentError, match="UTF-8"):
        save_document(doc, doc.text + "😀")
    assert path.read_bytes() == before


def test_awkward_text_survives(tmp_path):
    text = ("emoji 👩‍👩‍👧 ok\nRTL: مرحبا بالعالم שלום\ncontrol: a\tb\x0bc\x0c\n"
            "combining: e\u0301\nCJK: 你好，世界\n")
    path = tmp_path / "odd.txt"
    doc = Document(path=None)
    save_document(doc, text, path)
    assert open_document(path).text == text


def test_lone_surrogates_are_saved_as_replacement_characters(tmp_path):
    path = tmp_path / "broken.txt"
    warnings = save_document(Document(), "bad \ud800 char", path)
    assert open_document(path).text == "bad \ufffd char"
    assert warnings and "U+FFFD" in warnings[0]


FAULTS = [("write", errno.ENOSPC, "the disk is full"),
          ("fsync", errno.EIO, "input/output error"),
          ("replace", errno.EACCES, "permission denied")]


@pytest.mark.parametrize("step, code, words", FAULTS)
def test_failures_leave_the_original_byte_for_byte(tmp_path, monkeypatch, step, code, words):
    import engine.fsutil as fsutil

    path = tmp_path / "precious.txt"
    original = "The only copy of my novel.\n" * 100
    path.write_text(original)
    doc = open_document(path)

    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    if step == "write":
        real_fdopen = os.fdopen

        class Broken:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, _data):
                fail()

        monkeypatch.setattr(fsutil.os, "fdopen", lambda fd, mode: Broken(real_fdopen(fd, mode)))
    elif step == "fsync":
        monkeypatch.setattr(fsutil.os, "fsync", fail)
    else:
        monkeypatch.setattr(fsutil.os, "replace", fail)
    with pytest.raises(DocumentError) as err:
        save_document(doc, "overwritten")
    assert words in str(err.value) and "unchanged" in str(err.value)
    assert path.read_text() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["precious.txt"]


def test_a_ten_megabyte_single_line_opens_in_the_engine(tmp_path):
    path = tmp_path / "line.txt"
    path.write_bytes(b"a" * 10_000_000)
    assert len(open_document(path).text) == 10_000_000


def test_too_large_files_are_refused_with_the_reason(tmp_path, monkeypatch):
    import engine.documents.files as documents

    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(DocumentError, match="opens text files up to"):
        open_document(path)
    assert Path(path).stat().st_size == 2000
