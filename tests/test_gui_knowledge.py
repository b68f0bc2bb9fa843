"""The knowledge base in the window (pytest-qt, the real sample and pizza ontologies):
browse, search, add from a selection, edit, delete, undo, save, reload, the facts' link
back, mentions in the document, a new knowledge base per document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from conftest import PIZZA
from engine.documents.ontology_links import ontology_for
from engine.paths import resource_dir
from gui.knowledge.entry_dialog import EntryForm

TRAVEL = resource_dir() / "ontology" / "travel.owl"
T = "http://wordloom.app/ontology/travel#"
TEXT = ("We walked to West Lake and then up to the Broken Bridge.\n\n"
        "Lunch was Dongpo pork by West Lake.\n")


def open_kb(ontology_window, tmp_path: Path, source: Path = TRAVEL):
    path = tmp_path / source.name
    shutil.copy(source, path)
    window = ontology_window(ontology=str(path))
    return window, path


def wait_tree(qtbot, window):
    qtbot.waitUntil(lambda: window.ontology.tree.topLevelItemCount() > 0, timeout=30000)


def test_browse_search_and_details_with_mentions(qtbot, ontology_window, tmp_path):
    window, _path = open_kb(ontology_window, tmp_path)
    window.editor.setPlainText(TEXT)
    panel = window.ontology
    wait_tree(qtbot, window)
    tops = {panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())}
    assert "place" in tops
    panel.search.setText("西湖")  # the matcher's folding finds the Chinese label
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2, timeout=10000)
    assert panel.tree.topLevelItem(0).text(0) == "West Lake  (individual)"  # the whole name
    assert "West Lake fish" in panel.tree.topLevelItem(1).text(0)  # then where it is a part
    with qtbot.waitSignal(window.knowledge.shown, timeout=10000):
        panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    html = panel.details.toHtml()
    assert "西湖" in html and "located in" in html and "in the document (2)" in html
    panel.mention_clicked.emit(TEXT.rindex("West Lake"), TEXT.rindex("West Lake") + 9)
    assert window.editor.textCursor().selectedText() == "West Lake"


@pytest.mark.java
def test_add_from_a_selection_then_undo_redo_save_and_reload(qtbot, ontology_window, tmp_path):
    window, path = open_kb(ontology_window, tmp_path)
    window.editor.setPlainText(TEXT)
    wait_tree(qtbot, window)
    cursor = window.editor.textCursor()
    start = TEXT.index("Broken Bridge")
    cursor.setPosition(start)
    cursor.setPosition(start + len("Broken Bridge"), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    knowledge = window.knowledge
    window.findChild(type(window.menuBar().actions()[0]), "addknowledge").trigger()
    qtbot.waitUntil(lambda: getattr(knowledge, "dialog", None) is not None, timeout=10000)
    dialog = knowledge.dialog
    assert dialog.name.text() == "Broken Bridge"
    assert dialog.type.completer().model().rowCount() > 5  # classes to complete from
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.submit_add(EntryForm("individual", "Broken Bridge", "landmark",
                                       [("zh", "断桥")], "A bridge on the Bai Causeway.",
                                       [("located in", "Hangzhou"), ("near to", "West Lake")]))
    qtbot.waitUntil(lambda: knowledge.panel.current == T + "BrokenBridge", timeout=10000)
    assert window.ontology.save_button.isEnabled() and window.ontology.undo_button.isEnabled()
    # the paragraph's entries and the facts follow at once, without saving
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.waitUntil(lambda: any("Broken Bridge" in window.ontology.entities.item(i).text()
                                for i in range(window.ontology.entities.count())),
                    timeout=10000)
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        window.ontology.undo_button.click()
    assert "BrokenBridge" not in path.read_text(encoding="utf-8")
    qtbot.waitUntil(window.ontology.redo_button.isEnabled, timeout=10000)
    assert window.ontology.redo_button.toolTip() == "Redo Add Broken Bridge"
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        window.ontology.redo_button.click()
    qtbot.waitUntil(window.ontology.save_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        window.ontology.save_button.click()
    saved = rdflib.Graph().parse(path, format="xml")
    original = rdflib.Graph().parse(TRAVEL, format="xml")
    assert set(original) - set(saved) == set()
    bridge = rdflib.URIRef(T + "BrokenBridge")
    assert (bridge, rdflib.RDFS.label, rdflib.Literal("断桥", lang="zh")) in saved
    assert {str(s) for s, _p, _o in set(saved) - set(original)} <= {T + "BrokenBridge",
                                                                     T + "nearTo"}
    qtbot.waitUntil(lambda: "consistent" in window.ontology.status.text(), timeout=60000)
    # reload: the entry is in the file
    window.assist.start_ontology()
    qtbot.waitUntil(lambda: window.ontology.select(T + "BrokenBridge"), timeout=30000)


def test_a_name_that_exists_offers_the_existing_entry(qtbot, ontology_window, tmp_path):
    window, _path = open_kb(ontology_window, tmp_path)
    wait_tree(qtbot, window)
    knowledge = window.knowledge
    with qtbot.waitSignal(knowledge.shown, timeout=10000) as shown:
        knowledge.submit_add(EntryForm("individual", "west lake", "lake"))
    assert shown.args == [T + "WestLake"]
    assert "already in the knowledge base" in window.ontology.status.text()


def test_edit_and_delete_on_pizza_then_undo(qtbot, ontology_window, tmp_path):
    window, path = open_kb(ontology_window, tmp_path, PIZZA)
    wait_tree(qtbot, window)
    knowledge = window.knowledge
    panel = window.ontology
    panel.search.setText("margherita")
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0, timeout=10000)
    iri = panel.tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(knowledge.shown, timeout=10000):
        knowledge.show(iri)
    knowledge.edit(iri)
    qtbot.waitUntil(lambda: getattr(knowledge, "editing", None) is not None, timeout=10000)
    form = knowledge.dialog.form()
    form.labels = [*form.labels, ("zh", "玛格丽特")]
    form.comment = "The classic."
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.submit_edit(form)
    qtbot.waitUntil(lambda: "玛格丽特" in panel.details.toHtml(), timeout=10000)
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.delete(iri)
    assert panel.current == ""
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.undo()
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        knowledge.save()
    saved = rdflib.Graph().parse(path, format="xml")
    assert (rdflib.URIRef(iri), rdflib.RDFS.comment, rdflib.Literal("The classic.")) in saved


def test_a_file_changed_on_disk_is_reported_before_overwriting(qtbot, ontology_window, tmp_path):
    window, path = open_kb(ontology_window, tmp_path)
    wait_tree(qtbot, window)
    knowledge = window.knowledge
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.submit_add(EntryForm("individual", "Apollo Inn", "city"))
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with qtbot.waitSignal(knowledge.failed, timeout=10000) as failed:
        knowledge.save()
    assert "changed on disk" in failed.args[0]
    assert "ApolloInn" not in path.read_text(encoding="utf-8")
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        knowledge.save(force=True)
    assert "ApolloInn" in path.read_text(encoding="utf-8")


def test_a_fact_links_back_to_its_entity(qtbot, ontology_window, tmp_path):
    window, _path = open_kb(ontology_window, tmp_path)
    window.editor.setPlainText("Lunch was Dongpo pork by West Lake.")
    facts = window.panel.facts
    qtbot.waitUntil(lambda: facts.list.count() > 0, timeout=30000)
    item = facts.list.item(0)
    iri = item.data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(window.knowledge.shown, timeout=10000) as shown:
        facts.list.itemDoubleClicked.emit(item)
    assert shown.args == [iri] and window.ontology.current == iri


def test_a_new_knowledge_base_is_remembered_for_its_document(qtbot, ontology_window, tmp_path):
    window, _path = open_kb(ontology_window, tmp_path)
    doc = tmp_path / "novel.md"
    doc.write_text("Ada Quill opened the door.\n", encoding="utf-8")
    with qtbot.waitSignal(window.documents.opened, timeout=10000):
        window.documents.open(doc)
    kb = tmp_path / "novel.owl"
    with qtbot.waitSignal(window.assist.ontology_opened, timeout=30000):
        window.knowledge.new_knowledge_base(str(kb))
    assert window.settings.ontology == str(kb) and kb.exists()
    qtbot.waitUntil(lambda: ontology_for(doc) == str(kb.resolve()), timeout=10000)
    knowledge = window.knowledge
    with qtbot.waitSignal(knowledge.changed, timeout=20000):
        knowledge.submit_add(EntryForm("class", "Character"))
    with qtbot.waitSignal(knowledge.changed, timeout=20000):
        knowledge.submit_add(EntryForm("individual", "Ada Quill", "Character"))
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        knowledge.save()
    assert "AdaQuill" in kb.read_text(encoding="utf-8")


def test_the_bundled_sample_is_never_written_in_place(qtbot, ontology_window):
    window = ontology_window()  # no ontology set: the sample
    before = TRAVEL.read_bytes()
    knowledge = window.knowledge
    qtbot.waitUntil(lambda: window.ontology.tree.topLevelItemCount() > 0, timeout=30000)
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.submit_add(EntryForm("individual", "Apollo Inn", "city"))
    with qtbot.waitSignal(knowledge.failed, timeout=10000) as failed:
        knowledge.save()
    assert "sample that comes with Wordloom; use Save As" in failed.args[0]
    assert TRAVEL.read_bytes() == before


@pytest.mark.java
def test_an_inconsistent_edit_is_reported_and_undone(qtbot, ontology_window, tmp_path):
    window, path = open_kb(ontology_window, tmp_path, PIZZA)
    wait_tree(qtbot, window)
    knowledge = window.knowledge
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.submit_add(EntryForm("individual", "Odd Slice", "Margherita"))
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge._run(lambda host, _ctx: host.kb().update(
            host.kb().resolve("Odd Slice"), add_types=["MozzarellaTopping"]),
            knowledge._changed)
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        knowledge.save()
    qtbot.waitUntil(lambda: "inconsistent" in window.ontology.status.text(), timeout=90000)
    assert "Odd Slice" in window.ontology.status.text()
    with qtbot.waitSignal(knowledge.changed, timeout=10000):
        knowledge.undo()
    with qtbot.waitSignal(knowledge.saved, timeout=30000):
        knowledge.save()
    qtbot.waitUntil(lambda: window.ontology.status.text().startswith(
        "The ontology is consistent"), timeout=90000)  # pizza.owl's own two empty classes
    saved = rdflib.Graph().parse(path, format="xml")
    odd = next(s for s in saved.subjects() if str(s).endswith("#OddSlice"))
    assert {str(o).rsplit("#", 1)[-1] for o in saved.objects(odd, rdflib.RDF.type)} == \
        {"NamedIndividual", "Margherita"}
