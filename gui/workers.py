"""Worker objects that live on their own threads and talk to the window through signals.

One thread owns the model (ModelWorker), one the grammar checkers (GrammarWorker), one
the ontology (OntologyWorker). Work arrives through queued signals; results leave through
signals. Cancel is a ``threading.Event`` the window sets directly.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import threading
import traceback
import weakref
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine.config import Settings
from engine.errors import WordloomError
from engine.grammar.checker import GrammarChecker, Issue
from engine.model.llm import LlamaRunner
from engine.writing.assistant import Assistant, AssistRequest, fact_subject
from engine.writing.evaluate import Evaluator
from engine.writing.optimize import suggest
from engine.writing.templates import TemplateLibrary

log = logging.getLogger("wordloom.gui")


_GC_LOCK = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a worker builds big structures: a
    collection triggered there would stop the window's thread too (the GIL)."""
    global _gc_pauses
    with _GC_LOCK:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.enable()


_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


def start_thread(worker: QObject, name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    _THREADS.add(thread)
    return thread


@atexit.register
def _stop_threads() -> None:
    """A window that was never closed must not leave running threads to the interpreter's
    teardown (Qt aborts when a running QThread is destroyed)."""
    for thread in list(_THREADS):
        with contextlib.suppress(RuntimeError):
            thread.quit()
            thread.wait(3000)


def plain_error(exc: BaseException) -> str:
    if isinstance(exc, WordloomError):
        return str(exc)
    log.error("unexpected error in a worker:\n%s", "".join(traceback.format_exception(exc)))
    return f"something went wrong ({type(exc).__name__}: {exc}); details are in the log"


class ModelWorker(QObject):
    loaded = Signal(dict)
    load_failed = Signal(str)
    prompt_ready = Signal(int, object)
    chunk = Signal(int, int, str)
    round_done = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.runner: LlamaRunner | None = None
        self.assistant: Assistant | None = None
        self.evaluator: Evaluator | None = None
        self.library = TemplateLibrary()
        self.matcher: Any = None
        self.words: list[str] = []

    @Slot(object)
    def load(self, settings: Settings) -> None:
        with no_gc_pauses():
            self._load(settings)

    def _load(self, settings: Settings) -> None:
        try:
            if self.runner is not None:
                self.runner.close()
                self.runner = None
            runner = LlamaRunner.from_settings(settings)
            runner.load()
        except Exception as exc:
            self.load_failed.emit(plain_error(exc))
            return
        self.runner = runner
        self.settings = settings
        self.assistant = Assistant(runner, self.library)
        self.evaluator = Evaluator(GrammarChecker(settings, engines=("harper",)), self.matcher)
        self.evaluator.grammar.accept_words(self.words)
        from engine.writing.readability import reading_ease

        reading_ease("Load the pronouncing dictionary now, not during the first suggestion.")
        if getattr(self, "_lt_url", ""):
            self.use_languagetool(self._lt_url)
        self.loaded.emit({"name": runner.info.name, "path": runner.info.path,
                          "device": runner.device_label, "n_ctx": runner.n_ctx,
                          "threads": runner.threads, "gpu_layers": runner.gpu_layers})

    @Slot(str)
    def use_languagetool(self, url: str) -> None:
        """Score candidates with the running LanguageTool server too (Harper always)."""
        from engine.grammar.engines import LanguageToolEngine

        if self.evaluator is None or self.runner is None:
            self._lt_url = url
            return
        settings = replace(self.settings, languagetool_mode="server", languagetool_url=url)
        engine = LanguageToolEngine(settings)
        engine.start(wait=True, timeout=30)
        if engine.ready:
            self.evaluator.grammar = GrammarChecker(settings, lt=engine)
            self.evaluator.grammar.accept_words(self.words)

    @Slot(object, object)
    def set_ontology(self, matcher: Any, words: list[str]) -> None:
        """The ontology's name index (facts kept) and its words (not misspellings)."""
        self.matcher, self.words = matcher, list(words)
        if self.evaluator is not None:
            self.evaluator.matcher = matcher
            if self.evaluator.grammar is not None:
                self.evaluator.grammar.accept_words(self.words)

    @Slot(int, object, object, int)
    def serve(self, job: int, request: AssistRequest, cancel: threading.Event | None,
              rounds: int) -> None:
        """A request with its facts attached: generate, or with 0 rounds only build the
        prompt (the inspector)."""
        if rounds > 0 and cancel is not None:
            self.generate(job, request, cancel, rounds)
        else:
            self.inspect(job, request)

    def inspect(self, job: int, request: AssistRequest) -> None:
        if self.assistant is None:
            return
        try:
            self.prompt_ready.emit(job, self.assistant.build(request))
        except Exception as exc:
            self.failed.emit(job, plain_error(exc))

    def generate(self, job: int, request: AssistRequest, cancel: threading.Event,
                 rounds: int) -> None:
        if self.assistant is None or self.evaluator is None:
            self.failed.emit(job, "the model is not loaded")
            return
        try:
            outcome = suggest(
                self.assistant, self.evaluator, request, max_rounds=rounds,
                on_chunk=lambda i, text: self.chunk.emit(job, i, text), cancel=cancel,
                on_round=lambda r: self.round_done.emit(job, r))
        except Exception as exc:
            self.failed.emit(job, plain_error(exc))
            return
        self.finished.emit(job, outcome)

    @Slot()
    def shutdown(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None


class GrammarWorker(QObject):
    partial = Signal(object)  # Harper's issues, before LanguageTool answers
    result = Signal(object)
    state = Signal(str, str)
    lt_address = Signal(str)  # the LanguageTool server's URL, once it is ready
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.checker: GrammarChecker | None = None

    @Slot(object)
    def start(self, settings: Settings) -> None:
        try:
            self.checker = GrammarChecker(settings, on_state=self._state)
            self.state.emit("harper", self.checker.harper_state)
            self.checker.start(wait=False)  # spawned from this long-lived thread
            if self.checker.lt is not None:
                self.state.emit("languagetool", self.checker.lt.state)
            with no_gc_pauses():  # big allocations: no collections holding the GIL
                from engine.grammar.language import warm

                warm()  # the language model, before the first paragraph needs it
        except Exception as exc:
            self.failed.emit(plain_error(exc))

    def _state(self, engine: str, state: str) -> None:
        self.state.emit(engine, state)
        lt = self.checker.lt if self.checker is not None else None
        if engine == "languagetool" and state == "ready" and lt is not None and lt.url:
            self.lt_address.emit(lt.url)

    @Slot(str, int, str)
    def check(self, text: str, revision: int, markup: str) -> None:
        if self.checker is None:
            return
        try:
            self.result.emit(self.checker.check(text, revision, markup,
                                                on_partial=self.partial.emit))
        except Exception as exc:
            self.failed.emit(plain_error(exc))

    @Slot(str)
    def add_word(self, word: str) -> None:
        if self.checker is not None:
            self.checker.add_to_dictionary(word)

    @Slot(str)
    def ignore_rule(self, rule: str) -> None:
        if self.checker is not None:
            self.checker.ignore_rule(rule)

    @Slot(object)
    def ignore_once(self, issue: Issue) -> None:
        if self.checker is not None:
            self.checker.ignore_once(issue)

    @Slot(object)
    def accept_words(self, words: list[str]) -> None:
        if self.checker is not None:
            self.checker.accept_words(words)

    @Slot(object)
    def set_words(self, words: list[str]) -> None:
        if self.checker is not None:
            self.checker.set_dictionary(words)

    @Slot(str, bool)
    def set_options(self, language: str, picky: bool) -> None:
        if self.checker is not None:
            self.checker.set_options(language, picky)

    @Slot()
    def shutdown(self) -> None:
        if self.checker is not None:
            self.checker.close()


class OntologyWorker(QObject):
    opened = Signal(dict)
    open_failed = Signal(str)
    looked_up = Signal(int, object)
    prepared = Signal(int, object, object, int)  # a request with its facts, to the model
    facts_attached = Signal(int, object, str)  # the lookup behind them, to the panel
    consistency = Signal(int, object)  # a ConsistencyReport
    consistency_failed = Signal(int, str)
    _hermit_done = Signal(int, object, object)  # from the waiting thread back to this one

    def __init__(self) -> None:
        super().__init__()
        self.knowledge: Any = None
        self._hermit_done.connect(self._finish_check)

    @Slot(str, str)
    def open(self, path: str, language: str) -> None:
        from ontology.knowledge import Knowledge

        try:
            with no_gc_pauses():
                knowledge = Knowledge.open(path, language)
                knowledge.matcher.warm()
        except Exception as exc:
            self.open_failed.emit(plain_error(exc))
            return
        if self.knowledge is not None:
            self.knowledge.close()
        self.knowledge = knowledge
        self.opened.emit({"path": path, "entities": len(knowledge.entities),
                          "warnings": list(knowledge.warnings),
                          "matcher": knowledge.matcher, "words": knowledge.name_words()})

    @Slot(int, str, int)
    def lookup(self, job: int, text: str, budget: int) -> None:
        if self.knowledge is None:
            return
        try:
            self.looked_up.emit(job, self.knowledge.lookup(text, budget))
        except Exception as exc:
            self.open_failed.emit(plain_error(exc))

    @Slot(int, object, object, int)
    def prepare(self, job: int, request: AssistRequest, cancel: threading.Event | None,
                rounds: int) -> None:
        """Attach the facts for this request's exact text (less the ones the writer
        unticked), with their IRIs, and pass it on to the model thread."""
        facts: list[Any] = []
        if self.knowledge is not None:
            subject = fact_subject(request)
            try:
                lookup = self.knowledge.lookup(subject, request.fact_budget)
            except Exception as exc:
                self.open_failed.emit(plain_error(exc))
            else:
                facts = lookup.kept(request.excluded_facts)
                self.facts_attached.emit(job, lookup, subject)
        request = replace(request, facts=[f.text for f in facts], fact_items=facts)
        self.prepared.emit(job, request, cancel, rounds)

    @Slot(int, object)
    def check_consistency(self, job: int, cancel: threading.Event) -> None:
        """HermiT on the open ontology. This thread only saves the copy and reads the
        answer; the minute HermiT may take is waited out on another thread, so facts for
        the writer's requests keep coming."""
        from ontology.reasoner import HermitRun

        if self.knowledge is None:
            self.consistency_failed.emit(job, "no ontology is open")
            return
        try:
            run = HermitRun(self.knowledge.store)
        except Exception as exc:
            self.consistency_failed.emit(job, plain_error(exc))
            return

        def wait() -> None:
            try:
                self._hermit_done.emit(job, run, run.wait(60.0, cancel))
            except Exception as exc:
                self.consistency_failed.emit(job, plain_error(exc))

        threading.Thread(target=wait, name="hermit", daemon=True).start()

    @Slot(int, object, object)
    def _finish_check(self, job: int, run: Any, result: Any) -> None:
        from ontology.reasoner import read_report

        if self.knowledge is None or self.knowledge.store is not run.store:
            self.consistency_failed.emit(job, "another ontology was opened during the check")
            return
        try:
            report = read_report(run.store, result, self.knowledge.language)
        except Exception as exc:
            self.consistency_failed.emit(job, plain_error(exc))
            return
        self.consistency.emit(job, report)

    @Slot()
    def shutdown(self) -> None:
        if self.knowledge is not None:
            self.knowledge.close()
            self.knowledge = None
