"""The book built from a project: EPUB 3 that the official EPUBCheck passes with no
errors (titles, author, language, the table of contents of documents and their headings,
Chinese), and the same words in every format."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from engine.project.build import build
from engine.project.manifest import BuildPreset, ProjectError
from engine.project.model import Project
from helpers import write


@pytest.fixture
def project(tmp_path: Path):
    root = tmp_path / "book"
    write(root / "Part One" / "01.md", "# The Arrival\n\nIt is a truth universally "
          "acknowledged.\n\n## At Netherfield\n\nMr. Bingley came.\n\n***\n\nLater that night."
          "\n")
    write(root / "Part One" / "02.md", "Untitled words & <angles>, without a heading.\n")
    write(root / "Part Two" / "03.md", "# 第三章\n\n达西先生去了杭州，看了西湖。\n")
    with Project.init(root, "Pride & Prejudice") as made:
        made.manifest.author = "Jane Austen"
        made.manifest.language = "en"
        made.commit(made.manifest)
        yield made


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        pages = sorted(n for n in book.namelist() if re.search(r"(chapter-\d+|title)\.xhtml$",
                                                              n))
        return "\n".join(re.sub(r"<[^>]+>", " ", book.read(n).decode()) for n in pages)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace("&amp;", "&").replace("&lt;", "<"))


def test_the_epub_passes_epubcheck_and_holds_every_word(project, tmp_path, epubcheck) -> None:
    out = tmp_path / "Pride.epub"
    chapters = build(project, out, BuildPreset(separator="❦"))
    assert [c.title for c in chapters] == ["The Arrival", "02", "第三章"]
    report = epubcheck(out)
    assert "0 fatals / 0 errors" in report, report[-3000:]
    with zipfile.ZipFile(out) as book:
        opf = book.read("EPUB/content.opf").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
        assert book.read("mimetype") == b"application/epub+zip"
    assert 'version="3.0"' in opf and "<dc:title>Pride &amp; Prejudice</dc:title>" in opf
    assert "<dc:creator" in opf and "Jane Austen" in opf and "<dc:language>en" in opf
    assert re.findall(r">([^<>]+)</a>", nav) == ["The Arrival", "At Netherfield", "02", "第三章"]
    text = epub_text(out)
    for chapter in chapters:
        body = (project.root / chapter.path).read_text()
        body = body.replace("***", "")
        assert all(word in words(text) for word in words(body)), chapter.path
    assert "❦" in text and "杭州" in text


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".odt"])
def test_every_format_holds_the_chosen_documents(project, tmp_path, suffix) -> None:
    from engine.documents.formats import import_document

    out = tmp_path / f"part-two{suffix}"
    build(project, out, BuildPreset(only=("Part Two",), title_page=False))
    text = out.read_text() if suffix in (".md", ".html") else \
        import_document(out).markdown
    assert "达西先生去了杭州" in text and "Netherfield" not in text


def test_options_title_page_headings_and_separator(project, tmp_path) -> None:
    out = tmp_path / "book.md"
    build(project, out, BuildPreset(title_page=True, headings=True, separator="* * *"))
    text = out.read_text()
    assert text.startswith("# Pride & Prejudice\n\nJane Austen\n\n# The Arrival\n")
    assert "# 02\n\nUntitled words" in text  # a document without a heading gets its name
    assert "\\* \\* \\*" in text  # the separator, as text
    build(project, out, BuildPreset(title_page=False, headings=False, separator=""))
    text = out.read_text()
    assert text.startswith("# The Arrival") and "# 02" not in text


def test_bad_builds_are_refused(project, tmp_path) -> None:
    with pytest.raises(ProjectError, match="inside the project"):
        build(project, project.root / "Part One" / "book.epub")
    with pytest.raises(ProjectError, match="not a document or folder"):
        build(project, tmp_path / "b.epub", BuildPreset(only=("Part Nine",)))
    assert not (tmp_path / "b.epub").exists()
