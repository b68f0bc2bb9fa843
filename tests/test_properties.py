"""Property-based tests: save-then-open, offset conversions, rendering any selection."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.documents.files import Document, open_document, save_document
from engine.errors import DocumentError
from engine.text.offsets import OffsetMap, utf16_len
from engine.writing.assistant import neutralize
from engine.writing.templates import TemplateLibrary

CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # what a binary file is full of
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
ANY_TEXT = st.text(max_size=200)  # includes lone surrogates
LIBRARY = TemplateLibrary()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, newline=st.sampled_from(["\n", "\r\n"]),
       encoding=st.sampled_from(["utf-8", "utf-16-le"]), bom=st.booleans())
def test_save_then_open_round_trips(tmp_path_factory, text, newline, encoding, bom):
    folder: Path = tmp_path_factory.mktemp("rt")
    text = text.replace("\r", "")  # the editor holds "\n" newlines only
    doc = Document(encoding=encoding, bom=bom or encoding != "utf-8", newline=newline)
    path = folder / "doc.txt"
    if text and "\x00" in text:
        text = text.replace("\x00", "")
    save_document(doc, text, path)  # no surrogates: every text can be saved in both
    try:
        reopened = open_document(path)
    except DocumentError as exc:  # only UTF-8 without a mark that looks binary is refused
        controls = len(CONTROL.findall(text.replace("\n", newline)))
        assert "too many control characters" in str(exc), exc
        assert not doc.bom and controls > max(8, len(text) // 20), (controls, len(text))
        return
    assert reopened.text == text


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_offsets_convert_both_ways(text):
    offsets = OffsetMap(text)
    assert offsets.length16 == utf16_len(text) == len(
        text.encode("utf-16-le", "surrogatepass")) // 2
    for cp in range(len(text) + 1):
        unit = offsets.to_utf16(cp)
        assert offsets.to_cp(unit) == cp
        prefix = text[:cp].encode("utf-16-le", "surrogatepass")
        assert unit == len(prefix) // 2


@settings(max_examples=120, deadline=None)
@given(selection=ANY_TEXT.filter(lambda s: s.strip()),
       name=st.sampled_from(["proofread", "formal", "summarize", "continue"]))
def test_any_selection_renders_inside_its_delimiters(selection, name):
    template = LIBRARY.get(name)
    body = template.render({"input_text": neutralize(selection.strip()), "before": "",
                            "after": "", "length": 50, "facts": [], "voice_examples": []})
    assert body.count("<text>") == 1 and body.count("</text>") == 1
    inside = body.split("<text>", 1)[1].split("</text>", 1)[0]
    assert neutralize(selection.strip()) in inside
    assert not re.search(r"</?\s*text\s*>", neutralize(selection), re.I)


BLANK_LINES = re.compile(r"\r?\n(?:[ \t]*\r?\n)+")  # what a paragraph break is


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab. \t\r\n", max_size=60))
def test_paragraphs_are_the_pieces_between_blank_lines(text):
    """The fast paragraph split (a pattern starting with a plain "\\n") cuts exactly where
    the plain definition does, "\\r\\n" line ends included."""
    from engine.text.split import split_paragraphs

    pieces, pos = [], 0
    for found in BLANK_LINES.finditer(text):
        pieces.append((pos, text[pos:found.start()]))
        pos = found.end()
    pieces.append((pos, text[pos:]))
    expected = [(start, piece) for start, piece in pieces if piece.strip()]
    assert [(p.start, p.text) for p in split_paragraphs(text)] == expected


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.text(alphabet="ab 😀é", max_size=8), min_size=1, max_size=8),
       marks=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 9), st.integers(0, 3)),
                      max_size=10))
def test_line_spans_place_each_issue_in_its_line(lines, marks):
    """Underlines by line (worked out on the checker's thread) are where each issue's
    UTF-16 start falls among the lines, the last of two equal lines counting."""
    from bisect import bisect_right

    from engine.grammar.issues import Issue, line_spans

    text = "\n".join(lines)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += utf16_len(line) + 1
    issues = []
    for n, (line, at, length) in enumerate(marks):
        line = min(line, len(lines) - 1)
        start16 = starts[line] + min(at, utf16_len(lines[line]))
        issues.append(Issue(0, 0, start16, start16 + length, "m", "grammar", f"R{n}",
                            "harper", (), "x", f"k{n}"))
    expected: dict[int, list] = {}
    for issue in sorted(issues, key=lambda i: i.start16):
        index = bisect_right(starts, issue.start16) - 1
        expected.setdefault(index, []).append(
            (issue.start16 - starts[index], max(1, issue.end16 - issue.start16), "grammar"))
    by_text = {lines[index]: spans for index, spans in sorted(expected.items())}
    assert line_spans(text, issues) == by_text
