"""Fuzz targets for proofreading: the whole path (both checkers' issues, the candidate
edits, the real judge on the starter model) and the judge's planning without a model.

``proofread`` turns the bytes into text and proofreads it as the app does; the contract
is bench/fuzz_targets.py's (a result, or a one-line ``WordloomError``), and the result
must also be a text that the edits make from the input. ``scoring_plan`` turns the
bytes into two token lists, a window and a context size, and checks what the planning
promises: the slices stay inside the texts, a variant's tokens are its own, every job is
in exactly one group and every group fits.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# the odd shapes real text has, besides learner sentences
ODD_TEXTS = [
    "It 's expensive .", "We do n't know , do we ?", "the society 's rules ( mostly )",
    "Hello", ".", "...", "?!", "!!!", "", " ", "\t\t", "a", "I", "'s", "n't",
    "Great job 👍🏽 see you 🇬🇧 tomorrow!", "他们是我的朋友门。",
    "我今天去了商店, and I bought milk .",
    "Cafe\u0301 au lait was to hot.", "The\u00a0cat\u00a0sat on the mat .",
    "Tabs\tbetween\twords\tare odd.", "Line one\nline two\r\nline three.",
    "e.g. Dr. Smith vs. Mr. Jones, i.e. the No. 1 St. hotel.",
    "\u200b\u200b zero width", "\ufeffBOM at the start.", "a" * 300,
    "word " * 2000,  # a 2,000-word sentence with no full stop
    "\t\t\0\0\0\0\0\x01\0\0",  # a checker's issue text was not the text's own words
]


def learner_sentences() -> list[str]:
    return (REPO / "tests" / "data" / "gec" / "gec.src").read_text(encoding="utf-8").splitlines()


def proofread_seeds() -> list[bytes]:
    return [t.encode("utf-8") for t in learner_sentences() + ODD_TEXTS]


@cache
def _tools() -> tuple[Any, Any]:
    """Both checkers and the judge, loaded once per process: the settings' (a test's),
    else the starter model and LanguageTool that ``make setup`` put in the real folders
    (the fuzzer's child runs under a WORDLOOM_HOME of its own)."""
    import platformdirs

    from engine.config import load_settings
    from engine.grammar.checker import GrammarChecker
    from engine.model.gguf import DEFAULT_MODEL_FILE
    from engine.model.scorer import LogProbScorer

    settings = load_settings()[0]
    real = platformdirs.PlatformDirs("wordloom", appauthor=False)
    settings.model = settings.model or str(Path(real.user_data_dir) / "models" /
                                           DEFAULT_MODEL_FILE)
    settings.languagetool_dir = settings.languagetool_dir or str(
        Path(real.user_cache_dir) / "languagetool")
    checker = GrammarChecker(settings)
    checker.start(wait=True)
    scorer = LogProbScorer(settings.model)
    scorer.load()
    return checker, scorer


def run_proofread(data: bytes) -> object:
    from engine.writing.proofread import apply_edits, proofread_text

    text = data.decode("utf-8", errors="replace")
    checker, scorer = _tools()
    issues = checker.check(text).issues
    result = proofread_text(text, issues, scorer)
    if result.text != apply_edits(text, result.edits):
        raise AssertionError("the proofread text is not the input with its edits")
    for edit in result.edits:
        if text[edit.start:edit.end] != edit.old:
            raise AssertionError(f"an edit's old words are not the input's: {edit}")
    return result


# -- the judge's planning ----------------------------------------------------------------------

def plan_seeds() -> list[bytes]:
    rng = random.Random(7)
    seeds = []
    for _ in range(16):
        base = [1] + [rng.randrange(2, 40) for _ in range(rng.randrange(1, 30))]
        variant = list(base)
        at = rng.randrange(1, len(base) + 1)
        variant[at:at + rng.randrange(0, 3)] = [rng.randrange(2, 40)
                                                for _ in range(rng.randrange(0, 3))]
        seeds.append(bytes([len(base), rng.randrange(0, 8), 64]) + bytes(base) + bytes(variant))
    return seeds


def run_scoring_plan(data: bytes) -> object:
    """bytes: base length, window, context size, then the base's tokens and the
    variants' (a zero byte ends one variant); each list starts with the start token."""
    from engine.model.scoring_plan import Job, groups, shared_prefix

    if len(data) < 3:
        return None
    size, window, n_ctx = data[0], data[1] % 12, 8 + data[2] * 4
    body = data[3:]
    base = [1, *(b + 2 for b in body[:size])]
    variants = [[1, *(b + 2 for b in part)] for part in body[size:].split(b"\0")]
    jobs = []
    for index, tokens in enumerate(variants):
        job = Job.make(index, tokens, base, window)
        if job is None:
            if tokens != base:
                raise AssertionError("no job for a variant that differs")
            continue
        prefix = shared_prefix(tokens, base)
        if not 1 <= job.prefix <= max(1, prefix) or job.prefix > len(tokens):
            raise AssertionError(f"prefix {job.prefix} against {prefix} shared")
        if tokens[job.prefix:job.prefix + len(job.new)] != job.new:
            raise AssertionError("the job's tokens are not the variant's")
        if not job.prefix <= job.base_end <= len(base) and job.new:
            raise AssertionError(f"base window ends at {job.base_end} of {len(base)}")
        if job.new and not 2 <= job.split <= len(job.new) + 1:
            raise AssertionError(f"split {job.split} of {len(job.new)}")
        if job.new and job.prefix == prefix < len(base) and job.new[0] == base[prefix]:
            raise AssertionError("the job starts on a token the base shares")
        jobs.append(job)
    try:
        planned = groups([j for j in jobs if j.new], len(base), 8, n_ctx)
    except ValueError:
        if all(len(base) + len(j.new) <= n_ctx for j in jobs):
            raise AssertionError("a job that fits was refused") from None
        return None
    flat = [j.index for group in planned for j in group]
    if flat != [j.index for j in jobs if j.new]:
        raise AssertionError("groups lost, repeated or reordered a job")
    for group in planned:
        if len(group) > 7 or len(base) + sum(len(j.new) for j in group) > n_ctx:
            raise AssertionError("a group does not fit")
    return planned
