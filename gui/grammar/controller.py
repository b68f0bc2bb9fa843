"""Checks the document after a pause in typing, one job in flight, dropping stale results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from engine.config import Settings
from engine.grammar.checker import GrammarChecker
from engine.grammar.issues import CheckResult, Issue
from gui.editor.editor import Editor
from gui.window.changes import Changes
from gui.window.hosts import GrammarHost
from gui.window.lane import Lane

PAUSE_MS = 450
EARLY_MS = 120  # Harper reads the edited paragraph this early in the pause, unseen
Orders = dict[str, tuple[str, ...]]  # issue key -> its replacements, the model's best first
# (text, issues, where to send the orders): set by the window when a model can judge
OrderFn = Callable[[str, list[Issue], Callable[[Orders], None]], None]


class GrammarController(QObject):
    checked = Signal(object)  # a CheckResult for the current text
    engine_state = Signal(str, str)
    failed = Signal(str)

    def __init__(self, editor: Editor, settings: Settings, changes: Changes) -> None:
        super().__init__()
        self.editor = editor
        self.revision = 0
        self.in_flight = False
        self.pending = False
        self.markup = "plaintext"
        self.sent_text = ""
        self.last: CheckResult | None = None
        self.states: dict[str, str] = {}  # each checker's state, as it last said
        self.order_replacements: OrderFn | None = None
        self.lane = Lane("grammar", GrammarHost(), on_failed=self.failed.emit)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.check_now)
        self.early = QTimer(self)
        self.early.setSingleShot(True)
        self.early.setInterval(EARLY_MS)
        self.early.timeout.connect(self._prefetch)
        self.prefetching = False
        editor.text_edited.connect(self._edited)
        editor.add_word.connect(self._add_word)
        # while a project is open, Add to Dictionary goes to its dictionary (True: taken)
        self.project_word: Callable[[str], bool] | None = None
        editor.ignore_rule.connect(self._ignore_rule)
        editor.ignore_once.connect(self._ignore_once)
        on_state = self.lane.on_gui(self._state)
        self.lane.run(lambda host, _ctx: host.start(settings, on_state))
        changes.settings.connect(self._settings_changed)
        changes.dictionary.connect(
            lambda words: self.tell(lambda c: c.set_dictionary(words)))

    def _settings_changed(self, old: Settings, new: Settings) -> None:
        if (old.language, old.picky) != (new.language, new.picky):
            self.tell(lambda checker: checker.set_options(new.language, new.picky))

    def tell(self, change: Callable[[GrammarChecker], None]) -> None:
        """Change the checker (words, ignored rules, options) and check again."""
        self.lane.run(lambda host, _ctx: change(host.require()))
        self.timer.start()

    def _edited(self) -> None:
        self.revision += 1
        self.timer.start()
        self.early.start()

    def _prefetch(self) -> None:
        """Harper's answers for the text as it is, cached for the check at the end of the
        pause: its underlines then wait only for the merge and the paint."""
        if self.prefetching:
            return
        self.prefetching = True
        text, markup = self.editor.toPlainText(), self.markup
        self.lane.run(lambda host, _ctx: host.checker.prefetch(text, markup)
                      if host.checker is not None else 0, self._prefetched, self._prefetched)

    def _prefetched(self, _value: object) -> None:
        self.prefetching = False  # a failure here shows in the check that follows

    def check_now(self) -> None:
        if self.in_flight:
            self.pending = True
            return
        self.in_flight = True
        self.pending = False
        text, revision, markup = self.editor.toPlainText(), self.revision, self.markup
        self.sent_text = text
        self.lane.run(lambda host, ctx: host.require().check(text, revision, markup,
                                                             on_partial=ctx.progress),
                      self._result, self._failed, self._partial)

    def _partial(self, result: object) -> None:
        """Harper's underlines at once; LanguageTool's are merged in when they come."""
        if isinstance(result, CheckResult) and result.revision == self.revision \
                and not self.pending:
            self._show(result)

    def _result(self, result: CheckResult) -> None:
        self.in_flight = False
        if result.revision != self.revision or self.pending:
            self.check_now()  # the text moved on: this result is stale
            return
        self._show(result)

    def _show(self, result: CheckResult, ordered: bool = False) -> None:
        self.last = result
        self.editor.set_issues(result.issues, self.sent_text, result.lines)
        self.checked.emit(result)
        if result.complete and not ordered and self.order_replacements is not None and \
                any(len(i.replacements) > 1 for i in result.issues):
            self.order_replacements(self.sent_text, list(result.issues),
                                    lambda orders: self._ordered(result, orders))

    def reorder(self) -> None:
        """Order the shown issues' replacements again (a model has just loaded). The
        result shown again says how the checkers are now, not how they were when it was
        made (LanguageTool would flicker back to "starting")."""
        if self.last is not None and self.last.complete:
            self._show(replace(self.last, engines={**self.last.engines, **self.states}))

    def _ordered(self, result: CheckResult, orders: Orders) -> None:
        """The model's order of replacements, if the result is still the one shown."""
        if self.last is not result or not orders:
            return
        issues = [i._replace(replacements=orders[i.key]) if i.key in orders else i
                  for i in result.issues]
        self._show(replace(result, issues=issues, engines={**result.engines, **self.states}),
                   ordered=True)

    def _failed(self, message: str) -> None:
        self.in_flight = False
        self.failed.emit(message)

    def _state(self, change: tuple[str, str]) -> None:
        engine, state = change
        self.states[engine] = state
        self.engine_state.emit(engine, state)
        if engine == "languagetool" and state == "ready":
            self.timer.start()  # deeper checks are available now

    def accept_session_words(self, words: list[str]) -> None:
        self.tell(lambda checker: checker.accept_words(words))

    def forget_session_words(self, words: list[str]) -> None:
        self.tell(lambda checker: checker.forget_words(words))

    def _add_word(self, word: str) -> None:
        if self.project_word is not None and self.project_word(word):
            self.accept_session_words([word])  # the project's dictionary keeps it
            return
        self.tell(lambda checker: checker.add_to_dictionary(word))

    def _ignore_rule(self, rule: str) -> None:
        self.tell(lambda checker: checker.ignore_rule(rule))

    def _ignore_once(self, issue: Issue) -> None:
        self.tell(lambda checker: checker.ignore_once(issue))

    def stop(self, wait_ms: int = 3000) -> None:
        self.timer.stop()
        self.early.stop()
        self.lane.stop(GrammarHost.close, wait_ms)
