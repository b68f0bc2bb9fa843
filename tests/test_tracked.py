"""Pending changes (engine.review.pending) and Word tracked changes, out and in
(engine.documents.tracked); ``proofread --tracked``; LibreOffice reading what was written."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.documents.formats import import_document
from engine.documents.tracked import write_tracked_docx
from engine.documents.tracked_reader import read_tracked_docx
from engine.errors import DocumentError
from engine.review.pending import Pending, Review, from_edits
from engine.writing.proofread import Edit, apply_edits
from helpers import assert_user_error, wordloom, wordloom_json

WORD = st.sampled_from(["she", "go", "home", "the", "cat", "我们", "😀", "don't"])


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    words = draw(st.lists(WORD, min_size=1, max_size=12))
    text = " ".join(words) + "."
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    chosen = draw(st.sets(st.integers(0, len(words) - 1), max_size=len(words)))
    edits = []
    for i in sorted(chosen):
        new = draw(st.sampled_from(["", "went", "a", "dogs", "他们"]))
        if new != words[i]:
            edits.append(Edit(starts[i], starts[i] + len(words[i]), words[i], new, "harper", 0))
    return text, edits


@settings(max_examples=300, deadline=None)
@given(text_and_edits(), st.data())
def test_accepting_every_change_gives_what_proofread_prints(case, data):
    text, edits = case
    changes = from_edits(text, edits)
    review = Review(text, list(changes))
    assert review.accepted_text() == apply_edits(text, edits)
    assert review.accepted_text(ids=[]) == text  # rejecting every change: the original
    order = data.draw(st.permutations([c.id for c in changes]))
    for change_id in order:  # accepted one by one in any order: the same text
        review.accept(change_id)
    assert review.text == apply_edits(text, edits) and not review.changes


@st.composite
def review_and_choice(draw: st.DrawFn) -> tuple[Review, list[int]]:
    """A text with replacements, deletions and insertions pending (an insertion also
    right before or right after a deletion), and some of them to accept."""
    words = draw(st.lists(WORD, min_size=1, max_size=10))
    text = " ".join(words) + "."
    changes, pos = [], 0
    for word in words:
        start, end = pos, pos + len(word)
        if draw(st.booleans()):  # an insertion before the word
            changes.append(Pending(len(changes), start, start, "", draw(st.sampled_from(
                ["the ", "😀", "x"])), "harper"))
        if draw(st.booleans()):
            changes.append(Pending(len(changes), start, end, word,
                                   draw(st.sampled_from(["", "went", "我们"])), "harper"))
        pos = end + 1
    review = Review(text, changes)
    ids = draw(st.sets(st.sampled_from([c.id for c in changes]) if changes
                       else st.nothing()))
    return review, sorted(ids)


@settings(max_examples=400, deadline=None)
@given(review_and_choice(), st.data())
def test_an_accept_taken_back_leaves_the_review_as_it_was(case, data):
    review, ids = case
    before = (review.text, list(review.changes))
    made = [c for c in review.changes if c.id in ids]
    ahead = review.ahead(ids)
    review.accept_many(ids)
    assert review.text == Review(*before).accepted_text(ids)
    review.unaccept(made, ahead)
    assert (review.text, review.changes) == before
    rejected = data.draw(st.sampled_from(review.changes)) if review.changes else None
    if rejected is not None:  # a rejection taken back: the same change, the same id
        review.reject(rejected.id)
        review.reinstate([rejected])
        assert (review.text, review.changes) == before


def test_accept_reject_by_source_and_the_writers_own_edits():
    text = "She go home and buyed a apple."
    review = Review(text, [Pending(0, 4, 6, "go", "went", "harper"),
                           Pending(1, 16, 21, "buyed", "bought", "languagetool"),
                           Pending(2, 22, 23, "a", "an", "confusion")])
    assert review.sources() == ["confusion", "harper", "languagetool"]
    assert review.accept(0) == (4, 6, "went")
    assert review.text == "She went home and buyed a apple."
    assert review.get(1).start == 18  # moved with the accepted change
    dropped = review.edited(0, 3, "He")  # the writer edits elsewhere: changes move
    assert not dropped and review.get(2).start == 23
    dropped = review.edited(review.get(1).start + 1, review.get(1).start + 2, "i")
    assert [c.id for c in dropped] == [1] and "buyed" in review.notes[0]
    restored = Review.from_json(review.text, review.to_json())
    assert restored.changes == review.changes and restored.notes == review.notes
    assert review.reject_all("confusion") == 1 and review.changes == []
    assert review.text == "He went home and biyed a apple."
    with pytest.raises(ValueError):
        Review("abc", [Pending(0, 0, 1, "x", "y", "harper")])  # does not fit the text


def test_tracked_changes_round_trip_through_a_word_file(tmp_path):
    text = "She go home.\tTab 😀 我们。\nA line break.\n\nThe the cat sat."
    the = text.index("the cat")
    changes = [Pending(0, 4, 6, "go", "went", "harper"),
               Pending(1, text.index("我们"), text.index("我们"), "", "和", "model"),
               Pending(2, the - 1, the + 3, " the", "", "repetition"),
               Pending(3, len(text) - 1, len(text) - 1, "", " down", "model")]
    path = tmp_path / "tracked.docx"
    assert write_tracked_docx(path, text, changes) == 5  # the replacement is two revisions
    read = read_tracked_docx(path)
    assert read.text == text and read.authors == ["Wordloom"]
    assert [(c.start, c.end, c.old, c.new) for c in read.changes] == \
        [(c.start, c.end, c.old, c.new) for c in changes]
    assert Review(read.text, read.changes).accepted_text() == \
        Review(text, changes).accepted_text()
    imported = import_document(path)  # opened as a document: not silently merged
    assert "She go home." in imported.markdown and "went" not in imported.markdown
    assert "tracked changes" in imported.note()


def _docx_with(tmp_path: Path, paragraph_xml: str) -> Path:
    path = tmp_path / "hostile.docx"
    write_tracked_docx(path, "placeholder", [])
    with zipfile.ZipFile(path) as package:
        files = {name: package.read(name) for name in package.namelist()}
    xml = files["word/document.xml"].decode()
    start = xml.index("<w:p>") if "<w:p>" in xml else xml.index("<w:p ")
    end = xml.index("</w:p>") + len("</w:p>")
    files["word/document.xml"] = (xml[:start] + paragraph_xml + xml[end:]).encode()
    with zipfile.ZipFile(path, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return path


def _views(read) -> tuple[str, str]:
    """Accept all, reject all."""
    return Review(read.text, list(read.changes)).accepted_text(), read.text


def test_an_insertion_partly_deleted_by_a_second_reviewer_is_read_as_word_shows_it(tmp_path):
    """Two review rounds: Ann inserted words, Bob deleted some of them. Before, the whole
    file was refused; Word's accept all and reject all are what come out."""
    path = _docx_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r>'
                      '<w:ins w:id="1" w:author="Ann"><w:r><w:t xml:space="preserve">very '
                      '</w:t></w:r><w:del w:id="2" w:author="Bob"><w:r><w:delText xml:space='
                      '"preserve">old </w:delText></w:r></w:del></w:ins><w:r><w:t>house.'
                      '</w:t></w:r></w:p>')
    read = read_tracked_docx(path)
    assert _views(read) == ("The very house.", "The house.")
    assert [(c.new, c.author) for c in read.changes] == [("very ", "Ann")]
    assert read.authors == ["Ann", "Bob"] and "Bob deleted “old” inside Ann's" in read.notes[0]
    gone = _docx_with(tmp_path, '<w:p><w:del w:id="1" w:author="A"><w:ins w:id="2" '
                      'w:author="B"><w:r><w:t>x</w:t></w:r></w:ins></w:del><w:r><w:t>y</w:t>'
                      '</w:r></w:p>')
    assert _views(read_tracked_docx(gone)) == ("y", "y")  # inserted, then deleted: neither


def test_a_paragraph_split_or_joined_while_tracked_is_a_change(tmp_path):
    split = ('<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="Ann"/></w:rPr></w:pPr><w:r><w:t>'
             "One half.</w:t></w:r></w:p><w:p><w:r><w:t>Other half.</w:t></w:r></w:p>")
    joined = ('<w:p><w:pPr><w:rPr><w:del w:id="2" w:author="Bob"/></w:rPr></w:pPr><w:r><w:t>'
              "First</w:t></w:r></w:p><w:p><w:r><w:t>second.</w:t></w:r></w:p>")
    read = read_tracked_docx(_docx_with(tmp_path, split + joined))
    accepted, rejected = _views(read)
    assert accepted == "One half.\n\nOther half.\n\nFirstsecond."
    assert rejected == "One half.Other half.\n\nFirst\n\nsecond."
    assert [c.author for c in read.changes] == ["Ann", "Bob"]


def test_insertions_side_by_side_by_one_author_are_one_change(tmp_path):
    path = _docx_with(tmp_path, '<w:p><w:ins w:id="1" w:author="Ann" w:date="2026-01-01T10:00:'
                      '00Z"><w:r><w:t xml:space="preserve">brand </w:t></w:r></w:ins><w:ins '
                      'w:id="2" w:author="Ann" w:date="2026-01-01T10:01:00Z"><w:r><w:t '
                      'xml:space="preserve">new </w:t></w:r></w:ins><w:r><w:t>words.</w:t>'
                      "</w:r></w:p>")
    read = read_tracked_docx(path)
    assert [c.new for c in read.changes] == ["brand new "]


def test_broken_tracked_files_are_refused_in_one_line(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match="not a readable Word file"):
        read_tracked_docx(broken)
    plain = _docx_with(tmp_path, '<w:p><w:ins w:id="1" w:author="Ann"><w:r><w:t>New '
                       '</w:t></w:r></w:ins><w:r><w:t>words.</w:t></w:r></w:p>')
    read = read_tracked_docx(plain)
    assert read.text == "words." and read.changes[0].new == "New " and \
        read.changes[0].source == "word: Ann"


def test_proofread_writes_its_fixes_as_tracked_changes(tmp_path, wordloom_home):
    source = tmp_path / "letter.txt"
    source.write_text("She go home yesterday.\n\nThe weather are nice.\n", encoding="utf-8")
    out = tmp_path / "letter.docx"
    printed = wordloom_json("proofread", str(source), "--no-model", "--tracked", str(out))
    assert printed["edits"] and printed["tracked"]["changes"] == len(printed["edits"])
    read = read_tracked_docx(out)
    assert read.text == source.read_text(encoding="utf-8").rstrip("\n")
    assert Review(read.text, read.changes).accepted_text() == printed["text"].rstrip("\n")
    # a Markdown file keeps its heading in Word, the fixes tracked inside it
    import docx

    notes = tmp_path / "notes.md"
    notes.write_text("# The weather are nice\n\nShe go home.\n", encoding="utf-8")
    printed = wordloom_json("proofread", str(notes), "--no-model", "--tracked", str(out))
    assert printed["tracked"]["changes"] >= 2
    assert [p.style.name for p in docx.Document(str(out)).paragraphs] == ["Heading 1",
                                                                          "Normal"]
    read = read_tracked_docx(out)
    assert Review(read.text, read.changes).accepted_text() == _shown(printed["text"])
    assert_user_error(wordloom("proofread", str(source), "--no-model", "--tracked",
                               str(tmp_path / "out.txt")), ".docx")
    assert_user_error(wordloom("proofread", str(source), "--no-model", "--tracked",
                               str(tmp_path / "nowhere" / "out.docx")), "does not exist")


def _odt_body_text(path: Path) -> str:
    """The text of an OpenDocument file's body, paragraphs joined by blank lines: inserted
    words are in the body, deleted ones only in its list of changes."""
    from lxml import etree

    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    root = etree.fromstring(zipfile.ZipFile(path).read("content.xml"))
    body = root.find("office:body/office:text", ns)
    t = "{{{}}}".format(ns["text"])
    paragraphs = []
    for paragraph in body.iter(t + "p", t + "h"):
        if any(a.tag == t + "tracked-changes" for a in paragraph.iterancestors()):
            continue
        parts = [paragraph.text or ""]
        for node in paragraph.iterdescendants():
            if node.tag == t + "s":
                parts.append(" " * int(node.get(t + "c", "1")))
            elif node.tag == t + "tab":
                parts.append("\t")
            elif node.tag == t + "line-break":
                parts.append("\n")
            if any(a.tag == t + "tracked-changes" for a in node.iterancestors()):
                continue
            parts.append(node.text or "" if node.tag not in (t + "s", t + "tab") else "")
            parts.append(node.tail or "")
        paragraphs.append("".join(parts))
    return "\n\n".join(paragraphs)


def _libreoffice_odt(path: Path) -> Path:
    """``path`` converted to OpenDocument by LibreOffice headless, beside it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (make setup installs "
                    "libreoffice-writer-nogui where apt-get is available)")
    folder = path.parent
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo",
                           "--convert-to", "odt", "--outdir", str(folder), str(path)],
                          capture_output=True, text=True, timeout=180)
    odt = path.with_suffix(".odt")
    assert odt.exists(), done.stderr
    return odt


@pytest.mark.slow  # LibreOffice starts in a few seconds
def test_libreoffice_reads_the_tracked_changes(tmp_path):
    text = "She go home yesterday.\n\nThe the weather are nice today.\tOK.\n我们去了商店。"
    the = text.index("the weather")
    changes = [Pending(0, 4, 6, "go", "went", "harper"),
               Pending(1, the - 1, the + 3, " the", "", "repetition"),
               Pending(2, text.index("are"), text.index("are") + 3, "are", "is", "confusion"),
               Pending(3, text.index("商店"), text.index("商店"), "", "大", "model")]
    path = tmp_path / "review.docx"
    revisions = write_tracked_docx(path, text, changes)
    odt = _libreoffice_odt(path)
    content = zipfile.ZipFile(odt).read("content.xml").decode()
    # a replacement is a deletion and an insertion, in Word and in LibreOffice alike
    assert content.count("<text:changed-region") == revisions == 6
    assert _odt_body_text(odt) == Review(text, changes).accepted_text()


MARKDOWN = ("# My holliday\n\nWe **goes** to the sea, and *it were* fun.\nThe next line.\n\n"
            "- a item\n- second item is here\n\n> A quote are here.\n\n```\ncode teh\n```\n")


def _changes_for(text: str, pairs: list[tuple[str, str]]) -> list[Pending]:
    out, pos = [], 0
    for index, (old, new) in enumerate(pairs):
        start = text.index(old, pos)
        out.append(Pending(index, start, start + len(old), old, new, "harper"))
        pos = start + len(old)
    return out


def _shown(markdown: str) -> str:
    """What a Markdown text shows in Word: its blocks' words, without the marks."""
    from engine.documents.blocks import from_markdown

    return "\n\n".join(block.text for block in from_markdown(markdown))


def test_each_shown_word_of_markdown_is_found_in_its_source():
    from engine.documents.md_source import source_blocks

    blocks = source_blocks(MARKDOWN)
    assert [b.block.kind for b in blocks] == ["heading", "paragraph", "bullet", "bullet",
                                              "quote", "code"]
    for block in blocks:
        for piece in block.pieces:
            if piece.literal:
                assert MARKDOWN[piece.start:piece.end] == piece.run.text
            else:  # a line break inside a paragraph, shown as a space
                assert MARKDOWN[piece.start:piece.end] == "\n" and piece.run.text == " "
    words = {MARKDOWN[p.start:p.end]: p.run for b in blocks for p in b.pieces}
    assert words["goes"].bold and words["it were"].italic and words["code teh"].code
    assert not any(mark in text for text in words for mark in ("#", "**", "- ", "> "))
    # an escape is not the text it shows: not followed, the caller writes the source
    assert source_blocks("A \\*starred\\* word.") is None


def test_markdown_is_written_with_its_headings_lists_and_emphasis(tmp_path):
    import docx

    changes = _changes_for(MARKDOWN, [("holliday", "holiday"), ("goes", "went"),
                                      ("were", "was"), ("a item", "an item"),
                                      ("are", "is"), ("teh", "the")])
    path = tmp_path / "styled.docx"
    assert write_tracked_docx(path, MARKDOWN, changes, markdown=True) == 12
    styles = [p.style.name for p in docx.Document(str(path)).paragraphs]
    assert styles == ["Heading 1", "Normal", "List Bullet", "List Bullet", "Quote",
                      "No Spacing"]
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    went = xml.index(">went<")  # the new word keeps the bold of the word it replaces
    assert "<w:b/>" in xml[xml.rindex("<w:ins ", 0, went):went]
    # Word shows the Markdown's words without its marks, the changes still to accept
    read = read_tracked_docx(path)
    assert read.text == _shown(MARKDOWN)
    assert [(c.old, c.new) for c in read.changes] == [(c.old, c.new) for c in changes]
    assert Review(read.text, read.changes).accepted_text() == \
        _shown(Review(MARKDOWN, changes).accepted_text())


def test_a_change_to_the_marks_themselves_writes_the_markdown_as_it_is(tmp_path):
    changes = _changes_for(MARKDOWN, [("**goes**", "goes")])  # the bold taken off
    path = tmp_path / "plain.docx"
    assert write_tracked_docx(path, MARKDOWN, changes, markdown=True) == 2
    read = read_tracked_docx(path)
    assert read.text.startswith("# My holliday\n\nWe **goes**")
    assert Review(read.text, read.changes).accepted_text() == \
        Review(MARKDOWN, changes).accepted_text().rstrip("\n")


@pytest.mark.slow  # LibreOffice starts in a few seconds
def test_libreoffice_reads_tracked_changes_in_headings_lists_and_emphasis(tmp_path):
    changes = _changes_for(MARKDOWN, [("holliday", "holiday"), ("goes", "went"),
                                      ("were", "was"), ("a item", "an item"),
                                      ("are", "is")])
    path = tmp_path / "styled.docx"
    revisions = write_tracked_docx(path, MARKDOWN, changes, markdown=True)
    odt = _libreoffice_odt(path)
    content = zipfile.ZipFile(odt).read("content.xml").decode()
    assert content.count("<text:changed-region") == revisions == 10
    assert "<text:h" in content and "<text:list" in content  # a heading and a list there
    assert _odt_body_text(odt) == _shown(Review(MARKDOWN, changes).accepted_text())


def test_convert_chooses_what_becomes_of_tracked_changes(tmp_path):
    """accept (the default: the text as Word shows it), reject, or pending (kept as
    tracked changes, in a .docx only)."""
    from helpers import assert_user_error, wordloom, wordloom_json

    source = _docx_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r>'
                        '<w:ins w:id="1" w:author="Ann"><w:r><w:t xml:space="preserve">very '
                        '</w:t></w:r></w:ins><w:del w:id="2" w:author="Bob"><w:r><w:delText '
                        'xml:space="preserve">old </w:delText></w:r></w:del><w:r><w:t>house.'
                        "</w:t></w:r></w:p>")
    for choice, expected in (("accept", "The very house.\n"), ("reject", "The old house.\n")):
        out = tmp_path / f"{choice}.md"
        args = ["convert", str(source), str(out)] + (
            ["--track-changes", choice] if choice != "accept" else [])
        assert wordloom(*args).returncode == 0
        assert out.read_text(encoding="utf-8") == expected
    kept = tmp_path / "kept.docx"
    summary = wordloom_json("convert", str(source), str(kept), "--track-changes", "pending",
                            "--json")
    assert summary["changes"] == 2 and summary["authors"] == ["Ann", "Bob"]
    again = read_tracked_docx(kept)
    assert _views(again) == ("The very house.", "The old house.")
    assert_user_error(wordloom("convert", str(source), str(tmp_path / "x.md"),
                               "--track-changes", "pending"), "pending keeps tracked")


def test_a_moves_two_halves_stay_paired(tmp_path, plain_window):
    path = _docx_with(
        tmp_path,
        '<w:p><w:moveFromRangeStart w:id="1" w:author="Ann" w:name="move1"/><w:moveFrom '
        'w:id="2" w:author="Ann"><w:r><w:t xml:space="preserve">Moved words. </w:t></w:r>'
        '</w:moveFrom><w:moveFromRangeEnd w:id="1"/><w:r><w:t>Stays.</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">Second. </w:t></w:r><w:moveToRangeStart '
        'w:id="3" w:author="Ann" w:name="move1"/><w:moveTo w:id="4" w:author="Ann"><w:r>'
        '<w:t xml:space="preserve">Moved words. </w:t></w:r></w:moveTo><w:moveToRangeEnd '
        'w:id="3"/></w:p>')
    read = read_tracked_docx(path)
    assert [c.pair for c in read.changes] == ["move1", "move1"]
    assert _views(read) == ("Stays.\n\nSecond. Moved words. ",
                            "Moved words. Stays.\n\nSecond. ")
    window = plain_window()
    window.editor.setPlainText(read.text)
    window.review.restore(Review(read.text, list(read.changes)).to_json())
    window.review.accept(read.changes[0].id)  # one half chosen: both are made
    assert window.editor.toPlainText() == "Stays.\n\nSecond. Moved words. "
    assert window.review.review.changes == []
    window.editor.undo_step()
    assert window.editor.toPlainText() == read.text and len(window.review.review.changes) == 2
    window.review.reject(read.changes[1].id)
    assert window.editor.toPlainText() == read.text and window.review.review.changes == []


def test_the_review_dock_names_a_paragraph_break(tmp_path, plain_window):
    split = ('<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="Ann"/></w:rPr></w:pPr><w:r><w:t>'
             "One half.</w:t></w:r></w:p><w:p><w:r><w:t>Other half.</w:t></w:r></w:p>")
    read = read_tracked_docx(_docx_with(tmp_path, split))
    window = plain_window()
    window.editor.setPlainText(read.text)
    window.review.restore(Review(read.text, list(read.changes)).to_json())
    assert window.review_panel.list.item(0).text().startswith("¶1  + → ¶ break")
