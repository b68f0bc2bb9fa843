"""What each lane owns: the model and the grammar checker (see ``gui.window.lane``; the
ontology's owner is ``gui.window.ontology_host``).

Each owner is a plain object touched only by its lane's thread; the controllers send it
operations through ``Lane.run``. The model's evaluation reaches the one grammar checker and
the one ontology through their lanes (``GrammarOnLane``, ``EntitiesOnLane``), so the app
holds a single Harper, a single LanguageTool client and a single copy of the ontology.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engine.config import Settings
from engine.errors import WordloomError
from engine.grammar.checker import GrammarChecker
from engine.grammar.issues import CheckResult, Issue
from engine.grammar.language import warm as warm_language
from engine.model.backend import ModelBackend, open_backend
from engine.model.judge_choice import judge_beside
from engine.model.scorer import LogProbScorer
from engine.model.server import ServerRunner, leaves_machine
from engine.text.readability import reading_ease
from engine.writing.assistant import Assistant, AssistRequest, BuiltPrompt
from engine.writing.evaluate import Evaluator
from engine.writing.optimize import Outcome, suggest
from engine.writing.proofread import Proofread, order_replacements, proofread_text
from engine.writing.templates import TemplateLibrary
from gui.window.lane import Lane, OpContext
from gui.window.loads import no_gc_pauses, one_load_at_a_time, settle_memory
from gui.window.ontology_host import EntitiesOnLane

if TYPE_CHECKING:
    pass

@dataclass(frozen=True)
class Chunk:
    """Streamed text of one candidate, reported while the model writes."""

    index: int
    text: str


@dataclass(frozen=True)
class Stage:
    """What a generation is doing now, for the panel's status line."""

    text: str


@dataclass(frozen=True)
class ModelInfo:
    name: str
    device: str  # "CPU", "GPU (30 layers)", "server host:port · 12 ms"
    backend: str  # "in-process", or "server: URL model"
    n_ctx: int
    leaves_machine: bool  # plain http to another machine
    server_models: tuple[str, ...] = ()  # what the server offers (the server backend)
    judge: str = ""  # the judge setting's model, when it judges (else the model judges)
    judge_problem: str = ""  # why the judge setting's model was passed over

    @property
    def state(self) -> str:
        """The status bar's words for it."""
        judge = f" · judge {self.judge}" if self.judge else ""
        return f"{self.name} · {self.device} · context {self.n_ctx}{judge}"


class GrammarHost:
    """The app's one grammar checker (Harper in process, LanguageTool as a client)."""

    def __init__(self) -> None:
        self.checker: GrammarChecker | None = None

    def start(self, settings: Settings, on_state: Callable[[tuple[str, str]], None]) -> None:
        with no_gc_pauses():  # big allocations: no collections holding the GIL
            # Harper builds its linter in Rust without the GIL (0.8 s): beside other loads
            self.checker = GrammarChecker(
                settings, on_state=lambda engine, state: on_state((engine, state)))
            on_state(("harper", self.checker.harper_state))
            self.checker.start(wait=False)  # spawned from this long-lived thread
            if self.checker.lt is not None:
                on_state(("languagetool", self.checker.lt.state))
        with one_load_at_a_time():
            warm_language()  # the language model, before the first paragraph needs it

    def require(self) -> GrammarChecker:
        if self.checker is None:
            raise RuntimeError("the grammar checker has not started")
        return self.checker

    def close(self) -> None:
        if self.checker is not None:
            self.checker.close()
            self.checker = None


@dataclass(frozen=True)
class GrammarOnLane:
    """The grammar lane's checker, for a scorer on another thread (waits for answers)."""

    lane: Lane[GrammarHost]

    def check(self, text: str, timeout: float = 60.0,
              cancel: threading.Event | None = None) -> CheckResult:
        return self.lane.query(lambda host, _ctx: host.require().check(text), timeout, cancel)


OrderKey = tuple[str, int, int, tuple[str, ...]]


def _order_key(text: str, issue: Issue) -> OrderKey:
    """An issue with the text around it: the model's order holds while that is unchanged."""
    return (text[max(0, issue.start - 200):issue.end + 200], issue.start, issue.end,
            issue.replacements)


PROOFREAD_WAIT_S = 600.0


class ModelHost:
    """The loaded model, the assistant that prompts it and the evaluator of its answers."""

    def __init__(self, grammar: GrammarOnLane | None, entities: EntitiesOnLane | None) -> None:
        self.runner: ModelBackend | None = None
        self.assistant: Assistant | None = None
        self.scorer: LogProbScorer | None = None  # the judge: checked fixes, fluency, order
        self.library = TemplateLibrary()
        self.grammar = grammar
        self.evaluator = Evaluator(grammar, entities)
        self._orders: dict[OrderKey, tuple[str, ...]] = {}
        self._served = False  # the first suggestion's loads are done

    def load(self, settings: Settings) -> ModelInfo:
        with one_load_at_a_time():
            self.close()
            runner = open_backend(settings)
            try:
                runner.load()
            except BaseException:
                runner.close()
                raise
            self.runner = runner
            self.assistant = Assistant(runner, self.library)
            # the judge setting's GGUF; else the loaded GGUF (its own context; the file's
            # pages are shared), or for a server the local starter model when there is one
            problems: list[str] = []
            self.scorer = judge_beside(runner, settings, problems)
            self.evaluator.scorer = self.scorer
            reading_ease("Load the pronouncing dictionary now, not during the first suggestion.")
        remote = settings.backend == "server" and leaves_machine(settings.server_url)
        offered = tuple(runner.models) if isinstance(runner, ServerRunner) else ()
        judge = Path(self.scorer.model_path).stem \
            if settings.judge and self.scorer is not None and not problems else ""
        return ModelInfo(runner.display_name, runner.device_label, runner.backend_label,
                         runner.n_ctx, remote, offered, judge, "; ".join(problems))

    def serve(self, request: AssistRequest, ctx: OpContext, rounds: int) -> Outcome | BuiltPrompt:
        """Generate (streaming ``Chunk``s and ``Round``s as progress), or with 0 rounds only
        build the prompt (the inspector)."""
        if self.assistant is None:
            raise RuntimeError("the model is not loaded")
        if rounds <= 0:
            return self.assistant.build(request)
        try:
            return suggest(self.assistant, self.evaluator, request, max_rounds=rounds,
                           on_chunk=lambda i, text: ctx.progress(Chunk(i, text)),
                           cancel=ctx.cancel, on_round=ctx.progress,
                           on_candidate=lambda c: ctx.progress(c) if c.round == 0 else None,
                           on_stage=lambda text: ctx.progress(Stage(text)))
        finally:  # the first suggestion imports and loads more (inflections, BLEU)
            settle_memory(freeze=not self._served)
            self._served = True

    def proofread(self, text: str, cancel: threading.Event | None = None) -> Proofread:
        """The checked fixes of one paragraph: the grammar lane's issues, judged by the
        model when it is loaded (the checkers' plain fixes when it is not)."""
        grammar = self.grammar
        try:  # the checkers may be busy with a long document's own check: wait for them
            issues = grammar.check(text, PROOFREAD_WAIT_S, cancel).issues \
                if grammar is not None and text.strip() else []
        except TimeoutError as exc:
            raise WordloomError("the grammar checkers have been busy with the document for "
                                f"{PROOFREAD_WAIT_S / 60:.0f} minutes; try again when its "
                                "underlines are in") from exc
        return proofread_text(text, issues, self.scorer, cancel=cancel)

    def order(self, text: str, issues: list[Issue], cancel: threading.Event | None = None,
              limit: int = 40) -> dict[str, tuple[str, ...]]:
        """The replacements of ``text``'s issues in the model's order, by issue key (at most
        ``limit`` issues are scored a call; answers are kept for unchanged sentences)."""
        if self.scorer is None:
            return {}
        out: dict[str, tuple[str, ...]] = {}
        todo: list[Issue] = []
        for issue in issues:
            if len(issue.replacements) < 2:
                continue
            key = _order_key(text, issue)
            if key in self._orders:
                out[issue.key] = self._orders[key]
            elif len(todo) < limit:
                todo.append(issue)
        if todo:
            for index, order in order_replacements(text, todo, self.scorer, cancel).items():
                issue = todo[index]
                if len(self._orders) > 5000:
                    self._orders.clear()
                self._orders[_order_key(text, issue)] = order
                out[issue.key] = order
        return out

    def close(self) -> None:
        if self.scorer is not None:
            self.scorer.close()
            self.scorer = None
            self.evaluator.scorer = None
        if self.runner is not None:
            self.runner.close()
            self.runner = None
            self.assistant = None

