"""The "Get models" tab: the catalogue with what fits this machine, and downloads with
progress, Pause, Resume and Cancel. A download runs on its own thread; the window stays
usable, and a paused or interrupted download resumes where it stopped (even after a
restart). Nothing is fetched until the writer presses a button."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.config import Settings
from engine.model.catalog import CatalogEntry, load_catalog
from engine.model.download import (
    DownloadCancelled,
    DownloadError,
    DownloadResult,
    Progress,
    Source,
    discard_partial,
    download,
    partial_bytes,
)
from engine.model.hardware import gpu_memory_bytes, total_ram_bytes
from engine.paths import app_paths
from gui.models.tables import pick_table

FIT_TEXT = {"gpu": "✓ on the GPU", "fits": "✓ fits", "tight": "~ tight", "too big": "✗ too big"}
FIT_COLOUR = {"gpu": "#2e7d32", "fits": "#2e7d32", "tight": "#b26a00", "too big": "#c62828"}
TIMEOUT_S = 20.0


class _Relay(QObject):
    """Emitted on the download thread, delivered on the window's (queued)."""

    progress = Signal(object)
    done = Signal(object)
    failed = Signal(str, bool)  # message, cancelled


@dataclass
class Job:
    name: str  # the file name
    source: Source
    cancel: threading.Event = field(default_factory=threading.Event)
    discard: bool = False  # Cancel (True) or Pause (False)
    thread: threading.Thread | None = None


def human(n: float) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def eta(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s" if seconds >= 60 else \
        f"{int(seconds)} s"


class GetModelsTab(QWidget):
    model_ready = Signal(str)  # the path of a model now in the models folder
    use_as_default = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 offload: bool = False) -> None:
        super().__init__(parent)
        self.settings = settings
        self.catalog = load_catalog()
        self.ram = total_ram_bytes()
        self.vram = gpu_memory_bytes() if offload else 0
        self.job: Job | None = None
        self.last_path = ""
        self.relay = _Relay()
        self.relay.progress.connect(self._on_progress)
        self.relay.done.connect(self._on_done)
        self.relay.failed.connect(self._on_failed)

        layout = QVBoxLayout(self)
        machine = f"This machine: {self.ram / 1e9:.1f} GB of memory"
        if self.vram:
            machine += f" and a GPU with {self.vram / 1e9:.1f} GB"
        n_ctx = settings.context_size or 4096
        self.machine = QLabel(f"{machine}. Memory needed is for a {n_ctx}-token context.")
        layout.addWidget(self.machine)
        self.table = pick_table(["Model", "Download", "Needs", "This machine", "Languages",
                                 "Licence"], "Models to download")
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(True)
        self.details.setMinimumHeight(56)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.details)

        row = QHBoxLayout()
        self.download_button = QPushButton("&Download")
        self.download_button.clicked.connect(self.download_selected)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.clicked.connect(self.pause)
        self.cancel_button = QPushButton("&Cancel download")
        self.cancel_button.clicked.connect(self.cancel)
        self.default_button = QPushButton("&Use as default")
        self.default_button.clicked.connect(self._use_as_default)
        for button in (self.download_button, self.pause_button, self.cancel_button,
                       self.default_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel("Nothing is downloaded until you press Download.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        form = QFormLayout()
        link_row = QHBoxLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…/model.gguf")
        self.url.setAccessibleName("Link to a GGUF file")
        self.sha = QLineEdit()
        self.sha.setPlaceholderText("SHA-256 (optional)")
        self.sha.setAccessibleName("Its SHA-256")
        self.url_button = QPushButton("Download &link")
        self.url_button.clicked.connect(self.download_url)
        link_row.addWidget(self.url, 3)
        link_row.addWidget(self.sha, 2)
        link_row.addWidget(self.url_button)
        form.addRow("Or a link:", link_row)
        self.endpoint = QLineEdit(settings.hub_endpoint)
        self.endpoint.setPlaceholderText("the public hub")
        self.endpoint.setAccessibleName("Hub mirror")
        self.endpoint.setToolTip("A company mirror of the model hub, e.g. "
                                 "https://hub-mirror.example.com")
        form.addRow("Hub mirror:", self.endpoint)
        layout.addLayout(form)
        self.problems = QLabel("\n".join(self.catalog.problems))
        self.problems.setWordWrap(True)
        self.problems.setVisible(bool(self.catalog.problems))
        layout.addWidget(self.problems)
        self.fill()
        self._recommend()
        self._buttons()

    def _recommend(self) -> None:
        """Select the biggest model that fits with room to spare: where a newcomer starts."""
        n_ctx = self.settings.context_size or 4096
        fitting = [e for e in self.catalog.entries
                   if e.to_json(n_ctx, self.ram, self.vram)["fits"] and e.size_bytes < 6e9]
        if fitting:
            self.select(fitting[-1].name)

    # --- the table ---------------------------------------------------------------------

    def fill(self) -> None:
        models = app_paths().models
        n_ctx = self.settings.context_size or 4096
        entries = self.catalog.entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            data = entry.to_json(n_ctx, self.ram, self.vram)
            state = self._state(entry, models)
            size = human(entry.size_bytes) + ("" if entry.size_exact else " (about)")
            cells = [entry.display_name + state, size, f"{data['ram_gb']:.1f} GB",
                     FIT_TEXT[data["fit"]], ", ".join(entry.languages[:6]), entry.license]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.name)
                if col == 3:
                    item.setForeground(QColor(FIT_COLOUR[data["fit"]]))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()

    @staticmethod
    def _state(entry: CatalogEntry, models: Path) -> str:
        if (models / entry.file).exists():
            return "  — installed"
        kept = partial_bytes(entry.file)
        if kept:
            return f"  — paused at {100 * kept / max(1, entry.size_bytes):.0f}%"
        return ""

    def selected(self) -> CatalogEntry | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return self.catalog.find(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(row)
                return

    def _selected(self) -> None:
        entry = self.selected()
        if entry is None:
            self.details.setText("")
        else:
            sha = (f"SHA-256 {entry.sha256[:16]}… checked" if entry.sha256 else
                   "checked against the hub's SHA-256")
            warn = "" if entry.confirmed else \
                "<br><i>Not confirmed here: the file name is as published; size is a guess.</i>"
            licence = (f'<a href="{escape(entry.license_url)}">{escape(entry.license)}</a>'
                       if entry.license_url else escape(entry.license))
            self.details.setText(
                f"<b>{escape(entry.display_name)}</b> · {escape(entry.quantization)} · "
                f"context {entry.context_length:,} · licence {licence}<br>"
                f"{escape(entry.notes)}<br><small>{escape(entry.repo)} / "
                f"{escape(entry.file)} @ {escape(entry.revision[:12])} · {sha}</small>{warn}")
        self._buttons()

    def _buttons(self) -> None:
        busy = self.job is not None
        entry = self.selected()
        installed = entry is not None and (app_paths().models / entry.file).exists()
        kept = partial_bytes(entry.file) if entry is not None else 0
        self.download_button.setEnabled(not busy and entry is not None and not installed)
        self.download_button.setText("&Resume" if kept and not busy else "&Download")
        running = self.job is not None and not self.job.cancel.is_set()
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running or (not busy and kept > 0))
        self.url_button.setEnabled(not busy)
        self.default_button.setEnabled(not busy and (installed or bool(self.last_path)))

    # --- downloading ---------------------------------------------------------------------

    def download_selected(self) -> None:
        entry = self.selected()
        if entry is None or self.job is not None:
            return
        self._start(Source.from_entry(entry, self._endpoint()), entry.sha256, "")

    def download_url(self) -> None:
        url = self.url.text().strip()
        if not url or self.job is not None:
            return
        self._start(Source(url=url), "", self.sha.text().strip())

    def _endpoint(self) -> str:
        endpoint = self.endpoint.text().strip().rstrip("/")
        self.settings.hub_endpoint = endpoint
        return endpoint

    def _start(self, source: Source, catalogue_sha: str, given_sha: str) -> None:
        job = Job(source.file_name, source)
        relay = self.relay

        def work() -> None:
            try:
                result = download(source, sha256=given_sha, catalogue_sha256=catalogue_sha,
                                  timeout=TIMEOUT_S, progress=relay.progress.emit,
                                  cancel=job.cancel)
            except DownloadCancelled as exc:
                if job.discard:
                    discard_partial(job.name)
                relay.failed.emit(str(exc), True)
            except DownloadError as exc:
                relay.failed.emit(str(exc), False)
            except Exception as exc:  # a bug: said in one line, details in the log
                relay.failed.emit(f"download failed ({type(exc).__name__}: {exc})", False)
            else:
                relay.done.emit(result)

        job.thread = threading.Thread(target=work, name="model-download", daemon=True)
        self.job = job
        self.progress.setValue(0)
        self.status.setText(f"Connecting for {job.name}…")
        self._buttons()
        job.thread.start()

    def pause(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
            self.status.setText(f"Pausing {self.job.name}…")
            self._buttons()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.discard = True
            self.job.cancel.set()
            self.status.setText(f"Cancelling {self.job.name}…")
        else:  # a paused download: forget its bytes
            entry = self.selected()
            if entry is not None:
                discard_partial(entry.file)
                self.status.setText(f"{entry.display_name}: the paused download was removed.")
                self.fill()
        self._buttons()

    @Slot(object)
    def _on_progress(self, p: Progress) -> None:
        if self.job is None or self.job.cancel.is_set():
            return
        if p.phase == "connecting":
            self.status.setText(f"Connecting for {self.job.name}…")
            return
        if p.total:
            self.progress.setValue(int(1000 * p.done / p.total))
        if p.phase == "verifying":
            self.status.setText(f"Checking {self.job.name} (SHA-256)… "
                                f"{100 * p.done / max(1, p.total or 1):.0f}%")
            return
        text = f"{human(p.done)}" + (f" of {human(p.total)}" if p.total else "")
        if p.rate > 0:
            text += f" · {p.rate / 1e6:.1f} MB/s"
            if p.total:
                text += f" · {eta((p.total - p.done) / p.rate)} left"
        if p.resumed_from:
            text += f" · resumed at {human(p.resumed_from)}"
        self.status.setText(text)

    @Slot(object)
    def _on_done(self, result: DownloadResult) -> None:
        self.job = None
        self.last_path = str(result.path)
        self.progress.setValue(1000)
        how = {"catalogue": "the catalogue's SHA-256", "given": "the SHA-256 given",
               "hub": "the hub's SHA-256", "none": "no published SHA-256 (its header was "
               "checked)"}[result.checked_against]
        self.status.setText(f"{result.path.name} is ready ({human(result.size_bytes)}, "
                            f"checked against {how}).")
        self.fill()
        self._buttons()
        self.model_ready.emit(self.last_path)

    @Slot(str, bool)
    def _on_failed(self, message: str, cancelled: bool) -> None:
        job, self.job = self.job, None
        discarded = job is not None and job.discard
        if cancelled:
            self.progress.setValue(0 if discarded else self.progress.value())
            message = ("Cancelled; nothing was kept." if discarded else
                       f"Paused at {human(partial_bytes(job.name) if job else 0)}; "
                       "Resume goes on from there.")
        self.status.setText(message)
        self.fill()
        self._buttons()

    def _use_as_default(self) -> None:
        entry = self.selected()
        path = str(app_paths().models / entry.file) if entry is not None and \
            (app_paths().models / entry.file).exists() else self.last_path
        if path:
            self.settings.model = path
            self.status.setText(f"{Path(path).name} is now the default model.")
            self.use_as_default.emit(path)

    def busy(self) -> bool:
        return self.job is not None

    def stop(self) -> None:
        """The dialog closes: a running download is paused (its bytes kept)."""
        if self.job is not None:
            self.job.cancel.set()
