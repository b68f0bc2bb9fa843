"""Find People and Places in the window (offscreen, no workers): proposals read on a
worker, accepted into the project's own knowledge base (and its dictionary), dismissed
for good, a mention opened, and a misspelled name put into the Review dock."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.project.manifest import read_manifest
from helpers import STORY, write
from ontology.kb import KnowledgeBase
from ontology.kb_types import COMMENT
from ontology.story_kb import entry_names, kb_path


@pytest.fixture
def story(plain_window, qtbot, tmp_path: Path):
    book = tmp_path / "book"
    write(book / "01.md", STORY)
    write(book / "02.md", STORY.replace("Mr. Quarrington came", "Mr. Quarington came"))
    window = plain_window()
    assert window.projects.create(book, "empty", "Moors")
    qtbot.waitUntil(lambda: not window.projects.controller.indexing, timeout=20000)
    with qtbot.waitSignal(window.projects.story.computed, timeout=30000):
        window.projects.story.open()
    return window


def proposed(window) -> list[str]:
    tree = window.projects.story.dialog.proposals
    return [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]


def test_proposals_accepted_into_the_projects_knowledge_base(story, qtbot) -> None:
    dialog = story.projects.story.dialog
    assert set(proposed(story)) == {"Elizabeth Bennet", "Quarrington", "Brackenford",
                                    "Ostmere"}
    assert "2 name(s) that look misspelled" not in dialog.summary.text()
    dialog.proposals.topLevelItem(proposed(story).index("Elizabeth Bennet")).setSelected(True)
    with qtbot.waitSignal(story.projects.story.computed, timeout=30000):
        dialog.buttons["accept"].click()
    root = story.projects.controller.project.root
    kb = KnowledgeBase.open(kb_path(root))
    assert {"Elizabeth Bennet", "Lizzy", "Eliza"} <= entry_names(kb)
    kb.close()
    tree = dialog.proposals  # in the knowledge base now: marked, and listed last
    assert tree.topLevelItem(tree.topLevelItemCount() - 1).text(0) == "Elizabeth Bennet"
    assert tree.topLevelItem(tree.topLevelItemCount() - 1).text(1) == "person ✓"
    assert {"Elizabeth", "Bennet", "Lizzy"} <= set(read_manifest(root).words)


def test_a_dismissed_proposal_stays_dismissed(story, qtbot) -> None:
    dialog = story.projects.story.dialog
    dialog.proposals.topLevelItem(proposed(story).index("Ostmere")).setSelected(True)
    with qtbot.waitSignal(story.projects.story.computed, timeout=30000):
        dialog.buttons["dismiss"].click()
    assert "Ostmere" not in proposed(story)
    assert "Ostmere" in read_manifest(story.projects.controller.project.root).dismissed


def test_a_mention_opens_its_place_and_a_slip_goes_to_the_review(story) -> None:
    dialog = story.projects.story.dialog
    dialog.proposals.topLevelItem(proposed(story).index("Quarrington")).setSelected(True)
    dialog.mentions.itemActivated.emit(dialog.mentions.item(0))
    assert story.documents.doc.path.name == "01.md"
    assert story.editor.textCursor().selectedText() == "Mr. Quarrington"
    group = dialog.findings.topLevelItem(0)
    assert (group.text(0), group.child(0).text(1), group.child(0).text(2)) == \
        ("02.md", "Quarington", "Quarrington")
    dialog.findings.itemActivated.emit(group.child(0), 0)
    assert story.documents.doc.path.name == "02.md"
    assert [(c.old, c.new, c.source) for c in story.review.review.changes] == [
        ("Quarington", "Quarrington", "continuity")]


def test_prompts_know_the_book(ontology_window, qtbot, tmp_path: Path) -> None:
    """Accepted entries give the assistant's facts, beside the writer's own ontology's,
    each saying where it came from; the Ontology dock shows the project's."""
    book = tmp_path / "book"
    write(book / "01.md", STORY)
    window = ontology_window()
    assert window.projects.create(book, "empty", "Moors")
    qtbot.waitUntil(lambda: not window.projects.controller.indexing, timeout=20000)
    with qtbot.waitSignal(window.projects.story.computed, timeout=30000):
        window.projects.story.open()
    dialog = window.projects.story.dialog
    dialog.proposals.topLevelItem(proposed(window).index("Quarrington")).setSelected(True)
    with qtbot.waitSignal(window.assist.ontology_opened, timeout=60000) as opened:
        dialog.buttons["accept"].click()
    assert opened.args[0]["path"].endswith("story-bible.owl") and opened.args[0]["also"]
    window.editor.setPlainText("Quarrington bowed to everyone at the ball.")
    facts = window.panel.facts
    qtbot.waitUntil(lambda: facts.list.count() > 0, timeout=30000)
    shown = [facts.list.item(n) for n in range(facts.list.count())]
    ours = [item for item in shown if "⟨story bible⟩" in item.text()]
    assert ours and "story-bible.owl" in ours[0].toolTip()
    assert any("Quarrington" in item.text() for item in ours)
    window.editor.setPlainText("Quarrington bowed low.\n\nThe rain went on all day.")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    window.assist.refresh_facts()  # the paragraph around it names him: his facts come too
    qtbot.waitUntil(lambda: facts.entities.text() == "No ontology entities in this text."
                    and any("⟨story bible⟩" in facts.list.item(n).text()
                            for n in range(facts.list.count())), timeout=30000)
    with qtbot.waitSignal(window.assist.ontology_opened, timeout=60000) as reopened:
        window.projects.close_project()  # the writer's own ontology alone again
    assert not reopened.args[0]["also"] and window.assist.project_ontology == ""


def test_facts_from_the_text_go_into_the_entry_with_their_source(story, qtbot) -> None:
    dialog = story.projects.story.dialog
    dialog.proposals.topLevelItem(proposed(story).index("Elizabeth Bennet")).setSelected(True)
    with qtbot.waitSignal(story.projects.story.computed, timeout=30000):
        dialog.buttons["accept"].click()
    dialog.proposals.clearSelection()
    last = dialog.proposals.topLevelItem(dialog.proposals.topLevelItemCount() - 1)
    last.setSelected(True)
    with qtbot.waitSignal(story.projects.story.accepted, timeout=30000):
        dialog.buttons["facts"].click()
    kb = KnowledgeBase.open(kb_path(story.projects.controller.project.root))
    iri = kb.resolve("Elizabeth Bennet", ("individual",))
    description = " ".join(str(v) for v in kb._objects(iri, COMMENT))
    kb.close()
    assert "lives at Brackenford (01.md, line 3)" in description
