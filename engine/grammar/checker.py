"""One list of grammar and style issues from Harper and LanguageTool.

Text is checked per paragraph (runs of lines between blank lines); results are cached
by paragraph text, so after an edit only the changed paragraphs are sent. Each result
carries the document revision it was computed for, so callers can drop stale ones.
The personal dictionary and ignored rules persist in the config folder; ignore-once
lasts for the session.
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from engine.config import Settings
from engine.grammar.engines import HarperEngine, LanguageToolEngine, RawIssue
from engine.grammar.issues import CheckResult, Issue, line_spans, merge_issues
from engine.grammar.language import detect, is_auto
from engine.grammar.wordlist import WordList, personal_dictionary
from engine.paths import app_paths
from engine.text.markdown_mask import mask
from engine.text.offsets import OffsetMap
from engine.text.split import Paragraph, split_paragraphs

ENGINES = ("harper", "languagetool")
CACHE_LIMIT = 20000


class GrammarChecker:
    """Checks text with both engines; meant to live on one worker thread."""

    def __init__(self, settings: Settings, engines: Iterable[str] = ENGINES,
                 on_state: Callable[[str, str], None] | None = None,
                 lt: LanguageToolEngine | None = None) -> None:
        self.settings = settings
        self.language = settings.language
        self.picky = settings.picky
        self.on_state = on_state
        config = app_paths().config
        self.dictionary = personal_dictionary()
        self.ignored_rules = WordList(config / "ignored_rules.txt")
        self.ignored_once: set[str] = set()
        self.session_words: set[str] = set()  # right for this session (ontology names)
        self.sent: Counter[str] = Counter()
        self._detected: dict[str, str] = {}  # paragraph text -> its language ("": unsure)
        # (paragraph text, its answers) -> merged issues relative to the paragraph
        self._merged: dict[tuple[str, tuple[int, ...]], _Merged] = {}
        self._shown = 0  # counts changes to what is hidden (words, ignored rules)
        self._words_lower: tuple[int, set[str]] = (-1, set())
        self._cache: OrderedDict[tuple[str, ...], list[RawIssue]] = OrderedDict()
        wanted = set(engines)
        self.harper: HarperEngine | None = None
        self.harper_state = "unavailable: turned off"
        if "harper" in wanted:
            self._make_harper()
        self.lt: LanguageToolEngine | None = lt
        if lt is None and "languagetool" in wanted:
            self.lt = LanguageToolEngine(settings, self._lt_state)

    # -- engines -------------------------------------------------------------------------

    def _make_harper(self) -> None:
        if HarperEngine.supports(self.language):
            words = sorted(self.dictionary.items | self.session_words)
            self.harper = HarperEngine(self.language, self.picky, words)
            self.harper_state = "ready"
        else:
            self.harper = None
            self.harper_state = "unavailable: Harper checks English only"

    def _lt_state(self, state: str) -> None:
        if self.on_state:
            self.on_state("languagetool", state)

    def start(self, wait: bool = False, timeout: float = 180.0) -> None:
        if self.lt is not None:
            self.lt.start(wait=wait, timeout=timeout)

    def states(self) -> dict[str, str]:
        states = {"harper": self.harper_state}
        if self.lt is not None:
            states["languagetool"] = self.lt.state
        else:
            states["languagetool"] = "unavailable: turned off"
        return states

    def set_options(self, language: str | None = None, picky: bool | None = None) -> None:
        changed = False
        if language is not None and language != self.language:
            self.language, changed = language, True
        if picky is not None and picky != self.picky:
            self.picky, changed = picky, True
        if changed:
            self._make_harper()

    def close(self) -> None:
        if self.lt is not None:
            self.lt.stop()

    # -- writer's choices ----------------------------------------------------------------

    def accept_words(self, words: Iterable[str]) -> None:
        """Words that are right for this session, such as the ontology's names."""
        new = sorted({w.strip() for w in words if w.strip()} - self.session_words)
        self.session_words.update(new)
        self._shown += 1
        if new and self.harper is not None:
            self.harper.add_words(new)

    def forget_words(self, words: Iterable[str]) -> None:
        """Session words no longer right (a project's, once it closes): Harper's own
        dictionary is made again without them."""
        gone = {w.strip() for w in words} & self.session_words
        if gone:
            self.session_words -= gone
            self._shown += 1
            self._make_harper()

    def set_dictionary(self, words: Iterable[str]) -> None:
        """Replace the personal dictionary (the settings editor) and rebuild Harper's."""
        self._shown += 1
        self.dictionary.replace(words)
        self._make_harper()

    def add_to_dictionary(self, word: str) -> None:
        self._shown += 1
        if self.dictionary.add(word) and self.harper is not None:
            self.harper.add_words([word.strip()])

    def ignore_rule(self, rule: str) -> None:
        self._shown += 1  # first: a list that cannot be saved still holds it this session
        self.ignored_rules.add(rule)

    def ignore_once(self, issue: Issue) -> None:
        self.ignored_once.add(issue.key)
        self._shown += 1

    def _words(self) -> set[str]:
        """The dictionary's and the session's words, lower-cased (kept while unchanged)."""
        if self._words_lower[0] != self._shown:
            self._words_lower = (self._shown, {w.lower() for w in
                                               self.dictionary.items | self.session_words})
        return self._words_lower[1]

    def _visible(self, issue: Issue, words: set[str]) -> bool:
        """Not ignored, and not a spelling complaint about a dictionary word."""
        if issue.rule in self.ignored_rules.items or issue.key in self.ignored_once:
            return False
        return not (issue.category == "spelling" and issue.text.lower() in words)

    # -- checking ------------------------------------------------------------------------

    def check(self, text: str, revision: int = 0, markup: str = "plaintext",
              on_partial: Callable[[CheckResult], None] | None = None) -> CheckResult:
        """Issues in ``text``; only paragraphs not seen before are sent to the engines.

        With ``on_partial``, Harper's issues (and LanguageTool's for unchanged paragraphs)
        are handed over before LanguageTool is asked about the changed ones, so the fast
        underlines never wait for the server."""
        paragraphs = split_paragraphs(text)
        languages = self._languages(paragraphs)
        sent: Counter[str] = Counter()
        found: dict[str, list[list[RawIssue]]] = {}
        for engine in self._active_engines():
            keys = self._keys(engine, markup, paragraphs, languages)
            missing = self._missing(engine, keys, languages)
            if missing and engine == "languagetool" and on_partial is not None:
                found[engine] = [self._cache.get(k, []) for k in keys]
                on_partial(self._result(text, paragraphs, languages, found, revision, sent,
                                        complete=False))
            if missing:
                self._read(engine, markup, paragraphs, languages, keys, missing)
                sent[engine] += len(missing)
            found[engine] = [self._cache.get(k, []) for k in keys]
        self.sent.update(sent)
        return self._result(text, paragraphs, languages, found, revision, sent)

    def prefetch(self, text: str, markup: str = "plaintext") -> int:
        """Read the paragraphs of ``text`` that Harper has not read yet into the cache, and
        return how many there were. The window calls this early in a typing pause, so the
        check at its end finds Harper's answers ready. LanguageTool, a server, is asked
        only by ``check``."""
        if self.harper is None:
            return 0
        paragraphs = split_paragraphs(text)
        languages = self._languages(paragraphs)
        keys = self._keys("harper", markup, paragraphs, languages)
        missing = self._missing("harper", keys, languages)
        if missing:
            self._read("harper", markup, paragraphs, languages, keys, missing)
        return len(missing)

    def _keys(self, engine: str, markup: str, paragraphs: list[Paragraph],
              languages: list[str]) -> list[tuple[str, ...]]:
        return [self._key(engine, markup, p.text, lang)
                for p, lang in zip(paragraphs, languages, strict=True)]

    def _missing(self, engine: str, keys: list[tuple[str, ...]],
                 languages: list[str]) -> list[int]:
        """The paragraphs ``engine`` reads and has no cached answer for."""
        return [i for i, k in enumerate(keys)
                if k not in self._cache and _engine_reads(engine, languages[i])]

    def _read(self, engine: str, markup: str, paragraphs: list[Paragraph],
              languages: list[str], keys: list[tuple[str, ...]], missing: list[int]) -> None:
        fresh = self._run(engine, [paragraphs[i].text for i in missing],
                          [languages[i] for i in missing], markup)
        for i, issues in zip(missing, fresh, strict=True):
            self._remember(keys[i], issues)

    def _languages(self, paragraphs: list[Paragraph]) -> list[str]:
        """Each paragraph's language: the setting, or detected per paragraph for auto;
        a paragraph too short to tell takes the language of the one before."""
        if not is_auto(self.language):
            return [self.language] * len(paragraphs)
        out: list[str] = []
        previous = "en-US"
        for paragraph in paragraphs:
            language = self._detected.get(paragraph.text)
            if language is None:
                language = detect(paragraph.text, "")
                if len(self._detected) > CACHE_LIMIT:
                    self._detected.clear()
                self._detected[paragraph.text] = language
            previous = language or previous
            out.append(previous)
        return out

    def _result(self, text: str, paragraphs: list[Paragraph], languages: list[str],
                found: dict[str, list[list[RawIssue]]], revision: int,
                sent: Counter[str], complete: bool = True) -> CheckResult:
        """Every paragraph's merged issues, placed in the whole text. A paragraph's merged
        issues are kept (relative to the paragraph) while its engines' answers are the
        same, so after an edit only the edited paragraph is merged again."""
        issues: list[Issue] = []
        offsets = OffsetMap(text)
        shown = self._shown
        for index, paragraph in enumerate(paragraphs):
            answers = tuple(engine_issues[index] for engine_issues in found.values())
            if not any(answers):
                continue
            # keyed by the answers' identities; the entry keeps the answers alive, so an id
            # cannot be reused by another list while its entry exists
            key = (paragraph.text, tuple(id(a) for a in answers))
            merged = self._merged.get(key)
            if merged is None:
                merged = _Merged(answers, _merge_paragraph(paragraph.text, answers))
                if len(self._merged) > CACHE_LIMIT:
                    self._merged.clear()
                self._merged[key] = merged
            if merged.shown != shown:
                words = self._words()
                merged.visible = [i for i in merged.issues if self._visible(i, words)]
                merged.shown = shown
            start, start16 = paragraph.start, offsets.to_utf16(paragraph.start)
            # tuple.__new__: a thousand of these per keystroke
            issues += [tuple.__new__(Issue, (i[0] + start, i[1] + start, i[2] + start16,
                                             i[3] + start16, *i[4:])) for i in merged.visible]
        return CheckResult(revision, issues, self.states(), dict(sent),
                           dict(Counter(languages)), complete, line_spans(text, issues))

    def _active_engines(self) -> list[str]:
        active = []
        if self.harper is not None:
            active.append("harper")
        if self.lt is not None and (self.lt.ready or self._lt_recoverable()):
            active.append("languagetool")
        return active

    def _lt_recoverable(self) -> bool:
        """A local server that was ready and then died is restarted by the next check."""
        server = self.lt.server if self.lt else None
        return server is not None and server.state == "ready" and not server.alive()

    def _key(self, engine: str, markup: str, text: str, language: str) -> tuple[str, ...]:
        return (engine, language, str(self.picky), markup, text)

    def _remember(self, key: tuple[str, ...], issues: list[RawIssue]) -> None:
        self._cache[key] = issues
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    def _run(self, engine: str, texts: list[str], languages: list[str],
             markup: str) -> list[list[RawIssue]]:
        if engine == "harper":
            assert self.harper is not None
            return [self.harper.check(t, markup) for t in texts]
        assert self.lt is not None
        if markup == "markdown":  # code, URLs and tags are not prose
            texts = [mask(t) for t in texts]
        out: list[list[RawIssue]] = [[] for _ in texts]
        by_language: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            by_language.setdefault(language, []).append(i)
        try:
            for language, indexes in by_language.items():
                answers = self.lt.check([texts[i] for i in indexes], language, self.picky)
                for i, issues in zip(indexes, answers, strict=True):
                    out[i] = issues
        except Exception as exc:
            self.lt._set_state(f"unavailable: {str(exc).splitlines()[0][:160]}")
        return out


@dataclass(slots=True)
class _Merged:
    """One paragraph's merged issues (relative to it), and those not hidden."""

    answers: tuple[list[RawIssue], ...]  # kept alive: the cache is keyed by their ids
    issues: list[Issue]
    shown: int = -1  # the checker's ``_shown`` when ``visible`` was filtered
    visible: list[Issue] = field(default_factory=list)


def _engine_reads(engine: str, language: str) -> bool:
    """Harper reads English only; LanguageTool reads every language it has."""
    return engine != "harper" or HarperEngine.supports(language)


def _merge_paragraph(text: str, answers: tuple[list[RawIssue], ...]) -> list[Issue]:
    """One paragraph's issues from every engine, merged, positioned in the paragraph."""
    digest = hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    offsets = OffsetMap(text)
    issues = [Issue(
        start=raw.start, end=raw.end, start16=offsets.to_utf16(raw.start),
        end16=offsets.to_utf16(raw.end), message=raw.message, category=raw.category,
        rule=raw.rule, engine=raw.engine, replacements=raw.replacements,
        text=text[raw.start:raw.end], key=f"{raw.rule}:{digest}:{raw.start}:"
        f"{text[raw.start:raw.end]}") for answer in answers for raw in answer]
    return merge_issues(issues)
