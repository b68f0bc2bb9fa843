"""Hostile input: every parser under the fuzzer's mutations, hand-made hostile GGUF files
and chat templates, and SIGKILL in the middle of saving."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz
import kill_saver
from fuzz_targets import CHATML, TARGETS, check, gguf_bytes, gguf_string

from engine.errors import ModelError
from engine.model.chat_template import ChatTemplate
from engine.model.gguf import read_metadata

ROUNDS = {"ontology": 40, "server_stream": 150, "chat_template": 250, "document": 250,
          "docx": 150, "odt": 150, "proofread": 25, "scoring_plan": 3000}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_parser_survives_the_mutator(name):
    """Seeds, then a few hundred mutations each (bench/fuzz.py runs far more)."""
    target = TARGETS[name]
    seeds = target.seeds()
    rng = random.Random(name)
    for data in seeds + [fuzz.mutate(rng.choice(seeds), seeds, rng)
                         for _ in range(ROUNDS.get(name, 400))]:
        check(target, data)  # raises ContractBroken with the input's story


KV = [("general.architecture", 8, gguf_string("llama")),
      ("tokenizer.chat_template", 8, gguf_string(CHATML))]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "hostile.gguf"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("kvs", "tensors", "data", "reason"), [
    ([("general.name", 8, struct.pack("<Q", 1 << 63))], [], b"", "truncated"),
    ([("general.tags", 9, struct.pack("<IQ", 8, 1 << 40))], [], b"", "claims"),
    ([("general.tags", 9, struct.pack("<IQ", 4, 1 << 40))], [], b"", "truncated"),
    ([("nested", 9, struct.pack("<IQ", 9, 1) * 6 + struct.pack("<IQ", 4, 0))], [], b"",
     "nested deeper"),
    ([("llama.context_length", 8, gguf_string("long"))], [], b"", "whole number"),
    ([("general.alignment", 4, struct.pack("<I", 3))], [], b"", "power of two"),
    ([], [("a", [32, 4], 0, 1 << 40)], b"\0" * 512, "truncated"),
    ([], [("a", [32, 4], 0, 0), ("b", [32], 0, 256)], b"\0" * 1024, "overlap"),
    ([], [("a", [30], 2, 0)], b"\0" * 64, "whole blocks"),
    ([], [("a", [32], 99, 0)], b"\0" * 64, "unknown type"),
    ([], [("a", [32], 0, 7)], b"\0" * 256, "aligned"),
    ([], [("a\nb", [0], 0, 0)], b"\0" * 64, "dimension of 0"),
])
def test_hostile_gguf_headers_are_refused_in_one_line(tmp_path, kvs, tensors, data, reason):
    with pytest.raises(ModelError, match=reason) as refused:
        read_metadata(write(tmp_path, gguf_bytes(KV + kvs, tensors, data)))
    assert "\n" not in str(refused.value)


def test_a_well_formed_file_passes_and_its_tensors_lie_inside_it(tmp_path):
    tensors = [("token_embd.weight", [32, 4], 0, 0), ("output.weight", [32, 2], 2, 512)]
    info = read_metadata(write(tmp_path, gguf_bytes(KV, tensors, b"\1" * 548)))
    assert info.architecture == "llama" and info.chat_template


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.text(max_size=8), st.sampled_from([0, 4, 8, 9, 10, 99]),
                          st.binary(max_size=24)), max_size=4),
       st.lists(st.tuples(st.text(max_size=6), st.lists(
           st.sampled_from([0, 1, 32, 256, 1 << 20, 1 << 40]), min_size=0, max_size=5),
           st.sampled_from([0, 1, 2, 12, 255]),
           st.sampled_from([0, 32, 64, 512, 1 << 62])), max_size=3),
       st.binary(max_size=600))
def test_structured_gguf_either_loads_within_the_file_or_is_refused(kvs, tensors, data):
    path = Path(fuzz_targets_tmp()) / "structured.gguf"
    raw = gguf_bytes(KV + kvs, tensors, data)
    path.write_bytes(raw)
    try:
        info = read_metadata(path)
    except ModelError as exc:
        assert "\n" not in str(exc)
        return
    assert info.size_bytes == len(raw)


def fuzz_targets_tmp() -> str:
    import fuzz_targets

    return str(fuzz_targets._TMP)


@pytest.mark.parametrize(("source", "reason"), [
    ("{% for i in range(10**9) %}{% endfor %}", "took longer than 2 s"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "took longer than 2 s"),
    ("{{ 'x' * 10**8 }}", "more than 1000000 items"),
    ("{{ 9 ** 999999 }}", "power over 64"),
    ("{% for i in range(99999) %}{{ 'y' * 99 }}{% endfor %}", "wrote more than"),
    ("{{ ''.__class__.__mro__ }}", "failed"),
    ("{{ raise_exception('no system messages') }}", "refused the conversation"),
    ("{% for m in messages %}{{ m.content.nope() }}{% endfor %}", "failed"),
])
def test_hostile_chat_templates_end_with_a_clear_error(source, reason):
    started = time.monotonic()
    with pytest.raises(ModelError, match=reason) as refused:
        ChatTemplate(source).render([{"role": "user", "content": "Hi"}])
    assert time.monotonic() - started < 10 and "\n" not in str(refused.value)


def test_a_deeply_nested_prompt_template_is_refused_in_one_line(tmp_path):
    from engine.errors import TemplateError
    from engine.writing.templates import parse_template

    source = ('name = "deep"\ntitle = "Deep"\ncategory = "edit"\n'
              f'prompt = "{{{{ {"[" * 5000}input_text }}}}"\n')
    with pytest.raises(TemplateError, match="nested too deeply"):
        parse_template(source, tmp_path / "deep.toml", "user")


def test_broken_template_source_is_refused_at_load():
    with pytest.raises(ModelError, match="not valid Jinja"):
        ChatTemplate("{% for %}")
    with pytest.raises(ModelError, match="characters long"):
        ChatTemplate("x" * (300 * 1024))


KILLS = 200  # at least; more until TORN kills have landed inside a write
TORN = 10


@pytest.mark.slow  # 200 processes killed mid-save: a minute
def test_killed_during_save_leaves_the_old_or_the_new_file(tmp_path):
    """SIGKILL at random instants while a 5 MB document, its journal and its history are
    saved."""
    from engine.documents.journal import Journal
    from engine.history.store import HistoryStore

    line = "All work and no play makes a dull writer. 写作 "
    versions = ((line * 110_000)[:5_000_000], (line[::-1] * 110_000)[:5_000_000])
    hashes = {hashlib.sha256(v.encode()).hexdigest() for v in versions}
    path = tmp_path / "big.md"
    path.write_text(versions[0], encoding="utf-8")
    folder = tmp_path / "journal"
    folder.mkdir()
    seed = HistoryStore(folder / "history.sqlite3")  # both texts' paragraphs stored once:
    for text in versions:  # each child then adds a version in milliseconds
        seed.record(text, "save")
    seed.close()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kill_saver"])
    rng = random.Random(7)
    leftovers = kills = 0
    # where a kill lands depends on this machine's speed and load: kill on until enough
    # have torn a write (each kill's checks hold either way)
    while kills < KILLS or (leftovers < TORN and kills < 5 * KILLS):
        kills += 1
        saving = context.Event()
        saver = context.Process(target=kill_saver.save_forever,
                                args=(str(path), str(folder), versions, saving))
        saver.start()
        assert saving.wait(30), "the saver did not start"
        time.sleep(rng.uniform(0.0, 0.25))  # a few saves take this long: kills land mid-write
        os.kill(saver.pid, signal.SIGKILL)
        saver.join()
        assert hashlib.sha256(path.read_bytes()).hexdigest() in hashes
        entry = Journal(folder).read("kill-test")
        assert entry is None or entry.text in versions  # absent only before the first
        history = HistoryStore(folder / "history.sqlite3")
        for version in history.versions()[:2]:  # the newest: the ones a kill could tear
            assert history.text(version.id) in versions
        history.close()
        for stale in [*tmp_path.glob(".big.md.*.tmp"), *folder.glob(".*.tmp")]:
            leftovers += 1  # a kill in the middle of a write
            stale.unlink()
    assert Journal(folder).read("kill-test") is not None
    history = HistoryStore(folder / "history.sqlite3")
    kept = history.versions()
    assert len(kept) > 2  # the killed savers added versions (past the two seeded)
    for version in kept:  # every version listed reads back whole
        assert history.text(version.id) in versions
    print(f"{kills} kills: every file complete, {len(kept)} versions in the history all "
          f"whole; {leftovers} killed mid-write")
    assert leftovers >= TORN, "too few kills landed inside a write to prove much"


def test_a_later_save_removes_what_a_killed_save_left(tmp_path):
    from engine.fsutil import STALE_SECONDS, atomic_write_text

    path = tmp_path / "doc.md"
    old = tmp_path / ".doc.md.abc123.tmp"
    fresh = tmp_path / ".doc.md.def456.tmp"
    other = tmp_path / ".notes.md.abc123.tmp"
    for leftover in (old, fresh, other):
        leftover.write_text("half a save")
    aged = time.time() - STALE_SECONDS - 5
    os.utime(old, (aged, aged))
    os.utime(other, (aged, aged))
    atomic_write_text(path, "saved")
    assert not old.exists() and fresh.exists() and other.exists()
