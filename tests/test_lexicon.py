"""lemminflect's lexicon held as sorted lines answers exactly as lemminflect's own dicts."""

from __future__ import annotations

import pytest
from lemminflect import config
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer
from lemminflect.core.LexicalUtils import categoryToUPos

from engine.text.sorted_lines import SortedLines
from engine.writing.lexicon import LexiconTable, install


def test_sorted_lines_find_every_line_of_a_key_in_the_order_given() -> None:
    table = SortedLines(["b,2", "a,1", "c,3", "b,1", "ab,0", "", "a,0"])
    assert table.lines("a") == ["a,1", "a,0"]
    assert table.lines("b") == ["b,2", "b,1"]
    assert table.lines("ab") == ["ab,0"]
    assert table.lines("aa") == [] and table.lines("d") == [] and table.lines("") == []
    assert list(table.ordered_keys()) == ["a", "ab", "b", "c"] and len(table) == 6
    lone = SortedLines(["key-without-separator", "z,1"])
    assert lone.lines("key-without-separator") == ["key-without-separator"]


def test_the_lemma_table_gives_every_word_what_lemminflect_loads() -> None:
    loaded = LemmaLUCodec.load(config.lemma_lu_fn)
    compact = LexiconTable(config.lemma_lu_fn, LemmaLUCodec.fromString,
                           lambda category, forms: {categoryToUPos(category): forms})
    assert len(loaded) > 65_000
    assert set(compact) == set(loaded)
    differ = [word for word in loaded if compact.get(word) != loaded[word]]
    assert not differ, differ[:10]
    assert compact.get("notaword", {}) == {}


def test_the_inflection_table_gives_every_lemma_what_lemminflect_loads() -> None:
    loaded = InflectionLUCodec.load(config.inflection_lu_fn)
    compact = LexiconTable(config.inflection_lu_fn, InflectionLUCodec.fromString,
                           lambda _category, forms: forms, InflectionLUCodec.updateForAuxMod({}))
    assert len(loaded) > 30_000
    assert set(compact) == set(loaded)
    differ = [word for word in loaded if compact.get(word) != loaded[word]]
    assert not differ, differ[:10]
    assert compact["be"]["VBD"] == ("was", "were")  # the loader's fixed auxiliaries win


@pytest.fixture(scope="module")
def loaded() -> tuple[dict, dict]:  # type: ignore[type-arg]
    return LemmaLUCodec.load(config.lemma_lu_fn), InflectionLUCodec.load(config.inflection_lu_fn)


@pytest.mark.parametrize("word", ["went", "Countries", "have", "be", "children", "LEAVES",
                                  "better", "quickly", "zzzq"])
def test_lemminflect_answers_the_same_through_the_installed_tables(
        word: str, loaded: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    install()
    assert isinstance(Lemmatizer().lemma_dict, LexiconTable)
    assert isinstance(Inflections().infl_dict, LexiconTable)
    lemmas, infl = loaded
    from lemminflect import getAllInflections, getAllLemmas

    got_lemmas = getAllLemmas(word)
    saved = Lemmatizer().lemma_dict, Inflections().infl_dict
    try:
        Lemmatizer().lemma_dict, Inflections().infl_dict = lemmas, infl
        want_lemmas = getAllLemmas(word)
        want = {upos: [getAllInflections(lemma, upos) for lemma in found]
                for upos, found in want_lemmas.items()}
    finally:
        Lemmatizer().lemma_dict, Inflections().infl_dict = saved
    assert got_lemmas == want_lemmas
    assert {upos: [getAllInflections(lemma, upos) for lemma in found]
            for upos, found in got_lemmas.items()} == want
