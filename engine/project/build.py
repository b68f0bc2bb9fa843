"""Build the book: chosen documents, in the project's order, into one file.

Markdown is put together first (a title page, each document under its title as a chapter
heading or as it is, scene breaks drawn with the chosen separator); ``.md``, ``.html``,
``.docx``, ``.odt`` and ``.pdf`` are then written by ``engine.documents.formats`` as for
one document. An ``.epub`` is EPUB 3 made with EbookLib: one XHTML file a chapter, the
title, author and language in its metadata, and a table of contents of the documents
and the headings inside them. Every output is written atomically, and never inside the
project (it would become one of its documents).
"""

from __future__ import annotations

import html
import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from engine.documents.blocks import parser
from engine.documents.formats import export_document
from engine.errors import DocumentError
from engine.fsutil import atomic_write_bytes
from engine.project.manifest import FORMATS, BuildPreset, ProjectError
from engine.project.model import Project

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SCENE = re.compile(r"^\s*(?:\*\s*\*\s*\*[\s*]*|#|~\s*~\s*~[\s~]*|-\s*-\s*-[\s-]*)\s*$")


@dataclass(frozen=True)
class Chapter:
    path: str
    title: str
    markdown: str


def title_of(rel: str, text: str) -> str:
    """A document's title: its first heading when it starts with one, else its name."""
    for line in text.splitlines():
        if line.strip():
            found = _HEADING.match(line)
            return found.group(2).strip() if found and len(found.group(1)) == 1 \
                else Path(rel).stem
    return Path(rel).stem


def chapters(project: Project, preset: BuildPreset) -> list[Chapter]:
    chosen = project.documents()
    if preset.only:
        wanted = {p.rstrip("/") for p in preset.only}
        unknown = sorted(w for w in wanted if w not in chosen and
                         not any(c.startswith(w + "/") for c in chosen))
        if unknown:
            raise ProjectError(f"{unknown[0]}: is not a document or folder of the book")
        chosen = [c for c in chosen if c in wanted or any(c.startswith(w + "/")
                                                         for w in wanted)]
    if not chosen:
        raise ProjectError(f"{project.root.name}: the book has no documents to build")
    out = []
    for rel in chosen:
        text = project.read(rel)
        title = title_of(rel, text)
        body = _scenes(text, preset.separator)
        if preset.headings and not _starts_with_title(body):
            body = f"# {title}\n\n{body}"
        out.append(Chapter(rel, title, body.strip() + "\n"))
    return out


def _starts_with_title(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = _HEADING.match(first)
    return bool(found and len(found.group(1)) == 1)


def _scenes(text: str, separator: str) -> str:
    """Scene breaks (a line of ``***``, ``* * *``, ``#``, ``~~~`` or ``---`` between blank
    lines) drawn as ``separator`` (nothing when it is empty: a blank line stays)."""
    lines = text.split("\n")
    shown = re.sub(r"([\\`*_{}\[\]()#+\-.!~|>])", r"\\\1", separator)
    for n, line in enumerate(lines):
        before = lines[n - 1].strip() if n else ""
        after = lines[n + 1].strip() if n + 1 < len(lines) else ""
        if _SCENE.match(line) and not before and not after:
            lines[n] = shown
    return "\n".join(lines)


def book_markdown(project: Project, preset: BuildPreset, parts: list[Chapter]) -> str:
    front = ""
    if preset.title_page:
        front = f"# {project.manifest.title}\n\n"
        if project.manifest.author:
            front += f"{project.manifest.author}\n\n"
    return front + "\n".join(c.markdown for c in parts)


def build(project: Project, out: Path, preset: BuildPreset | None = None) -> list[Chapter]:
    """Write the book to ``out`` (its suffix says the format); returns its chapters."""
    preset = preset or BuildPreset()
    out = Path(out).expanduser()
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ProjectError(f"{out}: cannot build {out.suffix or 'a file without an extension'}"
                           f"; choose .{', .'.join(FORMATS)}")
    if out.parent.resolve() == project.root or project.root in out.parent.resolve().parents:
        raise ProjectError(f"{out}: is inside the project; build the book somewhere else")
    if not out.parent.is_dir():
        raise ProjectError(f"{out}: the folder {out.parent} does not exist")
    parts = chapters(project, preset)
    try:
        if suffix == "epub":
            atomic_write_bytes(out, epub_bytes(project, preset, parts))
        else:
            export_document(book_markdown(project, preset, parts), out,
                            title=project.manifest.title)
    except OSError as exc:
        raise DocumentError(f"{out}: cannot write the book ({exc.strerror or exc})") from exc
    return parts


def epub_bytes(project: Project, preset: BuildPreset, parts: list[Chapter]) -> bytes:
    from ebooklib import epub

    meta = project.manifest
    lang = meta.language or "en"
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, project.root.as_uri())}")
    book.set_title(meta.title)
    book.set_language(lang)
    if meta.author:
        book.add_author(meta.author)
    style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css",
                          content=b"body{font-family:serif;line-height:1.5}"
                                  b"p.scene{text-align:center;margin:1.5em 0}"
                                  b"h1{page-break-before:always}")
    book.add_item(style)
    spine: list[object] = []
    toc: list[object] = []
    as_text = parser().disable(["html_inline", "html_block"])  # "<angles>" are words here
    if preset.title_page:
        page = epub.EpubHtml(title=meta.title, file_name="title.xhtml", lang=lang)
        page.content = (f"<h1>{html.escape(meta.title)}</h1>"
                        + (f"<p>{html.escape(meta.author)}</p>" if meta.author else ""))
        page.add_item(style)
        book.add_item(page)
        spine.append(page)
    for n, chapter in enumerate(parts, 1):
        name = f"chapter-{n:03d}.xhtml"
        body, inner = _anchored(as_text.render(chapter.markdown), preset.separator)
        page = epub.EpubHtml(title=chapter.title, file_name=name, lang=lang)
        page.content = body
        page.add_item(style)
        book.add_item(page)
        spine.append(page)
        if inner:
            links = [epub.Link(f"{name}#{anchor}", text, f"c{n}-{anchor}")
                     for anchor, text in inner]
            toc.append((epub.Section(chapter.title, name), links))
        else:
            toc.append(epub.Link(name, chapter.title, f"c{n}"))
    book.toc = toc
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *spine]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {})
    return buffer.getvalue()


def _anchored(body: str, separator: str) -> tuple[str, list[tuple[str, str]]]:
    """Ids on the second-level headings (the table of contents links to them), and the
    scene separator's paragraph given its class."""
    inner: list[tuple[str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        anchor_id = f"h{len(inner) + 1}"
        inner.append((anchor_id, html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))))
        return f'<h2 id="{anchor_id}">{match.group(1)}</h2>'

    body = re.sub(r"<h2>(.*?)</h2>", anchor, body)
    if separator:
        shown = html.escape(separator, quote=False)
        body = body.replace(f"<p>{shown}</p>", f'<p class="scene">{shown}</p>')
    return body, inner
