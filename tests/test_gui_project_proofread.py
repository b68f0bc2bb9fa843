"""Proofread the Project with the real model and checkers: every document in the book's
order, each one's changes kept pending with it and counted in the Project dock."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.model
def test_proofread_the_project(open_window, qtbot, tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "01.md").write_text("She go home yesterday.\n")
    (book / "02.md").write_text("The weather is fine.\n")
    (book / "03.md").write_text("I recieved the letter today.\n")
    window = open_window()
    assert window.projects.create(book, "empty", "Errors")
    said: list[str] = []
    window.projects.proofread.message.connect(said.append)
    window.projects.proofread.start()
    qtbot.waitUntil(lambda: any(line.startswith("Proofread 3 document(s)") for line in said),
                    timeout=240000)
    counts = window.projects.controller.pending_counts()
    assert set(counts) == {"01.md", "03.md"}, (counts, said)
    assert any("to review" in row for row in
               [window.project_dock.tree.topLevelItem(n).text(2) for n in range(3)])
    window.projects.controller.open_document("01.md")
    assert {c.old for c in window.review.review.changes} >= {"go"}
    assert (book / "01.md").read_text() == "She go home yesterday.\n"  # nothing written
