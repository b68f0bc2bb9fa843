"""Create and edit user templates with live validation and a preview of the prompt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.errors import TemplateError
from engine.fsutil import atomic_write_text
from engine.paths import app_paths
from engine.writing.templates import COMMON_VARIABLES, parse_template
from gui.window.unsaved_dialog import Unsaved, ask_about_unsaved

STARTER = '''name = "my-template"
title = "My template"
description = "What it does."
category = "edit"
system = "You are a careful editor."
prompt = """
Rewrite this text so that it ... Reply with the rewritten text only.

<text>
{{ input_text }}
</text>
"""

[generation]
temperature = 0.7
candidates = 2
'''
SAMPLE = {"input_text": "The selected text goes here.", "before": "", "after": "",
          "document_title": "Untitled", "language": "en-US", "style": "", "length": 80,
          "output_format": "paragraph", "facts": ["Hangzhou — famous for → West Lake"],
          "voice_examples": []}


class TemplateEditor(QDialog):
    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Templates")
        self.folder = app_paths().user_templates
        self.folder.mkdir(parents=True, exist_ok=True)
        self.list = QListWidget()
        self.list.setAccessibleName("Your templates")
        self.list.currentTextChanged.connect(self._load)
        self.source = QPlainTextEdit()
        self.source.setAccessibleName("Template source (TOML)")
        self.source.textChanged.connect(self._restart_timer)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Rendered prompt preview")
        new = QPushButton("&New")
        new.clicked.connect(self.new_template)
        self.save_button = QPushButton("&Save")
        self.save_button.clicked.connect(self.save)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.list)
        left_layout.addWidget(new)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.source, 3)
        right_layout.addWidget(self.status)
        right_layout.addWidget(QLabel("Preview (variables: "
                                      f"{', '.join(COMMON_VARIABLES)}):"))
        right_layout.addWidget(self.preview, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([180, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.validate)
        self.current: Path | None = None
        self.clean = ""  # the text as loaded or saved
        self.resize(820, 560)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for path in sorted(self.folder.glob("*.toml")):
            self.list.addItem(path.stem)
        if self.list.count() == 0:
            self.new_template()

    def _load(self, stem: str) -> None:
        if stem and self._may_leave():
            self.current = self.folder / f"{stem}.toml"
            self._show(self.current.read_text(encoding="utf-8"))

    def new_template(self) -> None:
        if self._may_leave():
            self.current = None
            self._show(STARTER)

    def _show(self, source: str) -> None:
        self.source.setPlainText(source)
        self.clean = source

    @property
    def dirty(self) -> bool:
        return self.source.toPlainText() != self.clean

    def unsaved(self) -> list[Unsaved]:
        """The template being edited, when its text is not what is on disk."""
        if not self.dirty:
            return []
        name = self.current.stem if self.current else "a new template"
        return [Unsaved(f"The template “{name}”", "edited in the template editor",
                        lambda: self.save() is not None)]

    def _may_leave(self) -> bool:
        """Before the text in the editor is replaced or the editor closes: ask about
        unsaved changes. False: the writer cancelled (or the template is invalid)."""
        if not self.dirty or not self.isVisible():
            return True
        return ask_about_unsaved(self, self.unsaved())

    def reject(self) -> None:  # Esc, Close and the window's close button
        if self._may_leave():
            super().reject()

    def validate(self) -> bool:
        try:
            template = parse_template(self.source.toPlainText(),
                                      self.current or Path("new-template.toml"), "user")
            rendered = template.render(SAMPLE)
        except TemplateError as exc:
            self.status.setText(f"✗ {exc}")
            self.save_button.setEnabled(False)
            return False
        self.status.setText(f"✓ “{template.title}” is valid")
        self.preview.setPlainText(f"[system]\n{template.system}\n\n[user]\n{rendered}")
        self.save_button.setEnabled(True)
        self.template_name = template.name
        return True

    def save(self) -> Path | None:
        if not self.validate():
            return None
        target = self.current or self.folder / f"{self.template_name}.toml"
        atomic_write_text(target, self.source.toPlainText())
        self.clean = self.source.toPlainText()
        self.current = target
        self.saved.emit(self.template_name)
        self.refresh()
        return target

    def _restart_timer(self) -> None:
        self._timer.start()
