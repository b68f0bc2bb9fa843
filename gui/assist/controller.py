"""Runs the assistant: target text, facts, generation on the model thread, and the cards."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from engine.config import Settings
from engine.grammar.issues import Issue
from engine.grammar.language import base as language_base
from engine.text.offsets import OffsetMap
from engine.text.split import split_paragraphs
from engine.text.words import writers_word_count
from engine.writing.assistant import AssistRequest, BuiltPrompt, Candidate, voice_examples
from engine.writing.optimize import MAX_ROUNDS, Outcome, Round
from engine.writing.templates import TemplateLibrary
from gui.assist import card_actions
from gui.assist.panel import AssistantPanel
from gui.assist.stream_rate import StreamRate
from gui.assist.target import Target, current_target, paragraphs_around
from gui.editor.editor import Editor
from gui.window.hosts import Chunk, GrammarHost, GrammarOnLane, ModelHost, ModelInfo, Stage
from gui.window.lane import Lane, OpContext
from gui.window.ontology_host import EntitiesOnLane, OntologyHost

if TYPE_CHECKING:
    from gui.window.changes import Changes
    from ontology.knowledge import Lookup

MODEL_KEYS = ("model", "model_dirs", "context_size", "threads", "gpu_layers", "judge",
              "backend", "server_url", "server_model", "server_timeout")  # reload on change
CONTEXT_CHARS = 1500


class AssistController(QObject):
    message = Signal(str)
    warning = Signal(str)  # said once, in a dialog (text leaving the machine)
    model_state = Signal(str)
    speed = Signal(float)
    streamed = Signal(int, str)  # a candidate's index and its next piece of text
    prompt_shown = Signal(object)  # a BuiltPrompt, in the inspector
    generation_done = Signal(object)  # the Outcome
    generation_failed = Signal(str)
    ontology_opened = Signal(dict)
    ontology_failed = Signal(str)
    looked_up = Signal(object, str)
    model_loaded = Signal()  # a model is ready (it can order the checkers' replacements)

    def __init__(self, editor: Editor, panel: AssistantPanel, settings: Settings,
                 ontology: Lane[OntologyHost], changes: Changes,
                 grammar: Lane[GrammarHost] | None = None) -> None:
        super().__init__()
        self.editor = editor
        self.panel = panel
        self.settings = settings
        self.changes = changes
        self.lane_taken: Callable[[], bool] = lambda: False  # Proofread Document running
        self.job = 0
        self.cancel_event: threading.Event | None = None
        self.order_cancel = threading.Event()  # the queued ordering of replacements
        self.last_request: AssistRequest | None = None
        self.last_target = Target(0, 0, "")
        self.model_ready = False
        self.model_info: ModelInfo | None = None
        self.warned_remote: set[str] = set()
        self.ontology_ready = False
        self.lookup_job = 0
        self.ontology = ontology  # the window's: the knowledge base's edits go on it too
        ontology.default_failed = self.ontology_failed.emit
        self.model = Lane("model", ModelHost(GrammarOnLane(grammar) if grammar else None,
                                             EntitiesOnLane(self.ontology)),
                          on_failed=self.message.emit)
        panel.generate_requested.connect(self.generate)
        panel.cancel_requested.connect(self.cancel)
        panel.inspect_requested.connect(self.inspect_prompt)
        self.cards = card_actions.CardActions(editor, panel, changes)
        self.cards.message.connect(self.message.emit)
        panel.regenerate.connect(self.regenerate)
        self.templates = TemplateLibrary()  # the panel's list; the model lane reads its own
        panel.set_templates(self.templates.all())
        changes.settings.connect(self._settings_changed)
        changes.knowledge.connect(lambda _change: self.refresh_facts())
        changes.templates.connect(lambda: panel.set_templates(self.templates.all()))
        self.facts_timer = QTimer(self)
        self.facts_timer.setSingleShot(True)
        self.facts_timer.setInterval(600)
        self.facts_timer.timeout.connect(self.refresh_facts)
        self.facts_timer.timeout.connect(self.follow_prompt)
        panel.template_changed.connect(lambda _name: self.follow_prompt())
        editor.cursorPositionChanged.connect(self._cursor_moved)
        editor.selectionChanged.connect(self._cursor_moved)
        self.rate = StreamRate()
        self.project_ontology = ""  # the open project's story bible, when it has one

    def order_replacements(self, text: str, issues: list[Issue],
                           done: Callable[[dict[str, tuple[str, ...]]], None]) -> None:
        """Ask the model lane for each issue's replacements in the model's order (not while
        the lane proofreads a document: the checkers' order stays meanwhile)."""
        if self.model_ready and not self.lane_taken():
            self.order_cancel.set()  # an older ordering still queued is not wanted any more
            self.order_cancel = threading.Event()
            self.model.run(lambda host, ctx: host.order(text, issues, ctx.cancel), done,
                           lambda _message: None,  # no order is no loss: the checkers' stays
                           cancel=self.order_cancel)

    # -- model and ontology ----------------------------------------------------------------

    def start(self) -> None:
        self.load_model()
        self.start_ontology()

    def _settings_changed(self, old: Settings, new: Settings) -> None:
        self.settings = new
        if any(getattr(old, k) != getattr(new, k) for k in MODEL_KEYS):
            self.load_model()
        if new.ontology != old.ontology:
            self.start_ontology()

    def load_model(self) -> None:
        """(Re)load the model the settings name."""
        self.model_ready = False
        self.model_state.emit("Model: loading…")
        settings = self.settings
        self.model.run(lambda host, _ctx: host.load(settings), self._loaded, self._load_failed)

    def start_ontology(self) -> None:
        """Open the writer's ontology; while a project with a story bible is open, the
        project's (shown in the Ontology dock, its facts first) with the writer's after."""
        from ontology.knowledge import default_ontology_path

        own = str(default_ontology_path(self.settings))
        path, also = (self.project_ontology, own) if self.project_ontology else (own, "")
        language = language_base(self.settings.language)
        self.ontology.run(lambda host, _ctx: host.open(path, language, also),
                          self._ontology_opened, self.ontology_failed.emit)

    def use_project_ontology(self, path: str) -> None:
        """A project's knowledge base to use with the writer's ("" when none is open)."""
        if path != self.project_ontology:
            self.project_ontology = path
            self.start_ontology()

    def _loaded(self, info: ModelInfo) -> None:
        self.model_ready = True
        self.model_info = info
        self.model_loaded.emit()
        self.model_state.emit(info.state)
        if info.judge_problem:  # its file went away after the settings dialog checked it
            self.message.emit(f"The proofreading judge was passed over ({info.judge_problem}).")
        if info.leaves_machine and info.backend not in self.warned_remote:
            self.warned_remote.add(info.backend)  # once per server
            self.warning.emit("Text you send to the assistant will leave this machine: "
                              f"{info.backend.removeprefix('server: ')} is another computer "
                              "reached over plain http (not encrypted).")

    def _load_failed(self, message: str) -> None:
        self.model_ready = False
        self.model_state.emit("Model: not loaded")
        self.message.emit(f"The model could not be loaded: {message}")

    def _ontology_opened(self, info: dict) -> None:
        self.ontology_ready = True
        self.ontology_opened.emit(info)
        self.refresh_facts()

    # -- target and facts ----------------------------------------------------------------------

    def current_target(self) -> tuple[int, int, str, bool]:
        """The selection, or the current paragraph when nothing is selected."""
        return current_target(self.editor)

    def _cursor_moved(self) -> None:
        _start, _end, text, selected = self.current_target()
        words = writers_word_count(text)
        where = "the selection" if selected else "the current paragraph"
        self.panel.target.setText(f"Working on {where} ({words} word{'s' * (words != 1)})."
                                  if words else
                                  "Select text, or place the cursor in a paragraph.")
        self.facts_timer.start()

    def refresh_facts(self) -> None:
        start, end, text, _sel = self.current_target()
        around = paragraphs_around(self.editor, start, end)
        self.lookup_job += 1
        job = self.lookup_job
        self.ontology.run(lambda host, _ctx: host.lookup(text, 200, around),
                          lambda lookup: self._looked_up(job, lookup, text))

    def _looked_up(self, job: int, lookup: Lookup | None, text: str) -> None:
        if job == self.lookup_job and lookup is not None:
            self.panel.facts.show_lookup(lookup, text)
            self.looked_up.emit(lookup, text)

    # -- generation ----------------------------------------------------------------------------

    def build_request(self, seed: int | None = None) -> tuple[AssistRequest, Target] | None:
        """A request for the text at the cursor now, and where that text is."""
        start, end, text, _selected = self.current_target()
        options = self.panel.options()
        if not text.strip() and options.template != "travel":
            self.message.emit("Select some text, or put the cursor in a paragraph first.")
            return None
        full = self.editor.toPlainText()
        cp = OffsetMap(full).to_cp  # the editor's UTF-16 positions as code points
        before = full[max(0, cp(start) - CONTEXT_CHARS):cp(start)]
        after = full[cp(end):cp(end) + CONTEXT_CHARS]
        examples: list[str] = []
        if options.style == "voice":
            paragraphs = [p.text for p in split_paragraphs(full)]
            here = next((i for i, p in enumerate(paragraphs) if text.strip() in p), 0)
            examples = voice_examples(paragraphs, here)
        request = AssistRequest(
            template=options.template, selection=text, before=before, after=after,
            document_title=self.settings.recent_files[0] if self.settings.recent_files else "",
            language=self.settings.language, style=options.style,
            voice_examples=examples,
            length=options.length, candidates=options.candidates,
            temperature=options.temperature, excluded_facts=options.excluded_facts,
            seed=seed if seed is not None else random.randrange(1 << 30))
        return request, Target(start, end, text)

    def _send(self, job: int, request: AssistRequest, cancel: threading.Event | None,
              rounds: int) -> None:
        """To the model lane by way of the ontology lane, which attaches the facts for this
        exact request and hands it on itself: facts flow one way (rounds 0: only build the
        prompt, for the inspector)."""
        def serve(request: AssistRequest) -> None:  # any thread: Lane.run is thread-safe
            self.model.run(lambda host, ctx: host.serve(request, ctx, rounds),
                           lambda result: self._served(job, result),
                           lambda message: self._failed(job, message),
                           lambda progress: self._progress(job, progress), cancel)

        if not self.ontology_ready:
            serve(replace(request, facts=[]))
            return

        def attach(host: OntologyHost, ctx: OpContext) -> None:
            attached, lookup, subject = host.attach_facts(request)
            ctx.progress((lookup, subject))
            serve(attached)

        self.ontology.run(attach, on_failed=lambda message: self._failed(job, message),
                          on_progress=lambda found: self._facts_attached(job, found))

    def _facts_attached(self, job: int, found: object) -> None:
        """The facts sent with a request, looked up for its exact text."""
        if not isinstance(found, tuple):
            return
        lookup, text = found
        if job == self.job and lookup is not None:
            self.facts_timer.stop()
            self.lookup_job += 1  # a slower lookup for an older cursor position is stale
            self.panel.facts.show_lookup(lookup, text)
            self.looked_up.emit(lookup, text)

    def _served(self, job: int, result: Outcome | BuiltPrompt) -> None:
        if isinstance(result, BuiltPrompt):
            self.panel.inspector.show_prompt(result)
            self.prompt_shown.emit(result)
        else:
            self._finished(job, result)

    def _progress(self, job: int, progress: object) -> None:
        if isinstance(progress, Chunk):
            self._chunk(job, progress.index, progress.text)
        elif isinstance(progress, Round):
            self._round(job, progress)
        elif job != self.job:
            return
        elif isinstance(progress, Candidate):  # the checked fixes, before the model writes
            self.panel.show_early(progress)
        elif isinstance(progress, Stage):
            self.panel.status.setText(progress.text)

    def generate(self, seed: int | None = None) -> None:
        if not self.model_ready:
            self.message.emit("The model is not loaded yet.")
            return
        if self.cancel_event is not None:
            return
        built = self.build_request(seed)
        if built is None:
            return
        request, target = built
        self._start(request, target, f"{request.template}: "
                    f"{' '.join(request.selection.split()[:6])}…")

    def _start(self, request: AssistRequest, target: Target, title: str) -> None:
        self.last_request, self.last_target = request, target
        self.panel.inspector.key = (request.template, request.selection)
        self.job += 1
        self.cancel_event = threading.Event()
        self.panel.set_busy(True)
        self.panel.start(target, title)
        self._send(self.job, request, self.cancel_event, MAX_ROUNDS)

    def regenerate(self, _card: object = None) -> None:
        if self.last_request is not None and self.cancel_event is None:
            request = replace(self.last_request, seed=random.randrange(1 << 30))
            self._start(request, self.last_target, f"{request.template} (again)")

    def inspect_prompt(self) -> None:
        built = self.build_request()
        if built is not None and self.model_ready:
            self.panel.tabs.setCurrentWidget(self.panel.inspector)
            self.panel.inspector.key = (built[0].template, built[0].selection)
            self._send(self.job, built[0], None, 0)

    def follow_prompt(self) -> None:
        """The Prompt tab never shows a stale prompt: on view it is built again, else cleared."""
        inspector, text = self.panel.inspector, self.current_target()[2]
        if inspector.key in (None, (self.panel.options().template, text)):
            return
        if self.panel.tabs.currentWidget() is inspector and self.model_ready and \
                self.cancel_event is None and text.strip():
            self.inspect_prompt()
        else:
            inspector.clear_stale()

    def forget(self, _doc: object = None) -> None:
        """Another document opened: what was asked of the last one is stopped and its
        cards go."""
        self.job += 1  # answers still on their way are dropped
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_event = None
        self.panel.set_busy(False)
        self.panel.forget()

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.panel.status.setText("Cancelling…")

    def _chunk(self, job: int, index: int, text: str) -> None:
        if job != self.job:
            return
        self.panel.card(index).append(text)
        self.streamed.emit(index, text)
        rate = self.rate.chunk(job, index, time.monotonic())
        if rate is not None:
            self.speed.emit(rate)

    def _round(self, job: int, rnd: Round) -> None:
        if job == self.job and rnd.reason:
            self.panel.status.setText(f"Round {rnd.number}: retrying because {rnd.reason}.")

    def _finished(self, job: int, outcome: Outcome) -> None:
        if job != self.job:
            return
        self.cancel_event = None
        self.panel.set_busy(False)
        self.panel.show_ranked(outcome.candidates)
        self.panel.inspector.show_prompt(outcome.prompt)
        speeds = [c.stats.tokens_per_s for c in outcome.candidates if c.stats]
        if speeds:
            self.speed.emit(max(speeds))
        retried = len(outcome.rounds) - 1
        note = f" after {retried} retr{'y' if retried == 1 else 'ies'}" if retried else ""
        order = "the checked fixes first, then best first" if any(
            c.pinned for c in outcome.candidates) else "best first"
        state = "Cancelled." if outcome.cancelled else \
            f"{len(outcome.candidates)} suggestions{note}, {order}."
        self.panel.status.setText(state)
        self.generation_done.emit(outcome)

    def _failed(self, job: int, message: str) -> None:
        if job == self.job:
            self.cancel_event = None
            self.panel.set_busy(False)
            self.panel.status.setText(message)
            unfinished = [c for c in self.panel.cards if c.candidate is None]
            if unfinished:
                unfinished[-1].fail(message)
            self.message.emit(message)
            self.generation_failed.emit(message)

    def stop(self, wait_ms: int = 2000) -> None:
        self.facts_timer.stop()
        self.order_cancel.set()
        if self.cancel_event is not None:
            self.cancel_event.set()
        self.model.stop(ModelHost.close, wait_ms)
        self.ontology.stop(OntologyHost.close, wait_ms)
