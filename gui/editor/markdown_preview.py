"""The Markdown preview beside the editor: CommonMark rendered by markdown-it-py,
refreshed after a pause in typing while it is shown, its scrolling following the editor's."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTextBrowser, QWidget

from engine.documents.blocks import markdown_to_html
from gui.editor.editor import Editor

PAUSE_MS = 400


class MarkdownPreview(QTextBrowser):
    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownPreview")
        self.setAccessibleName("Markdown preview")
        self.setOpenExternalLinks(False)
        self.editor = editor
        self.rendered = ""  # the text the preview shows
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.refresh)
        editor.text_edited.connect(self._edited)
        editor.verticalScrollBar().valueChanged.connect(self.follow)

    def _edited(self) -> None:
        if self.isVisible():
            self.timer.start()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def refresh(self) -> None:
        text = self.editor.toPlainText()
        if text == self.rendered:
            return
        self.rendered = text
        bar = self.verticalScrollBar()
        keep = bar.value()
        self.setHtml(markdown_to_html(text))
        bar.setValue(keep)
        self.follow()

    def follow(self) -> None:
        """Scroll to the same share of the document as the editor shows."""
        if not self.isVisible():
            return
        source = self.editor.verticalScrollBar()
        target = self.verticalScrollBar()
        if source.maximum() > 0:
            target.setValue(round(target.maximum() * source.value() / source.maximum()))
