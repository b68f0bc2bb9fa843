"""Each part of the prompt with its token count, against the model's context."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from engine.writing.assistant import BuiltPrompt


class PromptInspector(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Press Inspect to see the prompt before generating.")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Prompt parts and token counts")
        self.tree.setHeaderLabels(["Part", "Tokens"])
        self.tree.setRootIsDecorated(False)
        self.tree.setMinimumHeight(60)
        layout.addWidget(self.tree)
        self.messages: list[dict[str, str]] = []
        self.key: tuple[str, str] | None = None  # (template, text) of the prompt shown

    def clear_stale(self) -> None:
        """The template or the text changed since the prompt shown was built."""
        self.tree.clear()
        self.tree.setToolTip("")
        self.messages = []
        self.key = None
        self.summary.setText("The template or the text changed: press Inspect to see the "
                             "prompt for them.")

    def show_prompt(self, built: BuiltPrompt) -> None:
        self.tree.clear()
        about = "≈" if built.estimated else ""
        for part in built.parts:
            QTreeWidgetItem(self.tree, [part.name, f"{about}{part.tokens}"])
        trimmed = ", ".join(built.trimmed) if built.trimmed else "nothing"
        note = (" Token counts are estimates: the server has no tokenize endpoint."
                if built.estimated else "")
        self.summary.setText(
            f"{about}{built.total_tokens} prompt tokens + up to {built.max_tokens} for the "
            f"answer, of {built.context} in the model's context. Trimmed: {trimmed}.{note}")
        self.messages = built.messages
        self.tree.setToolTip("\n\n".join(f"[{m['role']}]\n{m['content']}" for m in
                                         built.messages))
