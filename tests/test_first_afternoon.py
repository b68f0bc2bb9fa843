"""What a new user met in the real window (pytest-qt; the xcb run is tests/test_x11.py):
unsaved work of every kind asked about on closing, an unknown type in Add to Knowledge,
where file dialogs start, the Issues list matching the underlines, the Prompt tab never
stale, a model's name, counting Chinese, the knowledge base's summary, scores on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from engine.config import load_settings
from engine.model.gguf import model_name
from engine.paths import resource_dir, start_folder
from engine.text.words import writers_word_count
from gui.knowledge.entry_dialog import EntryForm, KnowledgeEntryDialog

TRAVEL = resource_dir() / "ontology" / "travel.owl"


def answer_unsaved(qtbot, button_text: str, seen: list[str]) -> None:
    """Press ``button_text`` in the question about unsaved work once it shows, keeping its
    text in ``seen``."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "unsavedDialog":
            QTimer.singleShot(50, press)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(50, press)


def kb_window(ontology_window, tmp_path: Path):
    path = tmp_path / "travel.owl"
    shutil.copy(TRAVEL, path)
    return ontology_window(ontology=str(path)), path


def add_entry(qtbot, window, form: EntryForm) -> None:
    with qtbot.waitSignal(window.knowledge.changed, timeout=15000):
        window.knowledge.submit_add(form)


def test_quit_asks_about_an_unsaved_knowledge_entry_and_saves_it(qtbot, ontology_window,
                                                                 tmp_path):
    window, path = kb_window(ontology_window, tmp_path)
    before = path.read_bytes()
    add_entry(qtbot, window, EntryForm("individual", "Ada Quill", "city"))
    qtbot.waitUntil(lambda: window.knowledge.dirty, timeout=10000)
    window.setProperty("quiet", False)  # the question is the point here
    seen: list[str] = []
    answer_unsaved(qtbot, "Cancel", seen)
    assert not window.close()  # Cancel keeps the window and the change
    assert "knowledge base" in seen[0] and "Add Ada Quill" in seen[0]
    assert window.isVisible() and path.read_bytes() == before
    answer_unsaved(qtbot, "Save", seen)
    assert window.close()
    assert "Ada Quill" in path.read_text(encoding="utf-8")


def test_one_question_lists_every_kind_of_unsaved_work(qtbot, ontology_window, tmp_path):
    """The document, the knowledge base, a template being edited and settings changed in
    the dialog: one question names them all; Discard All closes and writes nothing."""
    from gui.assist.template_editor import TemplateEditor
    from gui.window.settings_dialog import SettingsDialog

    window, path = kb_window(ontology_window, tmp_path)
    before = path.read_bytes()
    window.editor.insertPlainText("Words nobody saved.")
    add_entry(qtbot, window, EntryForm("individual", "Ada Quill", "city"))
    qtbot.waitUntil(lambda: window.knowledge.dirty, timeout=10000)
    editor = TemplateEditor(window)
    editor.show()
    editor.source.setPlainText(editor.source.toPlainText().replace("My template", "Mine"))
    settings = SettingsDialog(window.settings, [], window)
    settings.show()
    settings.picky.setChecked(not settings.picky.isChecked())
    items = [item.what for item in window.unsaved_work()]
    assert len(items) == 4, items
    window.setProperty("quiet", False)
    seen: list[str] = []
    answer_unsaved(qtbot, "Discard All", seen)
    assert window.close()
    for part in ("document", "knowledge base", "template", "Settings"):
        assert part in seen[0], (part, seen[0])
    assert path.read_bytes() == before
    assert not list(Path(editor.folder).glob("*.toml"))  # the template was not written


def test_settings_applied_from_the_question_on_closing(qtbot, ontology_window):
    from gui.window.settings_dialog import SettingsDialog

    window = ontology_window()
    dialog = SettingsDialog(window.settings, [], window)
    dialog.on_apply = window.preferences.apply_settings
    dialog.show()
    assert dialog.unsaved() == []  # opened and untouched: nothing to ask about
    dialog.picky.setChecked(not window.settings.picky)
    wanted = dialog.picky.isChecked()
    (item,) = dialog.unsaved()
    assert item.save()
    assert load_settings()[0].picky == wanted and not dialog.isVisible()


def test_an_unknown_type_keeps_the_dialog_open_or_creates_the_class(qtbot, ontology_window,
                                                                    tmp_path):
    window, _path = kb_window(ontology_window, tmp_path)
    dialog = KnowledgeEntryDialog(["City", "Landmark"], [], [], EntryForm(name="Ada Quill"),
                                  parent=window)
    dialog.type.setText("person")
    dialog.confirm_new_type = lambda _name: False  # the writer says No
    dialog._accept()
    assert dialog.result() == 0 and "person" in dialog.error.text()
    assert dialog.name.text() == "Ada Quill"  # nothing typed is lost
    dialog.type.setText("city")  # a known class, in other capitals: no question
    asked: list[str] = []
    dialog.confirm_new_type = lambda name: asked.append(name) or True  # type: ignore
    dialog._accept()
    assert dialog.result() == 1 and not asked and not dialog.form().create_type
    dialog = KnowledgeEntryDialog(["City"], [], [], EntryForm(name="Ada Quill"), parent=window)
    dialog.type.setText("person")
    dialog.confirm_new_type = lambda _name: True
    dialog._accept()
    form = dialog.form()
    assert dialog.result() == 1 and form.create_type
    add_entry(qtbot, window, form)
    kb = window.knowledge.lane.query(lambda host, _ctx: host.browse())
    person = window.knowledge.lane.query(lambda host, _ctx: host.browse().resolve(
        "person", ("class",)))
    ada = window.knowledge.lane.query(lambda host, _ctx: host.browse().resolve(
        "Ada Quill", ("individual",)))
    assert person and ada and kb is not None


def test_the_summary_counts_entities_after_an_add(qtbot, ontology_window, tmp_path):
    window, _path = kb_window(ontology_window, tmp_path)
    qtbot.waitUntil(lambda: "entit" in window.ontology.info.text(), timeout=10000)
    count = int(window.ontology.info.text().split("\n")[1].split()[0])
    add_entry(qtbot, window, EntryForm("individual", "Ada Quill", "city"))
    qtbot.waitUntil(lambda: f"{count + 1} entities" in window.ontology.info.text(),
                    timeout=10000)


def test_a_click_on_ok_while_the_completer_is_open_presses_ok(qtbot, ontology_window):
    window = ontology_window()
    dialog = KnowledgeEntryDialog(["City", "Landmark"], [], [], EntryForm(name="Ada"),
                                  parent=window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.type.setFocus()
    dialog.confirm_new_type = lambda _name: False  # never a modal question here
    qtbot.keyClicks(dialog.type, "City")
    popup = dialog.type.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    ok = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "OK")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5000)
    if dialog.isVisible():  # offscreen has no popup grab: the click went to OK directly
        dialog.click_through.eventFilter(popup, _press_at(ok))
    assert dialog.result() == 1


def _press_at(widget):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    centre = widget.rect().center()
    point = QPointF(widget.mapToGlobal(centre))
    return QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(-5, -5), point,
                       Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)


def test_file_dialogs_start_where_the_document_is(tmp_path, monkeypatch):
    doc = tmp_path / "book" / "chapter.md"
    doc.parent.mkdir()
    doc.write_text("x")
    assert start_folder(doc, str(tmp_path)) == doc.parent
    assert start_folder(None, str(tmp_path)) == tmp_path
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(tmp_path / "book"))
    assert start_folder(None, str(tmp_path / "gone")) == tmp_path / "book"
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(tmp_path / "none"))
    assert start_folder(None, "") == Path.home()


def test_save_as_and_export_start_in_the_documents_folder(qtbot, ontology_window, tmp_path,
                                                           monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = ontology_window()
    doc = tmp_path / "novel" / "draft.md"
    doc.parent.mkdir()
    doc.write_text("Once upon a time.\n")
    with qtbot.waitSignal(window.documents.opened, timeout=10000):
        window.files.open_path(doc)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, start, _f: (asked.append(start), ("", ""))[1])
    window.files.save_as()
    assert asked == [str(doc)]
    window.files.new_document()
    window.files.save_as()  # no document path: the folder used last
    assert Path(asked[-1]).parent == doc.parent and asked[-1].endswith("Untitled.md")


def test_the_issues_list_shows_what_is_underlined(qtbot, ontology_window):
    window = ontology_window()
    window.editor.setPlainText("She go to school yesterday and buyed a apple.")
    qtbot.waitUntil(lambda: bool(window.editor.issues), timeout=20000)  # underlined
    qtbot.waitUntil(lambda: window.issues.count() == len(window.editor.issues),
                    timeout=10000)
    assert "No issues" not in window.issues.summary.text()


def test_a_partial_result_fills_the_list_and_says_more_may_come(qtbot):
    from engine.grammar.issues import Issue
    from gui.grammar.issues_panel import IssuesPanel

    panel = IssuesPanel()
    qtbot.addWidget(panel)
    issue = Issue(0, 2, 0, 2, "Did you mean “goes”?", "grammar", "R", "harper", ("goes",),
                  "go", "k")
    panel.show_issues([issue], "go home", complete=False)
    assert panel.count() == 1 and "still checking" in panel.summary.text()
    panel.show_issues([], "go home", complete=False)
    assert panel.summary.text() == "Checking…"
    panel.show_issues([], "go home")
    assert panel.summary.text() == "No issues found."


def test_the_prompt_tab_follows_the_template_and_the_text(qtbot, open_window):
    window = open_window()
    window.editor.setPlainText("The first paragraph is here.\n\nA second one, quite different.")
    panel, assist = window.panel, window.assist
    with qtbot.waitSignal(assist.prompt_shown, timeout=20000):
        assist.inspect_prompt()
    assert panel.inspector.key is not None and panel.inspector.tree.topLevelItemCount()
    panel.tabs.setCurrentIndex(0)  # away from the Prompt tab: a change clears it
    names = [panel.template.itemData(i) for i in range(panel.template.count())]
    other = next(i for i, n in enumerate(names) if n and n != panel.options().template)
    panel.template.setCurrentIndex(other)
    qtbot.waitUntil(lambda: panel.inspector.key is None, timeout=5000)
    assert panel.inspector.tree.topLevelItemCount() == 0
    assert "changed" in panel.inspector.summary.text()
    with qtbot.waitSignal(assist.prompt_shown, timeout=20000):
        assist.inspect_prompt()  # on view, moving to the other paragraph builds it again
    cursor = window.editor.textCursor()
    cursor.setPosition(len("The first paragraph is here.\n\nA"))
    with qtbot.waitSignal(assist.prompt_shown, timeout=20000):
        window.editor.setTextCursor(cursor)
    assert panel.inspector.key[1].startswith("A second one")


def test_a_models_name_is_the_one_a_writer_knows():
    assert model_name("Smollm2 135M 8k Lc100K Mix1 Ep2", Path("SmolLM2-135M-Instruct.Q4_1.gguf")
                      ) == "SmolLM2 135M Instruct"
    assert model_name("Qwen2.5 1.5B Instruct", Path("qwen2.5-1.5b-instruct-q4_k_m.gguf")) == \
        "Qwen2.5 1.5B Instruct"
    assert model_name(None, Path("my-model.gguf")) == "my model"


def test_chinese_counts_a_word_a_character():
    assert writers_word_count("他们是我的朋友们。") == 8
    assert writers_word_count("我今天去了商店 and bought milk.") == 10
    assert writers_word_count("Plain English words.") == 3


def test_the_status_bar_counts_chinese_words(qtbot, ontology_window):
    window = ontology_window()
    window.editor.setPlainText("他们是我的朋友们。")
    window.stats.update()
    assert window.status.counts.text().startswith("8 words")


def test_scores_are_shown_on_demand(qtbot):
    from engine.writing.assistant import Candidate
    from gui.assist.candidate_card import CandidateCard
    from gui.assist.target import Target

    card = CandidateCard(0, Target(0, 9, "She go home."))
    qtbot.addWidget(card)
    card.show()
    card.finish(Candidate(0, 1, "She goes home.", "She goes home.", score=0.9,
                          scores={"bleu": 0.5, "chatter": 0.0}))
    assert not card.details.isVisible() and "bleu" not in card.scores.text()
    card.more.click()
    assert card.details.isVisible() and "bleu 0.50" in card.details.text()


def test_an_offered_edit_is_taken_with_one_click(qtbot):
    from engine.writing.assistant import Candidate
    from gui.assist.candidate_card import CandidateCard
    from gui.assist.target import Target

    original = "My brother have visited many countrys."
    card = CandidateCard(0, Target(0, len(original), original))
    qtbot.addWidget(card)
    checked = Candidate(100, -1, original.replace("countrys", "countries"), "", round=0,
                        note="checked fixes", pinned=True,
                        edits=[{"start": 29, "end": 37, "old": "countrys", "new": "countries",
                                "source": "harper", "gain": 0.0}],
                        offers=[{"start": 11, "end": 15, "old": "have", "new": "has",
                                 "gain": 2.5}])
    card.finish(checked)
    (button,) = [b for b in card.offer_buttons if getattr(b, "text", lambda: "")() ==
                 "have → has"]
    button.click()
    assert checked.text == "My brother has visited many countries."
    assert not button.isEnabled() and "has" in card.body.toPlainText()


def test_the_recovery_dialog_counts_words_as_the_status_bar_does(qtbot, tmp_path):
    from engine.documents.journal import Journal, JournalEntry
    from gui.documents.recovery_dialog import RecoveryDialog

    entry = JournalEntry("d1", "", "Two words.\n\n他们是我的朋友们。", 0.0, 1)
    dialog = RecoveryDialog([entry], Journal(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.list.item(0).text() == "Untitled — 10 words"
