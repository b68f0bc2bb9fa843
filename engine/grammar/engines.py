"""The two grammar checkers behind engine/grammar/checker.py, each giving paragraph-relative issues.

Harper runs in process (English only, milliseconds). LanguageTool runs as a local HTTP
server (engine/grammar/ltserver.py), a server URL of the writer's, or language-tool-python's own
download; requests go through language-tool-python.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from engine.config import Settings
from engine.errors import GrammarError
from engine.grammar.ltserver import LanguageToolServer, languagetool_home
from engine.text.offsets import OffsetMap

log = logging.getLogger("wordloom.grammar")
PARAGRAPH_JOIN = "\n\n"
BATCH_CHARS = 6000


class RawIssue(NamedTuple):
    """An issue inside one paragraph, in code points of that paragraph."""

    start: int
    end: int
    message: str
    category: str
    rule: str
    engine: str
    replacements: tuple[str, ...]


HARPER_CATEGORIES = {
    "Spelling": "spelling", "Typo": "spelling", "Capitalization": "capitalization",
    "Punctuation": "punctuation", "Formatting": "typography", "Repetition": "repetition",
    "Style": "style", "Enhancement": "style", "Readability": "style", "Redundancy": "style",
    "WordChoice": "style", "Regionalism": "style",
}
LT_CATEGORIES = {
    "TYPOS": "spelling", "GRAMMAR": "grammar", "PUNCTUATION": "punctuation",
    "TYPOGRAPHY": "typography", "CASING": "capitalization", "STYLE": "style",
    "REDUNDANCY": "style", "PLAIN_ENGLISH": "style", "WIKIPEDIA": "style",
    "GENDER_NEUTRALITY": "style", "COLLOQUIALISMS": "style", "REPETITIONS": "repetition",
    "REPETITIONS_STYLE": "repetition", "MISC": "grammar",
    # a real word in place of another ("Their is"): LanguageTool types the category as a
    # misspelling, but the word is spelled right, and the underline should say grammar
    "CONFUSED_WORDS": "grammar",
}
HARPER_DIALECTS = {"en-GB": 1, "en-AU": 2, "en-CA": 3, "en-IN": 4}
HARPER_PICKY_RULES = ("BoringWords", "MoreAdjective", "SpelledNumbers", "AvoidContractions")


LT_ISSUE_TYPES = {"misspelling": "spelling", "typographical": "typography",
                  "style": "style", "duplication": "repetition"}


def lt_category(match: dict[str, Any]) -> str:
    rule = match.get("rule", {})
    if "REPEAT" in rule.get("id", ""):
        return "repetition"
    category = rule.get("category", {}).get("id", "")
    if category in LT_CATEGORIES:
        return LT_CATEGORIES[category]
    return LT_ISSUE_TYPES.get(rule.get("issueType", ""), "grammar")


_CODE = re.compile(r"`([^`\n]*)`")


def quoted(message: str) -> str:
    """Harper writes its messages in Markdown ("Did you mean `their`?"): the words it
    quotes, between quotation marks as a writer reads them."""
    return _CODE.sub(lambda m: f"“{m.group(1)}”", message)


class HarperEngine:
    name = "harper"

    def __init__(self, language: str = "en-US", picky: bool = False,
                 words: Sequence[str] = ()) -> None:
        import harper

        self._harper = harper
        self.language = language
        self.linter = harper.Linter(HARPER_DIALECTS.get(language, 0))
        if picky:
            config = self.linter.get_lint_config()
            config.update(dict.fromkeys(HARPER_PICKY_RULES, True))
            self.linter.set_lint_config(config)
        if words:
            self.linter.import_words(list(words))

    @staticmethod
    def supports(language: str) -> bool:
        return language.lower().startswith("en") or language.lower() == "auto"

    def add_words(self, words: Sequence[str]) -> None:
        self.linter.import_words(list(words))

    def check(self, text: str, markup: str = "plaintext") -> list[RawIssue]:
        issues: list[RawIssue] = []
        for rule, lints in self.linter.organized_lints(text, language=markup).items():
            for lint in lints:
                issues.append(RawIssue(
                    start=lint.span.start, end=lint.span.end, message=quoted(lint.message),
                    category=HARPER_CATEGORIES.get(lint.lint_kind, "grammar"), rule=rule,
                    engine=self.name, replacements=self._replacements(lint)))
        return issues

    def _replacements(self, lint: Any) -> tuple[str, ...]:
        kinds = self._harper.SuggestionKind
        out: list[str] = []
        for suggestion in lint.suggestions[:5]:
            if suggestion.kind == kinds.INSERT_AFTER:
                out.append(lint.problem_text + suggestion.replacement_text)
            else:
                out.append(suggestion.replacement_text)
        return tuple(out)


class LanguageToolEngine:
    """LanguageTool through language-tool-python, started and watched by Wordloom."""

    name = "languagetool"

    def __init__(self, settings: Settings, on_state: Callable[[str], None] | None = None):
        self.mode = settings.languagetool_mode
        self.on_state = on_state
        self.state = "stopped"
        self.requests = 0
        self.server: LanguageToolServer | None = None
        self._tool: Any = None
        self._settings = settings
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="languagetool")
        if self.mode == "local":
            self.server = LanguageToolServer(languagetool_home(settings),
                                             settings.languagetool_heap_mb, self._set_state)
        elif self.mode == "off":
            self.state = "unavailable: turned off in the settings"

    def _set_state(self, state: str) -> None:
        if state.startswith("failed: "):
            state = "unavailable: " + state[len("failed: "):]
        self.state = state
        if self.on_state:
            self.on_state(state)

    def start(self, wait: bool = False, timeout: float = 180.0) -> None:
        """Start the server from this (long-lived) thread; wait for it or watch it aside."""
        if self.mode == "local" and self.server is not None:
            self.server.start()
            if self.server.state != "starting":
                return
            if wait:
                self.server.wait_ready(timeout)
            else:
                threading.Thread(target=self.server.wait_ready, args=(timeout,),
                                 daemon=True, name="languagetool-wait").start()
        elif self.mode in ("server", "download"):
            if wait:
                self._connect()
            else:
                self._set_state("starting")
                threading.Thread(target=self._connect, daemon=True,
                                 name="languagetool-connect").start()

    def _connect(self) -> None:
        import language_tool_python

        try:
            if self.mode == "server":
                url = self._settings.languagetool_url
                if not url:
                    raise ValueError("no server URL is set")
                tool = language_tool_python.LanguageTool(remote_server=url)
            else:
                tool = language_tool_python.LanguageTool()
        except Exception as exc:
            self._set_state(f"unavailable: {str(exc).splitlines()[0][:160]}")
            return
        with self._lock:
            self._tool = tool
        self._set_state("ready")

    @property
    def url(self) -> str:
        """Where the server answers ("" when language-tool-python runs its own)."""
        if self.server is not None:
            return self.server.url
        return self._settings.languagetool_url if self.mode == "server" else ""

    @property
    def ready(self) -> bool:
        if self.mode == "local" and self.server is not None:
            return self.server.state == "ready" and self.server.alive()
        return self.state == "ready"

    def _client(self) -> Any:
        """A language-tool-python client bound to the running server."""
        import language_tool_python

        with self._lock:
            if self.mode == "local" and self.server is not None:
                url = self.server.url
                if self._tool is None or self._tool._url != url + "v2/":
                    self._tool = language_tool_python.LanguageTool(remote_server=url)
            return self._tool

    def check(self, paragraphs: Sequence[str], language: str, picky: bool,
              ) -> list[list[RawIssue]]:
        """Issues for each paragraph; several paragraphs travel in one request."""
        if self.mode == "local" and self.server is not None and not self.server.alive() \
                and self.server.state != "stopped":
            self.server.ensure_running()
        batches = _batches(paragraphs)
        results = list(self._pool.map(lambda b: self._check_batch(b, language, picky),
                                      batches))
        out: list[list[RawIssue]] = [[] for _ in paragraphs]
        for batch, found in zip(batches, results, strict=True):
            for (index, _), issues in zip(batch, found, strict=True):
                out[index] = issues
        return out

    def _check_batch(self, batch: list[tuple[int, str]], language: str, picky: bool,
                     ) -> list[list[RawIssue]]:
        text = PARAGRAPH_JOIN.join(p for _, p in batch)
        try:
            matches = self._request(text, language, picky)
        except Exception as exc:
            if self.mode != "local" or self.server is None:
                raise
            log.warning("LanguageTool request failed (%s); restarting the server", exc)
            if not self.server.ensure_running():
                raise
            matches = self._request(text, language, picky)
        return read_matches(matches, [p for _, p in batch])

    def _request(self, text: str, language: str, picky: bool) -> object:
        tool = self._client()
        # Raw matches on purpose: language-tool-python's Match converts offsets through a
        # class-level list (not thread-safe) and leaves lengths in UTF-16 units.
        params = tool._create_params(text)
        params["language"] = language
        if picky:
            params["level"] = "picky"
        self.requests += 1
        return tool._query_server(tool._url + "check", params, num_tries=1, method="post")

    def stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self.server is not None:
            self.server.stop()


def _batches(paragraphs: Sequence[str]) -> list[list[tuple[int, str]]]:
    batches: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    size = 0
    for index, text in enumerate(paragraphs):
        if current and size + len(text) > BATCH_CHARS:
            batches.append(current)
            current, size = [], 0
        current.append((index, text))
        size += len(text) + len(PARAGRAPH_JOIN)
    if current:
        batches.append(current)
    return batches


def read_matches(response: object, paragraphs: list[str]) -> list[list[RawIssue]]:
    """LanguageTool's answer for ``paragraphs`` (sent joined) as issues per paragraph. A
    malformed match is skipped (and logged): one odd answer must not cost the others."""
    if not isinstance(response, dict) or not isinstance(response.get("matches", []), list):
        raise GrammarError("LanguageTool sent an answer that is not a list of matches")
    joined = PARAGRAPH_JOIN.join(paragraphs)
    offsets = OffsetMap(joined)
    starts: list[int] = []
    pos = 0
    for text in paragraphs:
        starts.append(pos)
        pos += len(text) + len(PARAGRAPH_JOIN)
    out: list[list[RawIssue]] = [[] for _ in paragraphs]
    bad = 0
    for match in response.get("matches", []):
        try:
            placed = _place(match, offsets, starts, paragraphs)
        except (KeyError, TypeError, ValueError, AttributeError):
            bad += 1
            continue
        if placed is not None:
            out[placed[0]].append(placed[1])
    if bad:
        log.warning("LanguageTool sent %d malformed matches; skipped", bad)
    return out


def _place(match: dict[str, Any], offsets: OffsetMap, starts: list[int],
           paragraphs: list[str]) -> tuple[int, RawIssue] | None:
    offset, length = match["offset"], match["length"]
    if isinstance(offset, bool) or isinstance(length, bool) or not isinstance(offset, int) \
            or not isinstance(length, int) or offset < 0 or length < 0:
        raise ValueError("offset and length must be whole numbers")
    start, end = offsets.span_from_utf16(offset, length)
    index = bisect_right(starts, start) - 1
    if index < 0 or index >= len(paragraphs):
        return None
    local_start, local_end = start - starts[index], end - starts[index]
    if local_end > len(paragraphs[index]):
        return None  # spans the join between two paragraphs, or past the end
    rule = match.get("rule") or {}
    replacements = match.get("replacements") or []
    return index, RawIssue(
        start=local_start, end=local_end, message=str(match.get("message", ""))[:500],
        category=lt_category(match), rule=str(rule.get("id", "")),
        engine=LanguageToolEngine.name,
        replacements=tuple(str(r["value"]) for r in replacements[:5]))
