"""File → Build: the book, or the documents chosen, into one file, with a title page,
chapter headings and a scene separator; the choices are saved as the project's preset."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from engine.project.manifest import FORMATS, BuildPreset
from engine.project.model import Project

PRESET = "default"


class BuildDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildDialog")
        self.setWindowTitle(f"Build {project.manifest.title}")
        self.project = project
        preset = project.manifest.builds.get(PRESET, BuildPreset())
        self.format = QComboBox()
        self.format.setObjectName("buildFormat")
        self.format.addItems([f".{f}" for f in FORMATS])
        self.format.setCurrentText(f".{preset.format}")
        self.title_page = QCheckBox("A title page")
        self.title_page.setChecked(preset.title_page)
        self.headings = QCheckBox("Each document's title as its chapter heading")
        self.headings.setChecked(preset.headings)
        self.separator = QLineEdit(preset.separator)
        self.separator.setObjectName("buildSeparator")
        self.documents = QListWidget()
        self.documents.setObjectName("buildDocuments")
        for rel in project.documents():
            item = QListWidgetItem(rel)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = not preset.only or any(rel == p or rel.startswith(p.rstrip("/") + "/")
                                            for p in preset.only)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        default = Path.home() / f"{project.manifest.title}.{preset.format}"
        self.output = QLineEdit(str(default))
        self.output.setObjectName("buildOutput")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        self.format.currentTextChanged.connect(self._format_changed)
        where = QHBoxLayout()
        where.addWidget(self.output, 1)
        where.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("", self.title_page)
        form.addRow("", self.headings)
        form.addRow("Scene separator", self.separator)
        form.addRow("Documents", self.documents)
        form.addRow("Save as", where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Build")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _format_changed(self, suffix: str) -> None:
        self.output.setText(str(Path(self.output.text()).with_suffix(suffix)))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Build the book as", self.output.text())
        if path:
            self.output.setText(path)

    def preset(self) -> BuildPreset:
        chosen = [self.documents.item(n).text() for n in range(self.documents.count())
                  if self.documents.item(n).checkState() == Qt.CheckState.Checked]
        every = len(chosen) == self.documents.count()
        return replace(BuildPreset(), format=self.format.currentText().lstrip("."),
                       title_page=self.title_page.isChecked(),
                       headings=self.headings.isChecked(), separator=self.separator.text(),
                       only=() if every else tuple(chosen))

    def target(self) -> Path:
        return Path(self.output.text()).expanduser()
