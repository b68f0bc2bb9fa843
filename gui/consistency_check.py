"""Ontology → Check Consistency: HermiT off the GUI thread, a busy dialog with Cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from gui.workers import OntologyWorker


class ConsistencyCheck(QObject):
    request = Signal(int, object)
    finished = Signal(str)  # the summary (or the reason it failed), also for tests

    def __init__(self, worker: OntologyWorker, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.job = 0
        self.cancel: threading.Event | None = None
        self.dialog: QProgressDialog | None = None
        self.request.connect(worker.check_consistency)
        worker.consistency.connect(self._done)
        worker.consistency_failed.connect(self._failed)

    @property
    def running(self) -> bool:
        return self.cancel is not None

    def start(self) -> None:
        if self.running:
            return
        self.job += 1
        self.cancel = threading.Event()
        dialog = QProgressDialog("Checking the ontology with the HermiT reasoner…", "Cancel",
                                 0, 0, self.window)
        dialog.setWindowTitle("Ontology consistency")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # keep writing meanwhile
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.stop)
        dialog.show()
        self.dialog = dialog
        self.request.emit(self.job, self.cancel)

    def stop(self) -> None:
        if self.cancel is not None:
            self.cancel.set()

    def _close(self) -> None:
        self.cancel = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.stop)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, job: int, report: object) -> None:
        if job != self.job:
            return
        self._close()
        summary = report.summary()  # type: ignore[attr-defined]
        self.finished.emit(summary)
        if not self.window.property("quiet"):
            QMessageBox.information(self.window, "Ontology consistency", summary)

    def _failed(self, job: int, message: str) -> None:
        if job != self.job:
            return
        cancelled = self.cancel is not None and self.cancel.is_set()
        self._close()
        self.finished.emit(message)
        if not cancelled and not self.window.property("quiet"):
            QMessageBox.warning(self.window, "Consistency check", message)
