"""lemminflect's lexicon, held as its CSV lines instead of nested dicts.

lemminflect reads its two look-up tables (about 80,000 words and 40,000 lemmas) into
dicts of dicts of tuples: 48 MB resident for the few hundred words a proofreading asks
about. :func:`install` gives lemminflect's own singletons the same tables as
:class:`~engine.text.sorted_lines.SortedLines` (about 3 MB): a word's lines are found by
bisection and parsed by lemminflect's own codecs when asked, so ``getAllLemmas`` and
``getAllInflections`` answer exactly as with the loaded dicts
(``tests/test_lexicon.py`` compares every word).
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from engine.text.sorted_lines import SortedLines

_LOCK = threading.Lock()


class LexiconTable(Mapping[str, dict[str, tuple[str, ...]]]):
    """A lemminflect look-up table (word → {key: spellings}) read line by line on demand.
    ``parse`` is the codec's ``fromString``; ``fixed`` replaces whole entries, as
    lemminflect's loader does for auxiliaries and modals."""

    def __init__(self, path: str, parse: Callable[[str], tuple[str, str, Any]],
                 fold: Callable[[str, dict[str, Any]], dict[str, Any]],
                 fixed: dict[str, dict[str, tuple[str, ...]]] | None = None) -> None:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            self._lines = SortedLines(handle.read().splitlines())
        self._parse = parse
        self._fold = fold
        self._fixed = fixed or {}

    def __getitem__(self, word: str) -> dict[str, tuple[str, ...]]:
        if word in self._fixed:
            return dict(self._fixed[word])
        entry: dict[str, Any] = {}
        for line in self._lines.lines(word):
            _word, category, forms = self._parse(line)
            entry.update(self._fold(category, forms))
        if not entry:
            raise KeyError(word)
        return entry

    def __iter__(self) -> Iterator[str]:
        seen = set(self._fixed)
        yield from self._fixed
        yield from (word for word in self._lines.ordered_keys() if word not in seen)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def install() -> None:
    """Give lemminflect the compact tables before its first look-up (once per process;
    a table lemminflect has loaded already is left alone)."""
    with _LOCK:
        from lemminflect import config
        from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
        from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
        from lemminflect.core.Inflections import Inflections
        from lemminflect.core.Lemmatizer import Lemmatizer
        from lemminflect.core.LexicalUtils import categoryToUPos

        lemmatizer, inflections = Lemmatizer(), Inflections()
        if not hasattr(lemmatizer, "lemma_dict"):
            lemmatizer.lemma_dict = LexiconTable(
                config.lemma_lu_fn, LemmaLUCodec.fromString,
                lambda category, forms: {categoryToUPos(category): forms})
        if not hasattr(inflections, "infl_dict"):
            inflections.infl_dict = LexiconTable(
                config.inflection_lu_fn, InflectionLUCodec.fromString,
                lambda _category, forms: forms, InflectionLUCodec.updateForAuxMod({}))
