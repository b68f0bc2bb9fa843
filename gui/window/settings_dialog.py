"""Settings: model, context, threads, GPU, LanguageTool, language, dictionary, ontology,
autosave, theme and font."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.config import BACKENDS, LT_MODES, THEMES, Settings, validate
from engine.errors import ModelError
from engine.model.gguf import JUDGE_MODEL_FILE
from engine.model.judge_choice import find_judge
from engine.model.keys import keyring_available, load_key, save_key
from engine.model.server import api_base
from engine.paths import app_paths
from gui.window.unsaved_dialog import Unsaved

LANGUAGES = ["auto", "en-US", "en-GB", "en-AU", "en-CA", "de-DE", "fr-FR", "es-ES", "pt-PT",
             "ca-ES", "zh-CN"]


def _saved_key(url: str) -> str:
    try:
        return load_key(api_base(url)) if url else ""
    except ModelError:
        return ""


def _browse_row(edit: QLineEdit, title: str, filters: str) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton("Browse…")
    button.setAccessibleName(f"Browse for {title.lower()}")

    def browse() -> None:
        path, _ = QFileDialog.getOpenFileName(row, title, edit.text(), filters)
        if path:
            edit.setText(path)

    button.clicked.connect(browse)
    layout.addWidget(button)
    return row


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, words: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.original = settings
        self.original_words = list(words)
        self.on_apply: Callable[[Settings, list[str]], None] | None = None  # see _apply_now
        tabs = QTabWidget()
        tabs.addTab(self._model_tab(settings), "&Model")
        tabs.addTab(self._writing_tab(settings, words), "&Writing")
        tabs.addTab(self._app_tab(settings), "&App")
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #c92a2a")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 460)
        self.initial = self.result_settings()  # the form as it opened (fonts resolved)

    def _model_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.model = QLineEdit(s.model)
        self.model.setPlaceholderText("the starter model")
        self.model.setAccessibleName("Model file")
        form.addRow("Model &file", _browse_row(self.model, "Model file", "GGUF (*.gguf)"))
        self.model_dirs = QLineEdit("; ".join(s.model_dirs))
        self.model_dirs.setAccessibleName("Extra model folders")
        self.model_dirs.setPlaceholderText(str(app_paths().models))
        form.addRow("Extra model &folders", self.model_dirs)
        self.judge = QLineEdit(s.judge)
        self.judge.setPlaceholderText("the model itself")
        self.judge.setAccessibleName("Proofreading judge")
        self.judge.setToolTip(
            f"A GGUF that judges proofreading in place of the model, by path or by its name "
            f"in {app_paths().judges}. '{JUDGE_MODEL_FILE}' (installed by make setup) "
            "judges better than the starter model and takes about twice as long.")
        form.addRow("Proofreading &judge",
                    _browse_row(self.judge, "Proofreading judge", "GGUF (*.gguf)"))
        self.context = QSpinBox()
        self.context.setRange(0, 1 << 20)
        self.context.setSingleStep(1024)
        self.context.setSpecialValueText("Model's own")
        self.context.setValue(s.context_size)
        self.context.setAccessibleName("Context size")
        form.addRow("&Context size", self.context)
        self.threads = QSpinBox()
        self.threads.setRange(0, 512)
        self.threads.setSpecialValueText("All cores")
        self.threads.setValue(s.threads)
        self.threads.setAccessibleName("Threads")
        form.addRow("&Threads", self.threads)
        self.gpu = QComboBox()
        self.gpu.setEditable(True)
        self.gpu.addItems(["auto", "0", "-1"])
        self.gpu.setCurrentText(str(s.gpu_layers))
        self.gpu.setAccessibleName("GPU layers")
        form.addRow("&GPU layers", self.gpu)
        self._server_rows(form, s)
        return page

    def _server_rows(self, form: QFormLayout, s: Settings) -> None:
        """The model on an OpenAI-compatible server instead of in this process."""
        self.backend = QComboBox()
        self.backend.addItems(list(BACKENDS))
        self.backend.setCurrentText(s.backend)
        self.backend.setAccessibleName("Model backend")
        form.addRow("&Backend", self.backend)
        self.server_url = QLineEdit(s.server_url)
        self.server_url.setPlaceholderText("http://127.0.0.1:8080/v1")
        self.server_url.setAccessibleName("Model server URL")
        form.addRow("Model &server", self.server_url)
        self.server_model = QLineEdit(s.server_model)
        self.server_model.setPlaceholderText("the server's first model")
        self.server_model.setAccessibleName("Model on the server")
        form.addRow("Server &model", self.server_model)
        self.api_key = QLineEdit(_saved_key(s.server_url))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName("API key")
        self.api_key.setToolTip("Kept in the system keyring, never in the settings file.")
        form.addRow("API &key", self.api_key)
        self.key_note = QLabel("" if keyring_available() else
                               "No keyring on this system: the key is kept for this "
                               "session only.")
        self.key_note.setWordWrap(True)
        form.addRow(self.key_note)
        self.server_timeout = QSpinBox()
        self.server_timeout.setRange(1, 3600)
        self.server_timeout.setSuffix(" s")
        self.server_timeout.setValue(s.server_timeout)
        self.server_timeout.setAccessibleName("Server timeout")
        form.addRow("Server &timeout", self.server_timeout)

        def enable(backend: str) -> None:
            for widget in (self.server_url, self.server_model, self.api_key,
                           self.server_timeout):
                widget.setEnabled(backend == "server")

        self.backend.currentTextChanged.connect(enable)
        enable(s.backend)

    def _writing_tab(self, s: Settings, words: list[str]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.lt_mode = QComboBox()
        self.lt_mode.addItems(LT_MODES)
        self.lt_mode.setCurrentText(s.languagetool_mode)
        self.lt_mode.setAccessibleName("LanguageTool mode")
        form.addRow("&LanguageTool", self.lt_mode)
        self.lt_url = QLineEdit(s.languagetool_url)
        self.lt_url.setPlaceholderText("http://localhost:8081 (for the server mode)")
        self.lt_url.setAccessibleName("LanguageTool server URL")
        form.addRow("Server &URL", self.lt_url)
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(LANGUAGES)
        self.language.setCurrentText(s.language)
        self.language.setAccessibleName("Document language")
        form.addRow("Lan&guage", self.language)
        self.picky = QCheckBox("Report style nits too (picky mode)")
        self.picky.setChecked(s.picky)
        form.addRow(self.picky)
        self.dictionary = QPlainTextEdit("\n".join(sorted(words)))
        self.dictionary.setAccessibleName("Personal dictionary, one word per line")
        self.dictionary.setPlaceholderText("One word per line")
        form.addRow("Personal &dictionary", self.dictionary)
        self.ontology = QLineEdit(s.ontology)
        self.ontology.setPlaceholderText("the sample travel ontology")
        self.ontology.setAccessibleName("Ontology file")
        form.addRow("&Ontology", _browse_row(self.ontology, "Ontology file",
                                             "Ontologies (*.owl *.rdf *.owx *.nt *.ttl)"))
        return page

    def _app_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.autosave = QSpinBox()
        self.autosave.setRange(1, 3600)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(s.autosave_seconds)
        self.autosave.setAccessibleName("Autosave interval")
        form.addRow("&Autosave every", self.autosave)
        self.keep_history = QCheckBox("Keep earlier versions of each saved document "
                                      "(File → Version History)")
        self.keep_history.setChecked(s.keep_history)
        form.addRow(self.keep_history)
        self.reopen_last = QCheckBox("Reopen the last document where I left off, with the "
                                     "panels as they were")
        self.reopen_last.setChecked(s.reopen_last)
        form.addRow(self.reopen_last)
        self.theme = QComboBox()
        self.theme.addItems(THEMES)
        self.theme.setCurrentText(s.theme)
        self.theme.setAccessibleName("Theme")
        form.addRow("T&heme", self.theme)
        self.font_box = QFontComboBox()
        if s.editor_font:
            self.font_box.setCurrentFont(QFont(s.editor_font))
        self.font_box.setAccessibleName("Editor font")
        form.addRow("Editor &font", self.font_box)
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setValue(s.editor_font_size)
        self.font_size.setAccessibleName("Editor font size")
        form.addRow("Font si&ze", self.font_size)
        return page

    def result_settings(self) -> Settings:
        gpu = self.gpu.currentText().strip()
        gpu_value: str | int = "auto" if gpu == "auto" else int(gpu) if gpu.lstrip(
            "-").isdigit() else gpu
        dirs = [d.strip() for d in self.model_dirs.text().split(";") if d.strip()]
        return replace(
            self.original, model=self.model.text().strip(), model_dirs=dirs,
            judge=self.judge.text().strip(),
            context_size=self.context.value(), threads=self.threads.value(),
            gpu_layers=gpu_value, backend=self.backend.currentText(),
            server_url=self.server_url.text().strip(),
            server_model=self.server_model.text().strip(),
            server_timeout=self.server_timeout.value(),
            languagetool_mode=self.lt_mode.currentText(), languagetool_url=self.lt_url.text(),
            language=self.language.currentText().strip(), picky=self.picky.isChecked(),
            ontology=self.ontology.text().strip(), autosave_seconds=self.autosave.value(),
            keep_history=self.keep_history.isChecked(),
            reopen_last=self.reopen_last.isChecked(),
            theme=self.theme.currentText(), editor_font=self.font_box.currentFont().family(),
            editor_font_size=self.font_size.value())

    def words(self) -> list[str]:
        return [w.strip() for w in self.dictionary.toPlainText().splitlines() if w.strip()]

    def _problem(self) -> str:
        """Why the settings as filled in cannot be applied; "" when they can."""
        settings = self.result_settings()
        for key in ("gpu_layers", "language", "languagetool_mode"):
            problem = validate(key, getattr(settings, key))
            if problem:
                return f"{key.replace('_', ' ')}: {problem}"
        judge = find_judge(settings.judge)
        if judge is not None and not Path(judge).is_file():
            return (f"Proofreading judge: {settings.judge} is not a file, nor one in "
                    f"{app_paths().judges}")
        if settings.languagetool_mode == "server" and not settings.languagetool_url:
            return "The server mode needs a server URL."
        if settings.backend == "server":
            try:
                base = api_base(settings.server_url)
            except ModelError as exc:
                return f"Model server: {exc}."
            if not save_key(base, self.api_key.text().strip()) and self.api_key.text():
                self.key_note.setText("No keyring on this system: the key is kept for this "
                                      "session only.")
        return ""

    def _accept(self) -> None:
        problem = self._problem()
        self.problem.setText(problem)
        if not problem:
            self.accept()

    def unsaved(self) -> list[Unsaved]:
        """Settings changed here but not applied (OK not pressed yet)."""
        if self.result_settings() == self.initial and self.words() == self.original_words:
            return []
        return [Unsaved("Settings", "changed in the Settings dialog, not applied",
                        self._apply_now)]

    def _apply_now(self) -> bool:
        problem = self._problem()
        self.problem.setText(problem)
        if problem:
            self.show()
            return False
        if self.on_apply is not None:
            self.on_apply(self.result_settings(), self.words())
        self.done(QDialog.DialogCode.Rejected)  # applied here: exec's caller does nothing
        return True
