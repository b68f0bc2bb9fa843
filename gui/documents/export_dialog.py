"""File → Export…: the document as Word, OpenDocument, a web page, PDF or Markdown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from engine.documents.formats import export_document, page_sizes
from engine.documents.tracked import write_tracked_docx
from engine.errors import DocumentError
from engine.review.pending import Review
from gui.documents.parts import ExportWindow
from render import pdf  # noqa: F401  (teaches export_document to write .pdf)

FORMATS = {"Word (.docx)": ".docx", "OpenDocument (.odt)": ".odt", "PDF (.pdf)": ".pdf",
           "Web page (.html)": ".html", "Markdown (.md)": ".md"}


class _Signals(QObject):
    done = Signal(str)  # "" when written, else the reason


class _ExportTask(QRunnable):
    """Word, OpenDocument, HTML and Markdown are written off the window's thread (a long
    manuscript takes seconds); PDF is drawn on it, because Qt's text layout lives there."""

    def __init__(self, markdown: str, target: Path, title: str, signals: _Signals,
                 review: Review | None = None) -> None:
        super().__init__()
        self.markdown, self.target, self.title, self.signals = markdown, target, title, signals
        self.review = review  # pending changes to write as Word tracked changes

    def run(self) -> None:
        try:
            if self.review is not None:
                write_tracked_docx(self.target, self.review.text, self.review.changes,
                                   markdown=True)  # styled as the plain export is
            else:
                export_document(self.markdown, self.target, self.title)
        except DocumentError as exc:
            self.signals.done.emit(str(exc))
            return
        self.signals.done.emit("")


class ExportDialog(QDialog):
    export_done = Signal(str)  # "" when the file was written, else the reason

    def __init__(self, markdown: str, title: str, folder: Path, parent: QWidget | None = None,
                 review: Review | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.markdown = markdown
        self.review = review if review is not None and review.changes else None
        self.exported: Path | None = None
        form = QFormLayout(self)
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.format.setAccessibleName("Export format")
        form.addRow("&Format", self.format)
        self.title = QLineEdit(title)
        self.title.setAccessibleName("Document title")
        form.addRow("&Title", self.title)
        self.page = QComboBox()
        self.page.addItems(list(page_sizes(".pdf")))
        self.page.setAccessibleName("Page size")
        form.addRow("&Page size", self.page)
        self.path = QLineEdit(str(folder / f"{title or 'Untitled'}.docx"))
        self.path.setAccessibleName("Export to")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("&Save to", holder)
        self.tracked = QCheckBox(
            f"Write the {len(self.review.changes)} change(s) to review as tracked changes"
            if self.review else "Tracked changes")
        self.tracked.setToolTip("Word and LibreOffice open the file with the changes still "
                                "to accept or reject; the paragraphs are written as plain "
                                "text (no headings or emphasis)")
        self.tracked.setChecked(self.review is not None)
        self.tracked.setVisible(self.review is not None)
        form.addRow(self.tracked)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentTextChanged.connect(self._format_changed)
        self._format_changed(self.format.currentText())

    def _format_changed(self, name: str) -> None:
        suffix = FORMATS[name]
        self.page.setEnabled(suffix == ".pdf")
        self.tracked.setEnabled(self.review is not None and suffix == ".docx")
        current = Path(self.path.text())
        self.path.setText(str(current.with_suffix(suffix)))

    def _browse(self) -> None:
        suffix = FORMATS[self.format.currentText()]
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(),
                                              f"{self.format.currentText()} (*{suffix})")
        if path:
            self.path.setText(path)

    def export(self) -> None:
        """Write the file; ``export_done`` follows (at once for PDF)."""
        target = Path(self.path.text().strip()).expanduser()
        suffix = FORMATS[self.format.currentText()]
        if target.suffix.lower() != suffix:
            target = target.with_suffix(suffix)
        self.target = target
        self.export_button.setEnabled(False)
        self.problem.setText(f"Exporting {target.name}…")
        if suffix != ".pdf":
            self.signals = _Signals()
            self.signals.done.connect(self._finished)
            tracked = self.review if suffix == ".docx" and self.tracked.isChecked() else None
            QThreadPool.globalInstance().start(_ExportTask(self.markdown, target,
                                                           self.title.text(), self.signals,
                                                           tracked))
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_document(self.markdown, target, self.title.text(), self.page.currentText())
        except DocumentError as exc:
            self._finished(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._finished("")

    def _finished(self, problem: str) -> None:
        self.export_button.setEnabled(True)
        self.problem.setText(problem)
        if not problem:
            self.exported = self.target
            self.accept()
        self.export_done.emit(problem)


def export_current(window: ExportWindow, tracked_only: bool = False) -> bool:
    """The window's document through the dialog (with its changes to review as tracked
    changes, when there are some); the status bar says where it went. ``tracked_only``:
    Word with the changes, nothing else to choose."""
    doc = window.documents.doc
    source = doc.path or doc.imported_from
    title = source.stem if source else "Untitled"
    review = window.review.review
    dialog = ExportDialog(window.editor.toPlainText(), title, window.files.start_folder(),
                          window.window(), Review(review.text, list(review.changes)))
    if tracked_only:
        dialog.format.setCurrentText("Word (.docx)")
        dialog.format.setEnabled(False)
        dialog.tracked.setEnabled(False)
        dialog.path.setText(str(Path(dialog.path.text()).with_name(f"{title} (to review).docx")))
    if dialog.exec() and dialog.exported is not None:
        window.preferences.used_folder(dialog.exported.parent)
        window.status.showMessage(f"Exported {dialog.exported.name}", 6000)
        return True
    return False
