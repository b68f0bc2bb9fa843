"""Ontology speed on a generated ontology with 100,000 labels.

Prints: first parse, open from the cache (target <= 0.3 s), building the name index,
and finding mentions in a 300-word paragraph with the exact pass alone (target <= 5 ms)
and exact + fuzzy (target <= 50 ms), beside a baseline of rapidfuzz ``process.extract``
over all labels for every word n-gram, measured in the same run; then adding one entry
through the knowledge base until the matcher finds it (target <= 50 ms), beside building
the index again.

    .venv/bin/python bench/ontology.py [--labels 100000] [--paragraphs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process

from ontology.matcher import EntityMatcher
from ontology.store import OntologyStore

SYLLABLES = ["ka", "lo", "mi", "ren", "sta", "vel", "dor", "qui", "tan", "bro", "zel", "fi",
             "mun", "gar", "pe", "sol", "ith", "war", "cre", "nox", "bal", "tir", "em", "ru"]
FILLER = (
    "the old road winds past quiet fields where farmers sell fruit and bread while "
    "travellers rest by the river and talk about the weather the markets and the long "
    "journey home before night falls over the hills "
).split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make_ontology(path: Path, count: int, rng: random.Random) -> list[str]:
    labels: list[str] = []
    seen: set[str] = set()
    with open(path, "w", encoding="utf-8") as out:
        n = 0
        while len(labels) < count:
            label = " ".join(word(rng) for _ in range(rng.randint(1, 3)))
            if label.lower() in seen:
                continue
            seen.add(label.lower())
            labels.append(label)
            iri = f"<http://bench.example/o#E{n}>"
            out.write(f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      "<http://www.w3.org/2002/07/owl#NamedIndividual> .\n")
            out.write(f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@en .\n')
            n += 1
    return labels


def typo(label: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(label) - 1)
    return label[:i] + label[i + 1:] if label[i] != " " else label


def make_paragraph(labels: list[str], rng: random.Random) -> tuple[str, set[str]]:
    """About 300 words with 10 labels written right and 5 with a typo; and those labels."""
    words = [rng.choice(FILLER) for _ in range(260)]
    planted: set[str] = set()
    for _ in range(10):
        pick = rng.choice(labels)
        planted.add(pick)
        words.insert(rng.randrange(len(words)), pick)
    for _ in range(5):
        pick = rng.choice([lab for lab in rng.sample(labels, 20) if len(lab) >= 10] or labels)
        planted.add(pick)
        words.insert(rng.randrange(len(words)), typo(pick, rng))
    return " ".join(words), planted


def ngrams(text: str, n_max: int = 3) -> list[str]:
    words = text.split()
    return [" ".join(words[i:i + n]) for n in range(1, n_max + 1)
            for i in range(len(words) - n + 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=100_000)
    parser.add_argument("--paragraphs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.nt"
        cache = Path(tmp) / "cache"
        labels = make_ontology(path, args.labels, rng)
        started = time.perf_counter()
        store = OntologyStore.open(path, cache_dir=cache)
        entities = store.entities()
        parse_s = time.perf_counter() - started
        store.close()
        opens = []
        for _ in range(5):
            started = time.perf_counter()
            store = OntologyStore.open(path, cache_dir=cache)
            opens.append(time.perf_counter() - started)
            store.close()
        started = time.perf_counter()
        store = OntologyStore.open(path, cache_dir=cache)
        entities = store.entities()
        with_names_s = time.perf_counter() - started
        started = time.perf_counter()
        matcher = EntityMatcher(entities)
        index_s = time.perf_counter() - started
        print(f"{len(entities)} entities, {len(matcher)} distinct names")
        print(f"first parse + names: {parse_s:.2f} s")
        print(f"open from cache: {statistics.median(opens):.3f} s (target <= 0.3 s); "
              f"with the names: {with_names_s:.3f} s; building the index: {index_s:.2f} s")

        paragraphs = [make_paragraph(labels, rng) for _ in range(args.paragraphs)]
        exact, fuzzy = [], []
        planted_total = right = wrong = 0
        for text, planted in paragraphs:
            t = time.perf_counter()
            matcher.find_exact(text)
            exact.append(time.perf_counter() - t)
            t = time.perf_counter()
            mentions = matcher.find(text)
            fuzzy.append(time.perf_counter() - t)
            names = {m.name for m in mentions}
            planted_total += len(planted)
            right += len(planted & names)
            wrong += len(names - planted)
        print(f"300-word paragraph: exact {statistics.median(exact) * 1000:.2f} ms "
              f"(target <= 5 ms), exact + fuzzy {statistics.median(fuzzy) * 1000:.2f} ms "
              f"(target <= 50 ms)")
        print(f"found {right} of {planted_total} planted names (a third with a typo), "
              f"{wrong} other names")
        names = [label.lower() for label in labels]
        t = time.perf_counter()
        grams = ngrams(paragraphs[0][0].lower())
        hits = sum(1 for g in grams
                   if process.extract(g, names, scorer=fuzz.ratio, score_cutoff=90, limit=1))
        base = time.perf_counter() - t
        print(f"baseline process.extract over all labels per n-gram ({len(grams)} n-grams): "
              f"{base * 1000:.0f} ms per paragraph, {hits} hits; "
              f"exact + fuzzy is {base / statistics.median(fuzzy):.0f}x faster")
        store.close()
        add_entity(path, matcher, index_s)
    return 0


def add_entity(path: Path, matcher: EntityMatcher, index_s: float) -> None:
    """The writer adds one entry: the time until the matcher finds it, against building
    the whole index again (what a reload would cost)."""
    from ontology.kb import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase.open(path)
    kb.add("class", "Harbour")
    kb.add("individual", "Qwertyport", "Harbour")  # the first add builds the name index
    warm_s = time.perf_counter() - started
    times = []
    for n in range(5):
        name = f"Zyxquor Harbour {n}"
        started = time.perf_counter()
        change = kb.add("individual", name, "Harbour", labels=[("zh", f"测试港{n}")])
        for iri in change.iris:
            matcher.update_entity(iri, kb.entity(iri))
        found = matcher.find(f"We sailed into {name} at dawn.")
        times.append(time.perf_counter() - started)
        assert any(m.name == name for m in found), found
    undo = time.perf_counter()
    change = kb.undo()
    assert change is not None
    for iri in change.iris:
        matcher.update_entity(iri, kb.entity(iri))
    undo_s = time.perf_counter() - undo
    print(f"add one entry until the matcher finds it: {statistics.median(times) * 1000:.1f} ms "
          f"(target <= 50 ms) against {index_s:.2f} s to build the index again "
          f"({index_s / statistics.median(times):.0f}x); undo {undo_s * 1000:.1f} ms; "
          f"opening for editing and the first add: {warm_s:.1f} s")
    kb.close()


if __name__ == "__main__":
    sys.exit(main())
