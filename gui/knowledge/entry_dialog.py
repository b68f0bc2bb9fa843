"""Add to Knowledge… / Edit: one entry of the knowledge base. An individual or a class,
its type (completed from the classes), labels in several languages, a comment and
relations to other entries (completed by label; a new relation name becomes a property)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

LANGUAGES = ["en", "zh", "fr", "de", "es", "it", "pt", "ja", "ko", "ru"]


@dataclass
class EntryForm:
    kind: str = "individual"
    name: str = ""
    type_ref: str = ""
    labels: list[tuple[str, str]] = field(default_factory=list)
    comment: str = ""
    relations: list[tuple[str, str]] = field(default_factory=list)
    create_type: bool = False  # the type is a new class, made with the entry


def _pair_table(name: str, headers: list[str], first_width: int, height: int) -> QTableWidget:
    """Two columns of rows the writer fills in (labels, relations)."""
    table = QTableWidget(0, 2)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setMaximumHeight(height)
    table.setColumnWidth(0, first_width)
    return table


class ClickThrough(QObject):
    """A click on a button while a completer's list is open presses the button: Qt's
    completer only closes its list on that click, so OK needed a second one."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent) \
                and isinstance(watched, QWidget) and not watched.rect().contains(
                    event.position().toPoint()):
            target = QApplication.widgetAt(event.globalPosition().toPoint())
            if isinstance(target, QAbstractButton) and target.isEnabled():
                watched.hide()
                target.click()
                return True
        return False


class KnowledgeEntryDialog(QDialog):
    def __init__(self, classes: list[str], entries: list[str], properties: list[str],
                 form: EntryForm, editing: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing = editing
        self.class_names = classes
        self.click_through = ClickThrough(self)
        self.setWindowTitle("Edit Entry" if editing else "Add to Knowledge")
        layout = QVBoxLayout(self)
        kinds = QHBoxLayout()
        self.individual = QRadioButton("&Individual (a thing: a place, a person, a dish)")
        self.klass = QRadioButton("&Class (a kind of thing)")
        group = QButtonGroup(self)
        group.addButton(self.individual)
        group.addButton(self.klass)
        (self.klass if form.kind == "class" else self.individual).setChecked(True)
        kinds.addWidget(self.individual)
        kinds.addWidget(self.klass)
        if not editing:
            layout.addLayout(kinds)
        fields = QFormLayout()
        self.name = QLineEdit(form.name)
        self.name.setAccessibleName("Name")
        self.name.setReadOnly(editing)
        fields.addRow("&Name:", self.name)
        self.type = QLineEdit(form.type_ref)
        self.type.setAccessibleName("Type")
        self.type.setPlaceholderText("its class, e.g. City (for a class: its parent)")
        self.type.setCompleter(self._completer(classes))
        if not editing:
            fields.addRow("&Type:", self.type)
        self.comment = QPlainTextEdit(form.comment)
        self.comment.setAccessibleName("Comment")
        self.comment.setMaximumHeight(64)
        fields.addRow("C&omment:", self.comment)
        layout.addLayout(fields)

        layout.addWidget(QLabel("Labels in other languages (an English label, if you give "
                                "none, is the name):"))
        self.labels = _pair_table("Labels", ["Language", "Label"], 110, 130)
        for lang, text in form.labels or [("en", ""), ("zh", "")]:
            self.add_label(lang, text)
        layout.addWidget(self.labels)
        more = QPushButton("Another &language")
        more.clicked.connect(lambda: self.add_label("", ""))
        layout.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)

        layout.addWidget(QLabel("Relations (new ones are added; a new relation name "
                                "becomes a property):"))
        self.relations = _pair_table("Relations", ["Relation", "To"], 200, 110)
        self.property_names = properties
        self.entry_names = entries
        for prop, target in form.relations or [("", "")]:
            self.add_relation(prop, target)
        layout.addWidget(self.relations)
        another = QPushButton("Another &relation")
        another.clicked.connect(lambda: self.add_relation("", ""))
        layout.addWidget(another, 0, Qt.AlignmentFlag.AlignLeft)

        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 560)
        self.create_type = False

    def _completer(self, words: list[str]) -> QCompleter:
        completer = QCompleter(words, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        popup = completer.popup()
        if popup is not None:
            popup.installEventFilter(self.click_through)
        return completer

    def add_label(self, lang: str, text: str) -> None:
        row = self.labels.rowCount()
        self.labels.insertRow(row)
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(LANGUAGES)
        combo.setCurrentText(lang)
        self.labels.setCellWidget(row, 0, combo)
        self.labels.setItem(row, 1, QTableWidgetItem(text))

    def add_relation(self, prop: str, target: str) -> None:
        row = self.relations.rowCount()
        self.relations.insertRow(row)
        for col, (value, words) in enumerate(((prop, self.property_names),
                                              (target, self.entry_names))):
            edit = QLineEdit(value)
            edit.setCompleter(self._completer(words))
            self.relations.setCellWidget(row, col, edit)

    def form(self) -> EntryForm:
        labels = []
        for row in range(self.labels.rowCount()):
            combo = self.labels.cellWidget(row, 0)
            item = self.labels.item(row, 1)
            lang = combo.currentText().strip() if isinstance(combo, QComboBox) else ""
            text = item.text().strip() if item is not None else ""
            if text:
                labels.append((lang, text))
        relations = []
        for row in range(self.relations.rowCount()):
            prop, target = (self.relations.cellWidget(row, c) for c in (0, 1))
            if isinstance(prop, QLineEdit) and isinstance(target, QLineEdit) and \
                    prop.text().strip() and target.text().strip():
                relations.append((prop.text().strip(), target.text().strip()))
        return EntryForm("class" if self.klass.isChecked() else "individual",
                         self.name.text().strip(), self.type.text().strip(), labels,
                         self.comment.toPlainText().strip(), relations, self.create_type)

    def _accept(self) -> None:
        self.error.setText("")  # an earlier reason, now perhaps mended
        form = self.form()
        if not form.name:
            self.error.setText("Give the entry a name.")
            return
        if form.kind == "individual" and not form.type_ref and not self.editing:
            self.error.setText("An individual needs a type: the class it belongs to.")
            return
        if form.type_ref and not self.editing and not self.known_type(form.type_ref):
            if not self.confirm_new_type(form.type_ref):
                self.error.setText(f"“{form.type_ref}” is not a class of this knowledge base: "
                                   "pick one from the list, or let Wordloom create it.")
                self.type.setFocus()
                return
            self.create_type = True
        self.accept()

    def known_type(self, name: str) -> bool:
        folded = " ".join(name.split()).casefold()
        return any(" ".join(c.split()).casefold() == folded for c in self.class_names)

    def confirm_new_type(self, name: str) -> bool:
        """Ask whether an unknown type becomes a new class (tests answer for the writer)."""
        return QMessageBox.question(
            self, "New class", f"“{name}” is not a class of this knowledge base yet.\n\n"
            f"Create the class “{name}” and add the entry to it?") == \
            QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> None:
        self.error.setText(message)
