"""A project in the window (offscreen, no workers): the tree, documents set aside whole,
search, replace with each hit ticked, outside changes, building, and closing with
unsaved work in documents set aside."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from engine.project.manifest import FILE_NAME
from engine.review.pending import Pending, Review
from helpers import write


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    write(root / "Part One" / "01 Arrival.md", "# Arrival\n\nMr. Darcy came to Netherfield.\n")
    write(root / "Part One" / "02 Ball.md", "# The Ball\n\nDarcy would not dance. Darcy's "
          "pride.\n")
    write(root / "03 Letter.md", "# A Letter\n\n达西先生去了杭州。\n")
    return root


@pytest.fixture
def opened(plain_window, qtbot, book: Path):
    window = plain_window()
    assert window.projects.create(book, "empty", "Pride")
    controller = window.projects.controller
    qtbot.waitUntil(lambda: not controller.indexing, timeout=20000)
    assert window.documents.doc.path.name == "03 Letter.md"  # the book's first, opened
    controller.open_document("Part One/01 Arrival.md")
    return window


def rows(window) -> list[tuple[str, str, str]]:
    tree = window.project_dock.tree
    out = []

    def walk(item, depth):
        out.append(("  " * depth + item.text(0), item.text(1), item.text(2)))
        for n in range(item.childCount()):
            walk(item.child(n), depth + 1)

    for n in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(n), 0)
    return out


def test_the_tree_shows_the_book_in_order_with_words(opened, qtbot) -> None:
    qtbot.waitUntil(lambda: rows(opened)[0][1] == "10", timeout=10000)
    assert rows(opened) == [("03 Letter.md", "10", "draft"), ("Part One", "14", ""),
                            ("  01 Arrival.md", "6", "draft"), ("  02 Ball.md", "8", "draft")]
    assert "Pride: 24 words" in opened.project_dock.title.text()
    shown = opened.project_dock.tree.topLevelItem(1).child(0)
    assert shown.font(0).bold()  # the document in the editor


def test_a_document_set_aside_keeps_its_text_undo_and_review(opened, book) -> None:
    projects, editor = opened.projects.controller, opened.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("Typed, not saved.")
    text = editor.toPlainText()
    darcy = text.index("Darcy")
    opened.documents.review_restored.emit(Review(text, [
        Pending(0, darcy, darcy + 5, "Darcy", "Bingley", "replace")]).to_json())
    assert len(opened.review.review.changes) == 1
    projects.open_document("03 Letter.md")
    assert opened.editor.toPlainText().startswith("# A Letter")
    assert not opened.documents.dirty and not opened.review.review.changes
    assert [u.what for u in opened.unsaved_work()] == ["The document “01 Arrival.md”"]
    projects.open_document("Part One/01 Arrival.md")
    assert opened.editor.toPlainText() == text and opened.documents.dirty
    assert [c.new for c in opened.review.review.changes] == ["Bingley"]
    opened.editor.undo()
    assert "Typed, not saved." not in opened.editor.toPlainText()
    assert (book / "Part One/01 Arrival.md").read_text().endswith("Netherfield.\n")


def test_search_opens_the_document_at_the_hit(opened, qtbot) -> None:
    panel = opened.search_panel
    opened.projects.show_search()
    panel.query.setText("darcy")
    panel.whole.setChecked(True)
    with qtbot.waitSignal(opened.projects.controller.searched, timeout=10000):
        panel.find_button.click()
    groups = [panel.results.topLevelItem(n).text(0)
              for n in range(panel.results.topLevelItemCount())]
    assert groups == ["Part One/02 Ball.md", "Part One/01 Arrival.md"]  # most hits first
    second = panel.results.topLevelItem(0).child(1)
    assert "«Darcy»'s pride" in second.text(1)
    panel.results.itemClicked.emit(second, 0)
    assert opened.documents.doc.path.name == "02 Ball.md"
    cursor = opened.editor.textCursor()
    assert cursor.selectedText() == "Darcy"
    assert opened.editor.toPlainText()[cursor.selectionStart() - 5:].startswith("nce. Darcy's")
    panel.whole.setChecked(False)  # Chinese has no spaces between words
    panel.query.setText("杭州")
    with qtbot.waitSignal(opened.projects.controller.searched, timeout=10000):
        panel.find_button.click()
    assert panel.results.topLevelItem(0).text(0) == "03 Letter.md"


def test_replace_with_each_hit_ticked_then_undone(opened, qtbot, book) -> None:
    panel = opened.search_panel
    panel.query.setText("Darcy")
    panel.replacement.setText("Bingley")
    panel.whole.setChecked(True)
    with qtbot.waitSignal(opened.projects.searching.previewed, timeout=10000):
        panel.preview_button.click()
    assert "3 change(s) in 2 document(s)" in panel.summary.text()
    ball = next(panel.results.topLevelItem(n) for n in range(2)
                if panel.results.topLevelItem(n).text(0) == "Part One/02 Ball.md")
    ball.child(1).setCheckState(0, ball.child(1).checkState(0).Unchecked)  # keep "Darcy's"
    panel.apply_button.click()
    assert (book / "Part One/02 Ball.md").read_text() == \
        "# The Ball\n\nBingley would not dance. Darcy's pride.\n"
    assert "Mr. Bingley came" in opened.editor.toPlainText()  # the shown one, read again
    assert not opened.documents.dirty
    panel.undo_button.click()
    assert "Mr. Darcy came" in (book / "Part One/01 Arrival.md").read_text()
    assert (book / "Part One/02 Ball.md").read_text().startswith("# The Ball\n\nDarcy would")
    assert "Mr. Darcy came" in opened.editor.toPlainText()


def test_a_document_with_unsaved_edits_is_left_out_of_a_replace(opened, qtbot, book) -> None:
    opened.editor.insertPlainText("Darcy ")
    panel = opened.search_panel
    panel.query.setText("Darcy")
    panel.replacement.setText("Bingley")
    with qtbot.waitSignal(opened.projects.searching.previewed, timeout=10000):
        panel.preview_button.click()
    assert "Not searched, as they have unsaved edits: 01 Arrival.md" in panel.summary.text()
    assert [panel.results.topLevelItem(n).text(0)
            for n in range(panel.results.topLevelItemCount())] == ["Part One/02 Ball.md"]


def test_outside_changes_reload_a_clean_document_and_ask_about_an_edited_one(
        opened, qtbot, book, monkeypatch) -> None:
    write(book / "Part One/01 Arrival.md", "# Arrival\n\nChanged by git.\n")
    qtbot.waitUntil(lambda: "Changed by git." in opened.editor.toPlainText(), timeout=10000)
    write(book / "New chapter.md", "# New\n")
    qtbot.waitUntil(lambda: ("Not in the book", "", "") in rows(opened), timeout=10000)
    opened.editor.insertPlainText("My edit. ")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or
                        QMessageBox.StandardButton.No)
    write(book / "Part One/01 Arrival.md", "# Arrival\n\nChanged again.\n")
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "unsaved edits" in asked[0]
    assert "My edit. " in opened.editor.toPlainText() and opened.documents.dirty


def test_tree_operations_and_undo(opened, qtbot, monkeypatch, book) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Epilogue", True))
    opened.projects.new_document("")
    assert opened.documents.doc.path == book / "Epilogue.md"
    # its words once the index (on a worker) has read it
    qtbot.waitUntil(lambda: ("Epilogue.md", "1", "draft") in rows(opened), timeout=10000)
    opened.project_dock.moved.emit("Epilogue.md", "Part One/", 0)
    assert rows(opened)[2][0] == "  Epilogue.md"
    assert opened.documents.doc.path is not None
    opened.project_dock.delete.emit("03 Letter.md")
    assert not (book / "03 Letter.md").exists()
    trash = list((Path(str(book.parent / "xdg-data")) / "Trash" / "files").iterdir())
    assert [p.name for p in trash] == ["03 Letter.md"]
    opened.project_dock.undo.emit()
    assert (book / "03 Letter.md").read_text().startswith("# A Letter")
    opened.project_dock.undo.emit()
    assert (book / "Epilogue.md").exists()
    assert "Epilogue.md" in (book / FILE_NAME).read_text()


def test_build_from_the_window(opened, monkeypatch, tmp_path) -> None:
    from gui.project import build_dialog

    target = tmp_path / "out" / "Pride.epub"
    target.parent.mkdir()
    monkeypatch.setattr(build_dialog.BuildDialog, "exec",
                        lambda self: (self.output.setText(str(target)), self.documents.item(2)
                                      .setCheckState(self.documents.item(2).checkState()
                                                     .Unchecked))
                        and QDialog.DialogCode.Accepted)
    opened.projects.build()
    with zipfile.ZipFile(target) as book:
        names = book.namelist()
    assert [n for n in names if "chapter-" in n] == ["EPUB/chapter-001.xhtml",
                                                    "EPUB/chapter-002.xhtml"]
    assert 'only = [' in (opened.projects.controller.project.root / FILE_NAME).read_text()


def test_the_projects_dictionary_holds_its_names_in_this_book_only(ontology_window, qtbot,
                                                                     book) -> None:
    from engine.grammar.wordlist import personal_dictionary

    window = ontology_window()
    (book / "03 Letter.md").write_text("# A Letter\n\nZorblatt wrote to Qwillanth.\n")
    assert window.projects.create(book, "empty", "Pride")
    window.projects.controller.open_document("03 Letter.md")

    def flagged() -> set[str]:
        with qtbot.waitSignal(window.grammar.checked, timeout=30000) as got:
            window.grammar.check_now()
        text = window.editor.toPlainText()
        return {text[i.start:i.end] for i in got.args[0].issues}

    assert {"Zorblatt", "Qwillanth"} <= flagged()
    window.editor.add_word.emit("Zorblatt")
    assert "Zorblatt" not in flagged()
    assert 'dictionary = [\n    "Zorblatt",\n]' in (book / FILE_NAME).read_text()
    assert "Zorblatt" not in personal_dictionary().items
    window.projects.close_project()
    assert "Zorblatt" in flagged()  # another book knows nothing of it
    window.projects.open_folder(book)
    assert "Zorblatt" not in flagged()


def test_project_statistics_and_its_goal(opened, qtbot, monkeypatch, book) -> None:
    import datetime as dt

    from gui.project import stats_dialog

    shown = []

    def answer(self) -> QDialog.DialogCode:
        shown.append((self.summary.text(), self.table.topLevelItemCount()))
        self.goal_words.setValue(90_000)
        self.by_date.setChecked(True)
        self.deadline.setDate(self.deadline.date().currentDate().addDays(9))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(stats_dialog.ProjectStatsDialog, "exec", answer)
    opened.projects.statistics()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "<b>24</b> words in 3 documents" in shown[0][0] and shown[0][1] == 3
    text = (book / FILE_NAME).read_text()
    by = (dt.date.today() + dt.timedelta(days=9)).isoformat()
    assert f"words = 90000\nby = {by}" in text
    opened.projects.statistics()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    assert "Goal 90,000 words by" in shown[1][0]
    assert "89,976 to go: 8,998 words a day" in shown[1][0]


def test_go_to_document_finds_it_by_part_of_its_name(opened, monkeypatch) -> None:
    from gui.project import switcher

    def answer(self) -> QDialog.DialogCode:
        self.query.setText("ball")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(switcher.QuickSwitcher, "exec", answer)
    opened.projects.go_to()
    assert opened.documents.doc.path.name == "02 Ball.md"


def test_a_documents_target_and_synopsis(opened, monkeypatch, book) -> None:
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (1000, True))
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Darcy arrives; nobody likes him.", True))
    opened.projects.describe("Part One/01 Arrival.md", "target")
    opened.projects.describe("Part One/01 Arrival.md", "synopsis")
    arrival = opened.project_dock.tree.topLevelItem(1).child(0)
    assert arrival.text(1) == "6 / 1,000" and arrival.toolTip(1).startswith("1 % of the target")
    assert arrival.toolTip(0) == "Darcy arrives; nobody likes him."
    text = (book / FILE_NAME).read_text()
    assert 'synopsis = "Darcy arrives; nobody likes him."' in text and "target = 1000" in text
