"""The Models dialog: the GGUF models found (metadata, memory estimate, import, the
default) and the "Get models" tab (the catalogue and downloads)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.config import Settings
from engine.errors import ModelError
from engine.model.gguf import default_model_path, find_models, read_metadata
from engine.model.llm import gpu_offload_supported
from engine.paths import app_paths
from gui.models.get_models_tab import GetModelsTab
from gui.models.tables import pick_table


class ModelManager(QDialog):
    default_changed = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 server_models: list[str] | None = None, tab: str = "installed") -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.settings = settings
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs)
        installed = QWidget()
        layout = QVBoxLayout(installed)
        self.tabs.addTab(installed, "&Installed")
        if settings.backend == "server":
            self._server_section(layout, server_models or [])
        offload = gpu_offload_supported()
        self.offload = QLabel("GPU offload: available in this build" if offload else
                              "GPU offload: not in this build — models run on the CPU")
        layout.addWidget(self.offload)
        self.table = pick_table(["Name", "Quantization", "Size", "Context", "Memory (est.)",
                                 "File"], "Models found")
        layout.addWidget(self.table)
        self.problems = QLabel("")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        importer = QPushButton("&Import GGUF…")
        importer.clicked.connect(self.import_model)
        default = QPushButton("Set as &default")
        default.clicked.connect(self.set_default)
        row.addWidget(importer)
        row.addWidget(default)
        row.addStretch(1)
        layout.addLayout(row)
        self.get_models = GetModelsTab(settings, self, offload)
        self.get_models.model_ready.connect(lambda _path: self.refresh())
        self.get_models.use_as_default.connect(self._default_from_download)
        self.tabs.addTab(self.get_models, "&Get models")
        if tab == "get":
            self.tabs.setCurrentWidget(self.get_models)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(980, 640)
        self.refresh()

    def _default_from_download(self, path: str) -> None:
        self.settings.model = path
        self.default_changed.emit(path)
        self.refresh()

    def done(self, result: int) -> None:
        self.get_models.stop()
        super().done(result)

    def _server_section(self, layout: QVBoxLayout, names: list[str]) -> None:
        """The server's models: the one in use starred; pick another."""
        where = self.settings.server_url
        layout.addWidget(QLabel(f"On the server {where}:" if names else
                                f"The server {where} has not answered yet; its "
                                "models show here once it has."))
        self.server_list = QListWidget()
        self.server_list.setAccessibleName("Models on the server")
        current = self.settings.server_model or (names[0] if names else "")
        for name in names:
            item = QListWidgetItem(("★ " if name == current else "") + name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.server_list.addItem(item)
        self.server_list.setMaximumHeight(120)
        layout.addWidget(self.server_list)
        use = QPushButton("&Use this server model")
        use.clicked.connect(self.use_server_model)
        layout.addWidget(use)
        layout.addWidget(QLabel("GGUF files for the in-process backend:"))

    def use_server_model(self) -> None:
        item = self.server_list.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        self.settings.server_model = name
        for row in range(self.server_list.count()):
            other = self.server_list.item(row)
            other.setText(("★ " if other.data(Qt.ItemDataRole.UserRole) == name else "")
                          + other.data(Qt.ItemDataRole.UserRole))
        self.default_changed.emit(name)

    def refresh(self) -> None:
        found, problems = find_models(self.settings)
        current = default_model_path(self.settings)
        self.table.setRowCount(len(found))
        n_ctx = self.settings.context_size or 4096
        for row, info in enumerate(found):
            mark = "★ " if current and str(current) == info.path else ""
            memory = info.estimate_memory_bytes(min(n_ctx, info.context_length or n_ctx))
            cells = [mark + info.name, info.quantization, f"{info.size_bytes / 1e6:.0f} MB",
                     str(info.context_length), f"{memory / 1e6:.0f} MB", info.path]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.path)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.problems.setText("\n".join(problems))

    def import_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a GGUF model", "", "GGUF (*.gguf)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> Path | None:
        try:
            read_metadata(path)
        except ModelError as exc:
            QMessageBox.warning(self, "Not imported", str(exc))
            return None
        target = app_paths().models / path.name
        if target.exists():
            QMessageBox.information(self, "Already there", f"{target.name} is already "
                                    "in the models folder.")
            return target
        partial = target.with_suffix(".gguf.part")
        try:
            shutil.copyfile(path, partial)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            QMessageBox.warning(self, "Not imported", f"{path}: cannot copy it ({exc})")
            return None
        self.refresh()
        return target

    def set_default(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        item = self.table.item(row, 0)
        if item is None:
            return
        path = item.data(Qt.ItemDataRole.UserRole)
        self.settings.model = path
        self.default_changed.emit(path)
        self.refresh()
