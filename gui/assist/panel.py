"""The AI side panel: choose a template and options, see facts and the prompt, get
suggestions streamed into cards."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.writing.assistant import STYLES, Candidate
from engine.writing.templates import Template
from gui.assist.candidate_card import CandidateCard
from gui.assist.facts_view import FactsView
from gui.assist.prompt_inspector import PromptInspector
from gui.assist.target import Target

STYLE_LABELS = {"": "Template's own", "voice": "Match my voice", **{
    k: k.title() for k in STYLES if k != "voice"}}


@dataclass
class PanelOptions:
    template: str
    style: str
    length: int
    candidates: int
    temperature: float
    excluded_facts: list[str]  # unticked in the Facts tab


@dataclass
class HistoryEntry:
    title: str
    target: Target
    candidates: list[Candidate]


class AssistantPanel(QWidget):
    generate_requested = Signal()
    cancel_requested = Signal()
    inspect_requested = Signal()
    template_changed = Signal(str)
    accept = Signal(object)
    insert_after = Signal(object)
    copy = Signal(object)
    regenerate = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantPanel")
        self.setAccessibleName("AI assistant")
        self.templates: list[Template] = []
        self.cards: list[CandidateCard] = []
        self.early: list[CandidateCard] = []  # shown before the model writes (show_early)
        self.history: list[HistoryEntry] = []
        self.current = Target(0, 0, "")  # what the cards on show were made from
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search templates…")
        self.search.setAccessibleName("Search templates")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill_templates)
        self.template = QComboBox()
        self.template.setAccessibleName("Template")
        self.template.currentIndexChanged.connect(self._template_picked)
        self.description = QLabel("")
        self.description.setWordWrap(True)
        self.description.setObjectName("templateDescription")
        self.style_box = QComboBox()
        self.style_box.setAccessibleName("Style")
        for key, label in STYLE_LABELS.items():
            self.style_box.addItem(label, key)
        self.length = QSpinBox()
        self.length.setAccessibleName("Target length in words")
        self.length.setRange(0, 2000)
        self.length.setSpecialValueText("Auto")
        self.length.setSuffix(" words")
        self.count = QSpinBox()
        self.count.setAccessibleName("Number of suggestions")
        self.count.setRange(1, 8)
        self.count.setValue(2)
        self.temperature = QDoubleSpinBox()
        self.temperature.setAccessibleName("Temperature")
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(0.7)
        form = QFormLayout()
        form.addRow(self.search)
        form.addRow("&Template", self.template)
        form.addRow(self.description)
        form.addRow("&Style", self.style_box)
        for text, field in (("&Length", self.length), ("S&uggestions", self.count),
                            ("T&emperature", self.temperature)):
            caption = QLabel(text)
            caption.setBuddy(field)
            # the mnemonic's "&" is not measured by the form: the last letter was clipped
            caption.setMinimumWidth(
                caption.fontMetrics().horizontalAdvance(text.replace("&", "")) + 8)
            form.addRow(caption, field)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        outer.addLayout(form)

        self.target = QLabel("Select text, or place the cursor in a paragraph.")
        self.target.setObjectName("targetLabel")
        self.target.setWordWrap(True)
        outer.addWidget(self.target)

        buttons = QHBoxLayout()
        self.generate = QPushButton("&Generate")
        self.generate.setObjectName("generateButton")
        self.generate.setAccessibleName("Generate suggestions")
        self.generate.setToolTip("Generate suggestions (Ctrl+Return)")
        self.generate.clicked.connect(self.generate_requested)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel generation")
        self.cancel.setToolTip("Stop generating (Esc)")
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancel_requested)
        self.inspect = QPushButton("&Inspect")
        self.inspect.setAccessibleName("Inspect the prompt")
        self.inspect.clicked.connect(self.inspect_requested)
        for button in (self.generate, self.cancel, self.inspect):
            buttons.addWidget(button)
        outer.addLayout(buttons)
        self.status = QLabel("")
        self.status.setObjectName("panelStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Assistant details")
        self.cards_area = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_area)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.cards_area)
        scroll.setAccessibleName("Suggestions")
        self.tabs.addTab(scroll, "Suggestions")
        self.facts = FactsView()
        self.tabs.addTab(self.facts, "Facts")
        self.inspector = PromptInspector()
        self.tabs.addTab(self.inspector, "Prompt")
        history = QWidget()
        history_layout = QVBoxLayout(history)
        self.history_box = QComboBox()
        self.history_box.setAccessibleName("Suggestion history")
        self.history_box.activated.connect(self._show_history)
        history_layout.addWidget(QLabel("This session's suggestions:"))
        history_layout.addWidget(self.history_box)
        history_layout.addStretch(1)
        self.tabs.addTab(history, "Earlier")
        outer.addWidget(self.tabs, 1)

    # -- templates -------------------------------------------------------------------------

    def set_templates(self, templates: list[Template]) -> None:
        current = self.template.currentData()
        self.templates = templates
        self._fill_templates(self.search.text(), keep=current)

    def _fill_templates(self, query: str = "", keep: str | None = None) -> None:
        keep = keep or self.template.currentData()
        query = query.lower().strip()
        self.template.blockSignals(True)
        self.template.clear()
        category = None
        for template in self.templates:
            haystack = f"{template.name} {template.title} {template.description}".lower()
            if query and query not in haystack:
                continue
            if template.category != category:
                if category is not None:
                    self.template.insertSeparator(self.template.count())
                category = template.category
            self.template.addItem(f"{template.title}  ·  {template.category}", template.name)
        index = self.template.findData(keep) if keep else -1
        self.template.setCurrentIndex(index if index >= 0 else 0)
        self.template.blockSignals(False)
        self._template_picked()

    def _template_picked(self) -> None:
        name = self.template.currentData()
        template = next((t for t in self.templates if t.name == name), None)
        if template is None:
            return
        self.description.setText(template.description)
        self.count.setValue(template.candidates)
        self.temperature.setValue(template.temperature)
        self.style_box.setEnabled(template.styles)
        self.template_changed.emit(name)

    def select_template(self, name: str) -> None:
        index = self.template.findData(name)
        if index >= 0:
            self.template.setCurrentIndex(index)

    def options(self) -> PanelOptions:
        return PanelOptions(self.template.currentData() or "", self.style_box.currentData() or "",
                            self.length.value(), self.count.value(), self.temperature.value(),
                            sorted(self.facts.excluded))

    # -- generation state --------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.generate.setEnabled(not busy)
        self.inspect.setEnabled(not busy)
        self.cancel.setEnabled(busy)

    def start(self, target: Target, title: str) -> None:
        self.current = target
        self.clear_cards()
        self.history.append(HistoryEntry(title, target, []))
        self.history_box.addItem(title)
        self.history_box.setCurrentIndex(self.history_box.count() - 1)
        self.tabs.setCurrentIndex(0)
        self.status.setText("Generating…")

    def forget(self) -> None:
        """Another document: the cards and their history were made for the last one, and
        accepting one would act on this one."""
        self.clear_cards()
        self.history = []
        self.history_box.clear()
        self.current = Target(0, 0, "")
        self.status.setText("")

    def clear_cards(self) -> None:
        for card in self.cards + self.early:
            card.setParent(None)
            card.deleteLater()
        self.cards, self.early = [], []

    def show_early(self, candidate: Candidate) -> None:
        """A candidate that needs no writing (the checked fixes), shown as soon as it is
        scored, above the cards the model is still writing; the ranked list replaces it."""
        card = CandidateCard(candidate.index, self.current)
        for name in ("accept", "insert_after", "copy", "regenerate"):
            getattr(card, name).connect(getattr(self, name))
        self.cards_layout.insertWidget(len(self.early), card)
        self.early.append(card)
        card.finish(candidate)

    def card(self, index: int) -> CandidateCard:
        while len(self.cards) <= index:
            card = CandidateCard(len(self.cards), self.current)
            for name in ("accept", "insert_after", "copy", "regenerate"):
                getattr(card, name).connect(getattr(self, name))
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)
        return self.cards[index]

    def show_ranked(self, candidates: list[Candidate]) -> None:
        """Reorder the cards best first, once every candidate is scored."""
        if self.history:
            self.history[-1].candidates = list(candidates)
        self._show_candidates(candidates, self.current)

    def _show_candidates(self, candidates: list[Candidate], target: Target) -> None:
        """The cards the same request streamed into are filled again in rank order rather
        than made anew: building cards is most of the window's work when an answer ends."""
        kept = [card for card in self.cards if card.target is target][:len(candidates)]
        for card in self.early + [card for card in self.cards if card not in kept]:
            card.setParent(None)
            card.deleteLater()
        self.current = target
        self.cards, self.early = kept, []
        for rank, candidate in enumerate(candidates, 1):
            self.card(rank - 1).finish(candidate, rank)

    def _show_history(self, index: int) -> None:
        if 0 <= index < len(self.history):
            entry = self.history[index]
            self._show_candidates(entry.candidates, entry.target)
            self.tabs.setCurrentIndex(0)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel.isEnabled():
            self.cancel_requested.emit()
            return
        super().keyPressEvent(event)
