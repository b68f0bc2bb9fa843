"""Ontology → Check Consistency: HermiT off the GUI thread, a busy dialog with Cancel."""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from gui.window.lane import Lane
from gui.window.ontology_host import OntologyHost

if TYPE_CHECKING:
    from ontology.reasoner import ConsistencyReport, HermitResult, HermitRun


class ConsistencyCheck(QObject):
    finished = Signal(str)  # the summary (or the reason it failed), also for tests

    def __init__(self, ontology: Lane[OntologyHost], parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.ontology = ontology
        self.waiting: Lane[None] | None = None  # HermiT is waited out here, started lazily
        self.job = 0
        self.cancel: threading.Event | None = None
        self.dialog: QProgressDialog | None = None
        self.announce = True

    @property
    def running(self) -> bool:
        return self.cancel is not None

    def start(self, announce: bool = True) -> None:
        """Run HermiT; ``announce=False`` leaves the verdict to whoever listens to
        ``finished`` (no message boxes)."""
        if self.running:
            return
        self.announce = announce
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
        job, cancel = self.job, self.cancel
        failed = partial(self._failed, job)
        # three steps on two lanes: save the copy and start Java on the ontology's thread,
        # wait up to a minute on a thread of its own, read the answer back on the ontology's
        self.ontology.run(lambda host, _ctx: host.start_check(),
                          lambda run: self._wait(job, run, cancel), failed)

    def _wait(self, job: int, run: HermitRun, cancel: threading.Event) -> None:
        if self.waiting is None:
            self.waiting = Lane("hermit", None)
        self.waiting.run(lambda _none, _ctx: run.wait(60.0, cancel),
                         lambda result: self._read(job, run, result),
                         partial(self._failed, job))

    def _read(self, job: int, run: HermitRun, result: HermitResult) -> None:
        self.ontology.run(lambda host, _ctx: host.finish_check(run, result),
                          partial(self._done, job), partial(self._failed, job))

    def shutdown(self) -> None:
        self.stop()
        if self.waiting is not None:
            self.waiting.stop(wait_ms=1000)

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

    def _done(self, job: int, report: ConsistencyReport) -> None:
        if job != self.job:
            return
        self._close()
        summary = report.summary()
        self.finished.emit(summary)
        if self.announce and not self.window.property("quiet"):
            QMessageBox.information(self.window, "Ontology consistency", summary)

    def _failed(self, job: int, message: str) -> None:
        if job != self.job:
            return
        cancelled = self.cancel is not None and self.cancel.is_set()
        self._close()
        self.finished.emit(message)
        if not cancelled and self.announce and not self.window.property("quiet"):
            QMessageBox.warning(self.window, "Consistency check", message)
