"""The review handed in and out: changes kept by the recovery journal or a Word file's
tracked changes, changes found elsewhere (continuity across a project), the journal's
copy, and a document's review set aside while another document is shown."""

from __future__ import annotations

from PySide6.QtCore import SignalInstance

from engine.review.pending import Pending, Review
from gui.editor.editor import Editor
from gui.review.undo import Decisions


class ReviewHandover:
    """Part of :class:`gui.review.controller.ReviewController`."""

    editor: Editor
    review: Review
    decisions: Decisions
    tracking: bool
    changed: SignalInstance
    message: SignalInstance

    def cancel(self) -> None:
        raise NotImplementedError

    def _track(self) -> None:
        raise NotImplementedError

    def _refresh(self) -> None:
        raise NotImplementedError

    def _draw(self) -> None:
        raise NotImplementedError

    def _contents_change(self, position: int, removed: int, added: int) -> None:
        raise NotImplementedError

    def restore(self, data: dict[str, object]) -> None:
        """Changes to review that were kept with this text: by the recovery journal (after
        a crash), or as a Word file's tracked changes."""
        self._track()
        try:
            restored = Review.from_json(self.editor.toPlainText(), data)
        except (ValueError, TypeError, KeyError, AttributeError):
            self.message.emit("The changes to review that were kept no longer fit the text; "
                              "they were left out.")
            return
        self.review = restored
        self._refresh()
        self.message.emit(f"{len(restored.changes)} change(s) to review: see the Review dock.")

    def offer(self, changes: list[Pending], what: str) -> int:
        """Changes found elsewhere (continuity across a project) added to the review of
        the text shown; those that overlap a change already pending are left out."""
        self._track()
        added = self.review.add(changes)
        self._refresh()
        self.message.emit(f"{len(added)} {what} to review: see the Review dock.")
        return len(added)

    def state(self) -> dict[str, object] | None:
        """What the recovery journal keeps: the changes still to review (None: none)."""
        return self.review.to_json() if self.review.changes else None

    def stash(self) -> tuple[Review, Decisions] | None:
        """Set the review of the document shown aside (another is about to be shown in the
        editor): its pending changes and its decisions, or None when it has neither.
        Proofreading that runs is cancelled first (what it found stays pending)."""
        self.cancel()
        kept = (self.review, self.decisions) if self.review.changes or self.decisions \
            else None
        if self.tracking:
            self.editor.document().contentsChange.disconnect(self._contents_change)
            self.tracking = False
        self.review, self.decisions = Review(""), Decisions()
        self._draw()
        self.changed.emit()
        return kept

    def unstash(self, kept: tuple[Review, Decisions] | None) -> None:
        """The review set aside with the document now shown again."""
        if kept is None:
            self._refresh()
            return
        self.review, self.decisions = kept
        self.editor.document().contentsChange.connect(self._contents_change)
        self.tracking = True
        self._refresh()
