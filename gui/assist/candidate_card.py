"""One suggestion: its text as a word diff against the original, its scores, its actions."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.review.changes import Change, apply_changes, changes_between, review_html
from engine.writing.assistant import Candidate
from engine.writing.proofread import Edit, apply_edits
from gui.assist.target import Target


class CandidateCard(QFrame):
    accept = Signal(object)
    insert_after = Signal(object)
    copy = Signal(object)
    regenerate = Signal(object)

    def __init__(self, index: int, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("candidateCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index = index
        self.target = target  # where the suggestion goes; shared by its generation
        self.original = target.original  # what the diff is against
        self.candidate: Candidate | None = None
        self.changes: list[Change] = []  # the suggestion, change by change
        self.taken: set[int] = set()  # the changes Accept makes (all, unless some are left)
        self._raw = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(f"Suggestion {index + 1} — writing…")
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)  # a long title must not widen the card past the panel
        layout.addWidget(self.title)
        self.body = QTextBrowser()
        self.body.setAccessibleName(f"Suggestion {index + 1} text")
        self.body.setOpenLinks(False)
        self.body.anchorClicked.connect(self._clicked)  # a change: take it or leave it
        self.body.setMinimumHeight(70)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.body)
        self.scores = QLabel("")
        self.scores.setWordWrap(True)
        self.scores.setObjectName("cardScores")
        self.scores.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.scores)
        self.details = QLabel("")  # the scores behind the rank, shown on demand
        self.details.setWordWrap(True)
        self.details.setObjectName("cardDetails")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        layout.addWidget(self.details)
        self.offers = QHBoxLayout()  # edits the other cards make, one click each (take)
        self.offer_buttons: list[QWidget] = []  # the label and the buttons
        layout.addLayout(self.offers)
        row = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key, label, signal in (("accept", "&Accept", self.accept),
                                   ("insert", "Insert after", self.insert_after),
                                   ("copy", "Copy", self.copy),
                                   ("regenerate", "Regenerate", self.regenerate)):
            button = QToolButton()
            button.setText(label)
            button.setAccessibleName(f"{label.replace('&', '')} suggestion {index + 1}")
            button.clicked.connect(lambda _=False, s=signal: s.emit(self))
            button.setEnabled(False)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        self.more = QToolButton()
        self.more.setText("Scores")
        self.more.setCheckable(True)
        self.more.setAccessibleName(f"Show the scores of suggestion {index + 1}")
        self.more.setToolTip("How this suggestion was scored")
        self.more.toggled.connect(self._show_details)
        self.more.setEnabled(False)
        row.addWidget(self.more)
        layout.addLayout(row)

    def append(self, text: str) -> None:
        self._raw += text
        cursor = self.body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)  # not the whole text again for every token
        bar = self.body.verticalScrollBar()
        bar.setValue(bar.maximum())

    def fail(self, message: str) -> None:
        """The answer broke off (a server that went away): say why, keep what came."""
        self.title.setText(f"Suggestion {self.index + 1} — stopped")
        self.scores.setText(message)
        self.buttons["regenerate"].setEnabled(True)

    def finish(self, candidate: Candidate, rank: int | None = None) -> None:
        self.candidate = candidate
        self.changes = changes_between(self.original, candidate.text) if candidate.text else []
        self.taken = set(range(len(self.changes)))
        if candidate.text and candidate.text == self.original:
            self.body.setHtml("<i>No change: keep your text as it is.</i>")
        elif candidate.text:
            self._show_changes()
        else:
            self.body.setHtml(f"<i>{html.escape(candidate.note or 'empty')}</i>")
        place = f"#{rank} · " if rank else ""
        state = " · breaks limits" if candidate.violations else \
            " · checked, so shown first" if candidate.pinned and rank == 1 else ""
        origin = candidate.note.capitalize() if candidate.round == 0 else \
            f"Suggestion {candidate.index + 1} · round {candidate.round}"
        self.heading = f"{place}{origin} · score {candidate.score:.2f}{state}"
        self._title()
        self.scores.setText("\n".join(candidate.violations))  # what the writer must know
        self.scores.setVisible(bool(candidate.violations))
        self.details.setText(", ".join(f"{k} {v:.2f}" for k, v in
                                       sorted(candidate.scores.items())))
        self.details.setToolTip("\n".join(candidate.reasons))
        self.more.setEnabled(bool(candidate.scores))
        self._show_offers(candidate)
        self._fit()
        QTimer.singleShot(0, self._fit)  # once the card has its real width
        usable = bool(candidate.text)
        for key, button in self.buttons.items():
            button.setEnabled(usable or key == "regenerate")

    def _show_offers(self, candidate: Candidate) -> None:
        for button in self.offer_buttons:
            button.setParent(None)
            button.deleteLater()
        self.offer_buttons = []
        if not candidate.offers:
            return
        label = QLabel("Also:")
        label.setToolTip("Changes the other suggestions make that the model finds better "
                         "here too; click one to add it")
        self.offers.addWidget(label)
        self.offer_buttons.append(label)
        for offer in candidate.offers:
            button = QToolButton()
            old, new = offer["old"].strip() or "+", offer["new"].strip() or "(remove)"
            button.setText(f"{old} → {new}")
            button.setToolTip(f"From another suggestion; the model gains {offer['gain']:.1f}")
            button.clicked.connect(lambda _=False, o=offer, b=button: self.take(o, b))
            self.offers.addWidget(button)
            self.offer_buttons.append(button)
        self.offers.addStretch(1)

    def take(self, offer: dict[str, Any], button: QToolButton) -> None:
        """Add an offered edit to this card's text (Accept then takes it with the rest)."""
        candidate = self.candidate
        if candidate is None:
            return
        taken = [Edit.from_json(e) for e in candidate.edits]
        taken.append(Edit(offer["start"], offer["end"], offer["old"], offer["new"],
                          "another suggestion", offer["gain"]))
        candidate.edits = [e.to_json() for e in sorted(taken, key=lambda e: e.start)]
        candidate.text = apply_edits(self.original, taken)
        left = {self.changes[i] for i in range(len(self.changes)) if i not in self.taken}
        self.changes = changes_between(self.original, candidate.text)
        self.taken = {i for i, change in enumerate(self.changes) if change not in left}
        self._show_changes()
        self._title()
        button.setEnabled(False)
        self._fit()

    # -- change by change -----------------------------------------------------------------

    def chosen_text(self) -> str:
        """The suggestion with only the changes taken: what Accept, Insert after and Copy
        use."""
        if self.candidate is None:
            return ""
        if len(self.taken) == len(self.changes):
            return self.candidate.text
        return apply_changes(self.original, self.changes, self.taken)

    def toggle(self, index: int) -> None:
        """Take a change that was left out, or leave out one that was taken."""
        if not 0 <= index < len(self.changes):
            return
        self.taken ^= {index}
        self._show_changes()
        self._title()

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == "change" and url.path().isdigit():
            position = self.body.verticalScrollBar().value()
            self.toggle(int(url.path()))
            self.body.verticalScrollBar().setValue(position)

    def _show_changes(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        colors = ("#ff7b72", "#7ee787", "#8b949e") if dark else \
            ("#c0392b", "#1e8449", "#8a8a8a")
        self.body.setHtml("<div style='line-height:130%'>" + review_html(
            self.original, self.changes, self.taken, *colors) + "</div>")

    def _title(self) -> None:
        count = len(self.changes)
        part = f" · {len(self.taken)} of {count} changes" if len(self.taken) < count else ""
        self.title.setText(getattr(self, "heading", self.title.text()) + part)
        self.body.setToolTip("Click a change to leave it out (or take it again); Tab "
                             "and Enter do the same from the keyboard" if count > 1 else "")

    def _show_details(self, on: bool) -> None:
        self.details.setVisible(on)

    def _fit(self) -> None:
        """As tall as the text, within reason."""
        if self.candidate is None:
            return
        width = self.body.viewport().width()
        if width < 50:
            return
        self.body.document().setTextWidth(width)
        height = int(self.body.document().size().height()) + 2 * self.body.frameWidth() + 4
        self.body.setFixedHeight(max(40, min(height, 280)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
