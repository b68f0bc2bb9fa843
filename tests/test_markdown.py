"""Markdown in the editor: styling that keeps the grammar underlines, the preview, and
grammar checks that skip code and URLs."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextCharFormat

from conftest import base_settings
from engine.grammar.checker import GrammarChecker
from engine.text.markdown_mask import mask

TEXT = ("# Field notes\n\nWe saw **teh lake** and *willows*, then ran `teh tool`.\n\n"
        "- a list item\n\n```\nteh code\n```\n")


def formats_at(editor, block_number: int) -> list[tuple[int, int, QTextCharFormat]]:
    block = editor.document().findBlockByNumber(block_number)
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]


def covering(formats, start: int, end: int) -> list[QTextCharFormat]:
    return [f for s, n, f in formats if s <= start and end <= s + n]


def test_markdown_styling_and_underlines_together(qtbot, windows):
    from gui.window.main_window import MainWindow

    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    windows.append(window)
    editor = window.editor
    editor.highlighter.set_markdown(True)
    editor.setPlainText(TEXT)
    checker = GrammarChecker(base_settings(), engines=("harper",))
    result = checker.check(TEXT, markup="markdown")
    editor.set_issues(result.issues, TEXT)
    qtbot.waitUntil(lambda: not editor.highlighter._queue, timeout=5000)
    heading = formats_at(editor, 0)
    assert any(f.fontWeight() >= QFont.Weight.Bold.value for _, _, f in heading)
    line = editor.document().findBlockByNumber(2).text()
    teh = line.index("teh lake")
    styles = covering(formats_at(editor, 2), teh, teh + 3)
    assert any(f.fontWeight() >= QFont.Weight.Bold.value for f in styles), "bold kept"
    assert any(f.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
               for f in styles), "and underlined"
    code = line.index("teh tool")
    assert any("monospace" in f.fontFamilies() for f in covering(formats_at(editor, 2), code,
                                                                 code + 3))
    assert not any(i.text == "teh" and i.start > TEXT.index("`") for i in result.issues
                   if TEXT[i.start - 1] != "*"), "Harper skips inline code and code blocks"
    fenced = editor.document().findBlockByNumber(7)
    assert fenced.text() == "teh code" and covering(formats_at(editor, 7), 0, 3)


def test_the_preview_renders_and_follows_the_editor(qtbot, windows):
    from gui.window.main_window import MainWindow

    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    windows.append(window)
    window.show()
    long_text = TEXT + "\n".join(f"Paragraph {i} about the lake.\n" for i in range(300))
    window.editor.setPlainText(long_text)
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                  if a.objectName() == "showpreview")
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    action.trigger()
    preview = window.preview
    qtbot.waitUntil(lambda: "Field notes" in preview.toPlainText(), timeout=5000)
    assert "# Field" not in preview.toPlainText() and "**" not in preview.toPlainText()
    qtbot.keyClicks(window.editor, "Fresh words. ")
    qtbot.waitUntil(lambda: "Fresh words." in preview.toPlainText(), timeout=5000)
    bar = window.editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: preview.verticalScrollBar().value() >
                    0.9 * preview.verticalScrollBar().maximum(), timeout=5000)


def test_languagetool_does_not_read_code_or_urls(lt_engine):
    text = ("See `teh snippet` at https://exmaple.com/teh-page and [teh link](http://a.b/teh)."
            "\n\n```\nteh code here\n```\n\nAnd teh end.")
    checker = GrammarChecker(base_settings(), engines=("languagetool",), lt=lt_engine)
    flagged = [text[i.start:i.end] + f"@{i.start}" for i in checker.check(
        text, markup="markdown").issues]
    words = [f.split("@")[0] for f in flagged]
    assert words.count("teh") == 2, flagged  # the link's text and the last sentence
    assert all(int(f.split("@")[1]) in (text.index("teh link"), text.rindex("teh"))
               for f in flagged if f.startswith("teh@"))
    assert len(mask(text)) == len(text)


def test_fenced_code_blocks_are_found_with_their_fences():
    from engine.text.markdown_mask import fenced_spans

    text = "Prose.\n\n```py\nteh code\n\n~~~\nit go\n```\nAfter.\n   ~~~\nleft open"
    first, second = fenced_spans(text)
    # a ~~~ line does not close a ``` block; a blank line inside does not end it either
    assert text[slice(*first)] == "```py\nteh code\n\n~~~\nit go\n```"
    assert text[slice(*second)] == "   ~~~\nleft open"  # open to the end, as CommonMark
    assert fenced_spans("No code at all.\n\n    indented is not fenced") == []
