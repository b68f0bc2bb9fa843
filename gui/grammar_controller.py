"""Checks the document after a pause in typing, one job in flight, dropping stale results."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from engine.config import Settings
from engine.grammar.checker import CheckResult, Issue
from gui.editor import Editor
from gui.workers import GrammarWorker, start_thread

PAUSE_MS = 450


class GrammarController(QObject):
    request = Signal(str, int, str)
    start_worker = Signal(object)
    add_word = Signal(str)
    ignore_rule = Signal(str)
    ignore_once = Signal(object)
    set_words = Signal(object)
    accept_words = Signal(object)
    set_options = Signal(str, bool)
    shutdown = Signal()
    checked = Signal(object)  # a CheckResult for the current text
    engine_state = Signal(str, str)
    lt_address = Signal(str)  # the LanguageTool server's URL, once it is ready
    failed = Signal(str)

    def __init__(self, editor: Editor, settings: Settings) -> None:
        super().__init__()
        self.editor = editor
        self.revision = 0
        self.in_flight = False
        self.pending = False
        self.markup = "plaintext"
        self.sent_text = ""
        self.last: CheckResult | None = None
        self.worker = GrammarWorker()
        self.worker_thread = start_thread(self.worker, "grammar")
        self.request.connect(self.worker.check)
        self.start_worker.connect(self.worker.start)
        self.add_word.connect(self.worker.add_word)
        self.ignore_rule.connect(self.worker.ignore_rule)
        self.ignore_once.connect(self.worker.ignore_once)
        self.set_words.connect(self.worker.set_words)
        self.accept_words.connect(self.worker.accept_words)
        self.set_options.connect(self.worker.set_options)
        self.shutdown.connect(self.worker.shutdown)
        self.worker.partial.connect(self._partial)
        self.worker.result.connect(self._result)
        self.worker.state.connect(self._state)
        self.worker.lt_address.connect(self.lt_address)
        self.worker.failed.connect(self.failed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.check_now)
        editor.document().contentsChanged.connect(self._edited)
        editor.add_word.connect(self._add_word)
        editor.ignore_rule.connect(self._ignore_rule)
        editor.ignore_once.connect(self._ignore_once)
        self.start_worker.emit(settings)

    def _edited(self) -> None:
        self.revision += 1
        self.timer.start()

    def check_now(self) -> None:
        if self.in_flight:
            self.pending = True
            return
        self.in_flight = True
        self.pending = False
        self.sent_text = self.editor.toPlainText()
        self.request.emit(self.sent_text, self.revision, self.markup)

    def _partial(self, result: CheckResult) -> None:
        """Harper's underlines at once; LanguageTool's are merged in when they come."""
        if result.revision == self.revision and not self.pending:
            self._show(result)

    def _result(self, result: CheckResult) -> None:
        self.in_flight = False
        if result.revision != self.revision or self.pending:
            self.check_now()  # the text moved on: this result is stale
            return
        self._show(result)

    def _show(self, result: CheckResult) -> None:
        self.last = result
        self.editor.set_issues(result.issues, self.sent_text)
        self.checked.emit(result)

    def _state(self, engine: str, state: str) -> None:
        self.engine_state.emit(engine, state)
        if engine == "languagetool" and state == "ready":
            self.timer.start()  # deeper checks are available now

    def accept_session_words(self, words: list[str]) -> None:
        self.accept_words.emit(words)
        self.timer.start()

    def _add_word(self, word: str) -> None:
        self.add_word.emit(word)
        self.timer.start()

    def _ignore_rule(self, rule: str) -> None:
        self.ignore_rule.emit(rule)
        self.timer.start()

    def _ignore_once(self, issue: Issue) -> None:
        self.ignore_once.emit(issue)
        self.timer.start()

    def stop(self, wait_ms: int = 3000) -> None:
        self.timer.stop()
        self.shutdown.emit()
        self.worker_thread.quit()
        self.worker_thread.wait(wait_ms)
