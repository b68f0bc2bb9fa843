"""Word, OpenDocument, HTML and PDF in and out (real python-docx, odfpy, Qt's PDF writer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.documents.blocks import from_markdown
from engine.documents.formats import export_document, html_page, import_document
from engine.errors import DocumentError
from helpers import assert_user_error, wordloom

MANUSCRIPT = """# A Week in Hangzhou

We arrived on a **grey** morning and walked to *West Lake*, where the `willows` were green.

## The tea villages

- Longjing, for its tea
- Meijiawu
   - a nested *note*

1. Walk the causeway
1. Take the boat

> The lake is best at dawn.

```
route: Su Causeway -> Bai Causeway
```

| Place | Hours |
|---|---|
| Lingyin | 7-18 |

## 杭州的西湖

西湖很美，**龙井茶**也很有名。
"""


def shape(markdown: str) -> list[tuple[object, ...]]:
    """What must survive a round trip: kinds, levels, text, and where the emphasis is."""
    return [(b.kind, b.level, b.text.strip(), tuple((r.bold, r.italic, r.code) for r in b.runs
                                                    if r.text.strip()), b.rows)
            for b in from_markdown(markdown)]


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_round_trips_keep_headings_emphasis_lists_quotes_and_tables(tmp_path, suffix):
    path = tmp_path / f"manuscript{suffix}"
    export_document(MANUSCRIPT, path, "A Week in Hangzhou")
    imported = import_document(path)
    assert shape(imported.markdown) == shape(MANUSCRIPT)
    assert not imported.dropped


def test_word_files_from_elsewhere_come_in_with_their_pictures(tmp_path):
    import docx
    from PySide6.QtGui import QColor, QImage

    picture = tmp_path / "dot.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(picture))
    document = docx.Document()
    document.add_paragraph("Field notes", style="Title")
    document.add_heading("Day one", level=2)
    paragraph = document.add_paragraph("It rained ")
    paragraph.add_run("all day").bold = True
    document.add_paragraph("Buy tea", style="List Number")
    document.add_paragraph("Post cards", style="List Bullet")
    document.add_picture(str(picture))
    document.add_picture(str(picture))
    path = tmp_path / "notes.docx"
    document.save(str(path))
    imported = import_document(path)
    assert [(b.kind, b.level) for b in imported.blocks] == [
        ("heading", 1), ("heading", 2), ("paragraph", 0), ("number", 0), ("bullet", 0),
        ("paragraph", 0), ("paragraph", 0)]
    assert "It rained **all day**" in imported.markdown
    assert imported.markdown.count("![](notes/image1.png)") == 2  # one file, shown twice
    assert imported.media == {"notes/image1.png": picture.read_bytes()}
    assert not imported.dropped and imported.note() == ""


@pytest.mark.parametrize(("data", "reason"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
    (b"<!DOCTYPE html><html><body>Hello</body></html>", "web page"),
    (b"PK\x03\x04 but then nothing a zip needs", "not a readable Word file"),
    (b"just some text", "not a Word file"),
])
def test_broken_word_files_are_refused_with_the_reason(tmp_path, data, reason):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=reason) as refused:
        import_document(path)
    assert "\n" not in str(refused.value)


def test_pdf_and_html_carry_the_text_including_chinese(tmp_path, qapp):
    import pypdf

    import render.pdf  # noqa: F401  (registers the PDF writer)

    pdf = tmp_path / "manuscript.pdf"
    export_document(MANUSCRIPT, pdf, "A Week in Hangzhou", "A5")
    reader = pypdf.PdfReader(str(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)  # A5, in mm
    text = "".join(page.extract_text() for page in reader.pages)
    squeezed = "".join(text.split())
    assert "AWeekinHangzhou" in squeezed and "西湖很美" in squeezed and "龙井茶" in squeezed
    assert reader.metadata is not None and reader.metadata.title == "A Week in Hangzhou"
    page = html_page(MANUSCRIPT, "A Week <in> Hangzhou")
    assert "<title>A Week &lt;in&gt; Hangzhou</title>" in page
    assert "<h2>杭州的西湖</h2>" in page and "<strong>grey</strong>" in page


def test_convert_on_the_command_line(tmp_path):
    source = tmp_path / "trip.md"
    source.write_text(MANUSCRIPT, encoding="utf-8")
    done = wordloom("convert", str(source), str(tmp_path / "trip.odt"), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["format"] == "odt" and summary["blocks"]["heading"] == 3
    done = wordloom("convert", str(tmp_path / "trip.odt"), str(tmp_path / "back.md"))
    assert done.returncode == 0, done.stderr
    assert shape((tmp_path / "back.md").read_text(encoding="utf-8")) == shape(MANUSCRIPT)
    done = wordloom("convert", str(source), str(tmp_path / "trip.pdf"), "--page", "Letter")
    assert done.returncode == 0 and (tmp_path / "trip.pdf").read_bytes().startswith(b"%PDF")
    assert_user_error(wordloom("convert", str(tmp_path / "trip.pdf"), str(tmp_path / "x.md")),
                      "cannot read .pdf files")
    assert_user_error(wordloom("convert", str(source), str(tmp_path / "x.rtf")),
                      "cannot write .rtf")
    assert_user_error(wordloom("convert", str(source), str(tmp_path / "none" / "x.docx")),
                      "does not exist")
    assert_user_error(wordloom("convert", str(source), str(source)), "is the input")


def test_the_editor_imports_word_and_never_saves_over_it(qtbot, tmp_path, windows):
    from gui.documents.export_dialog import ExportDialog
    from gui.window.main_window import MainWindow

    original = tmp_path / "chapter.docx"
    export_document(MANUSCRIPT, original, "Chapter")
    before = original.read_bytes()
    window = MainWindow(base_settings_off(), start_workers=False)
    window.setProperty("quiet", True)
    windows.append(window)
    said: list[str] = []
    window.documents.warning.connect(said.append)
    window.documents.open_now(original)
    assert window.editor.toPlainText().startswith("# A Week in Hangzhou")
    assert window.documents.dirty and window.documents.doc.path is None
    assert "chapter.md (imported)" in window.windowTitle()
    assert any("Imported chapter.docx as Markdown" in line for line in said)
    failures: list[str] = []
    window.documents.save_failed.connect(failures.append)
    assert not window.documents.save(original)  # never the Word file
    assert "use File → Export" in failures[0] and original.read_bytes() == before
    assert window.documents.save(tmp_path / "chapter.md")
    dialog = ExportDialog(window.editor.toPlainText(), "Chapter", tmp_path, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentText("OpenDocument (.odt)")
    assert dialog.path.text().endswith("Chapter.odt") and not dialog.page.isEnabled()
    with qtbot.waitSignal(dialog.export_done, timeout=30000) as done:
        dialog.export()
    assert done.args == [""] and dialog.exported == tmp_path / "Chapter.odt"
    dialog.path.setText(str(tmp_path / "missing" / "Chapter.odt"))
    with qtbot.waitSignal(dialog.export_done, timeout=30000) as done:
        dialog.export()
    assert "does not exist" in done.args[0] and "does not exist" in dialog.problem.text()
    assert shape(import_document(tmp_path / "Chapter.odt").markdown) == shape(MANUSCRIPT)
    dialog.format.setCurrentText("PDF (.pdf)")
    assert dialog.page.isEnabled()
    dialog.page.setCurrentText("Letter")
    dialog.path.setText(str(tmp_path / "Chapter.pdf"))
    with qtbot.waitSignal(dialog.export_done, timeout=30000) as done:
        dialog.export()
    import pypdf

    assert done.args == [""]
    box = pypdf.PdfReader(str(tmp_path / "Chapter.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter


def base_settings_off() -> object:
    from conftest import base_settings

    return base_settings(languagetool_mode="off")


def test_missing_and_oversized_imports(tmp_path, monkeypatch):
    import engine.documents.formats as formats

    with pytest.raises(DocumentError, match="cannot read it"):
        import_document(tmp_path / "absent.docx")
    with pytest.raises(DocumentError, match=r"cannot import \.pdf"):
        import_document(Path("x.pdf"))
    big = tmp_path / "big.odt"
    export_document("Some words.\n", big)
    monkeypatch.setattr(formats, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(DocumentError, match="more than the"):
        import_document(big)
