"""Model and device, speed, grammar engines, counts, and saved state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from engine.text.stats import Counts, reading_time


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Status")
        self.model = QLabel("Model: loading…")
        self.speed = QLabel("")
        self.grammar = QLabel("Grammar: starting…")
        self.language = QLabel("")
        self.language.setAccessibleName("Document language")
        self.counts = QLabel("0 words")
        self.saved = QLabel("Saved")
        self.permanent = (self.model, self.speed, self.grammar, self.language, self.counts,
                          self.saved)
        for label in self.permanent:
            label.setMargin(2)
            self.addPermanentWidget(label)
        self.states: dict[str, str] = {}
        self.messageChanged.connect(self._message_changed)

    def _message_changed(self, text: str) -> None:
        if not text:
            self.setToolTip("")

    def showMessage(self, message: str, timeout: int | None = 0) -> None:
        """A message that does not fit beside the permanent parts ends in "…", whole in
        the tooltip (a status bar clips its message without a sign)."""
        taken = sum(label.sizeHint().width() + 8 for label in self.permanent
                    if label.isVisible())
        room = max(80, self.width() - taken - 24)
        metrics = QFontMetrics(self.font())
        shown = metrics.elidedText(message, Qt.TextElideMode.ElideRight, room)
        self.setToolTip(message if shown != message else "")
        super().showMessage(shown, timeout or 0)

    def set_model(self, text: str) -> None:
        self.model.setText(text)

    def set_speed(self, tokens_per_s: float | None) -> None:
        self.speed.setText(f"{tokens_per_s:.0f} tok/s" if tokens_per_s else "")

    def set_engine(self, engine: str, state: str) -> None:
        self.states[engine] = state
        parts = []
        for name, value in sorted(self.states.items()):
            short = "Harper" if name == "harper" else "LanguageTool"
            parts.append(f"{short}: {value.split(':')[0]}")
        self.grammar.setText(" · ".join(parts))
        self.grammar.setToolTip("\n".join(f"{k}: {v}" for k, v in self.states.items()))

    def set_languages(self, languages: dict[str, int]) -> None:
        """The languages being checked, the main one first (detected when set to auto)."""
        ordered = sorted(languages, key=lambda k: -languages[k])
        self.language.setText(" · ".join(ordered[:3]) + (" …" if len(ordered) > 3 else ""))
        self.language.setToolTip("\n".join(f"{k}: {languages[k]} paragraph(s)"
                                           for k in ordered))

    def set_counts(self, document: Counts, selection: Counts | None = None) -> None:
        """Words and characters of the document (of the selection too, when there is one);
        the other counts in the tooltip."""
        if selection is not None and selection.characters:
            self.counts.setText(f"{selection.words:,} of {document.words:,} words · "
                                f"{selection.characters:,} of {document.characters:,} "
                                "characters")
        else:
            self.counts.setText(f"{document.words:,} words · {document.characters:,} "
                                "characters")
        cjk = f"CJK characters: {document.cjk_characters:,}\n" if document.cjk_characters \
            else ""
        self.counts.setToolTip(f"{cjk}Sentences: {document.sentences:,}\nParagraphs: "
                               f"{document.paragraphs:,}\nReading time: "
                               f"{reading_time(document.reading_minutes)}")

    def set_saved(self, dirty: bool, has_file: bool) -> None:
        self.saved.setText("Unsaved changes" if dirty else "Saved" if has_file
                           else "New document")
