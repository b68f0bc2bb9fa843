"""Suggestion quality on a parallel-text corpus, five systems side by side.

    .venv/bin/python bench/quality.py --data tests/data/gec [--template proofread]
                                      [--limit N] [--out FILE] [--seed S]
                                      [--systems source,autofix,checked,rewrite,model,app]
                                      [--json]
                                      [--judge PATH] [--margin KIND=NATS ...]

Reads NAME.src (one sentence a line) and NAME.ref0, NAME.ref1, ... aligned with it, runs
each system on every source line and prints BLEU, chrF (sacrebleu), ROUGE-L
(rouge-score) and GLEU (Napoles et al.) against all references, for: the source
unchanged, auto-fix (each grammar issue's first replacement), the checked fixes
(engine/writing/proofread.py: the checkers' fixes and confusion-set edits the model
vouches for; what ``proofread`` prints), the checked fixes with the clear edits of the
model's own two rewrites of each sentence made (engine/writing/rewrite_edits.py; what
``proofread --rewrite`` prints, and what the app's checked card holds once the model has
written), the model alone (one candidate, no evaluation),
and the model with evaluation and retries (what the app shows first: for a template
with checked fixes, these are its first card). ``--systems`` runs only some rows;
``--json`` prints ``{systems: {NAME: {BLEU, chrF, ROUGE-L, GLEU}}, first_choice,
sentences_per_s, ...}`` with ``first_choice`` the row the app shows first (for
proofread the checked fixes, which the app pins first, with the rewrites' edits when that
row runs). ``--out`` gets that row's
sentences, one a line. ``sentences_per_s`` and ``checked_p50_s`` time the checked fixes
alone (checkers and scoring) when that row runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.config import load_settings
from engine.errors import ModelError
from engine.grammar.autofix import apply_fixes
from engine.grammar.checker import GrammarChecker
from engine.model.judge_choice import judge_for
from engine.model.llm import LlamaRunner
from engine.writing.assistant import Assistant, AssistRequest
from engine.writing.evaluate import Evaluator
from engine.writing.gleu import corpus_gleu
from engine.writing.optimize import suggest
from engine.writing.proofread import NEVER, Margins, proofread_text
from engine.writing.rewrite_edits import model_writer, with_rewrites
from engine.writing.templates import TemplateLibrary


def read_corpus(folder: Path) -> tuple[list[str], list[list[str]]]:
    sources = sorted(folder.glob("*.src"))
    if len(sources) != 1:
        raise SystemExit(f"error: expected one .src file in {folder}, found {len(sources)}")
    src = sources[0].read_text(encoding="utf-8").splitlines()
    refs = []
    for path in sorted(folder.glob(f"{sources[0].stem}.ref*")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) != len(src):
            raise SystemExit(f"error: {path.name} has {len(lines)} lines, the source "
                             f"{len(src)}")
        refs.append(lines)
    if not refs:
        raise SystemExit(f"error: no reference files ({sources[0].stem}.ref0 ...) in {folder}")
    return src, refs


def scores(sources: list[str], hyps: list[str], refs: list[list[str]]) -> dict[str, float]:
    import sacrebleu
    from rouge_score import rouge_scorer
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    tokenize = Tokenizer13a()
    rouge = rouge_scorer.RougeScorer(["rougeL"])
    bleu = sacrebleu.corpus_bleu(hyps, refs).score
    chrf = sacrebleu.corpus_chrf(hyps, refs).score
    rouge_l = sum(max(rouge.score(r[i], h)["rougeL"].fmeasure for r in refs)
                  for i, h in enumerate(hyps)) / max(1, len(hyps))
    split = [tokenize(s).split() for s in sources]
    gleu = corpus_gleu(split, [tokenize(h).split() for h in hyps],
                       [[tokenize(line).split() for line in ref] for ref in refs])
    return {"BLEU": bleu, "chrF": chrf, "ROUGE-L": rouge_l * 100, "GLEU": gleu * 100}


ROWS = {"source": "source unchanged", "autofix": "auto-fix", "checked": "checked fixes",
        "rewrite": "checked + rewrite", "model": "model alone", "app": "model + evaluation"}


def parse_margins(pairs: list[str]) -> Margins:
    """``Margins`` with ``KIND=NATS`` overrides ("never" for a margin nothing beats)."""
    values: dict[str, float] = {}
    known = {f.name for f in fields(Margins)}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in known:
            raise SystemExit(f"error: --margin takes one of {', '.join(sorted(known))}; "
                             f"got {pair!r}")
        try:
            values[name] = NEVER if value == "never" else float(value)
        except ValueError:
            raise SystemExit(f"error: --margin {name} needs a number of nats; got {value!r}") \
                from None
    return replace(Margins(), **values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--template", default="proofread")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat-penalty", type=float, default=None,
                        help="override the template's repeat penalty (1.0: none)")
    parser.add_argument("--systems", default=",".join(ROWS),
                        help=f"rows to run, of {','.join(ROWS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--judge", metavar="PATH",
                        help="the GGUF that judges the checked fixes (default: the judge "
                        "setting, else the starter model)")
    parser.add_argument("--margin", action="append", default=[], metavar="KIND=NATS",
                        help="override one of the checked fixes' margins (repeatable)")
    args = parser.parse_args()
    margins = parse_margins(args.margin)
    wanted = [w.strip() for w in args.systems.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in ROWS]
    if unknown or not wanted:
        raise SystemExit(f"error: --systems takes {', '.join(ROWS)}; got {args.systems!r}")
    sources, refs = read_corpus(args.data)
    if args.limit:
        sources, refs = sources[:args.limit], [r[:args.limit] for r in refs]
    settings, _ = load_settings()
    library = TemplateLibrary()
    pinned = "checked" in library.get(args.template).baselines
    first_choice = ROWS["app"]  # what the app shows first
    if pinned:
        first_choice = ROWS["rewrite"] if "rewrite" in wanted else ROWS["checked"]
    grammar = GrammarChecker(settings)
    grammar.start(wait=True)
    uses_model = any(w in wanted for w in ("model", "app", "rewrite"))
    runner = LlamaRunner.from_settings(settings) if uses_model else None
    assistant = Assistant(runner, library) if runner is not None else None
    try:
        judge = judge_for(settings, args.judge) \
            if "checked" in wanted or "rewrite" in wanted or (pinned and "app" in wanted) \
            else None
    except ModelError as exc:
        raise SystemExit(f"error: {exc}") from None
    evaluator = Evaluator(grammar, scorer=judge)
    write = model_writer(assistant, seed=args.seed) if assistant is not None else None
    systems: dict[str, list[str]] = {ROWS[w]: [] for w in ROWS if w in wanted}
    checked_times: list[float] = []
    started = time.perf_counter()
    for n, line in enumerate(sources):
        if "source" in wanted:
            systems["source unchanged"].append(line)
        if judge is not None and ("checked" in wanted or "rewrite" in wanted):
            began = time.perf_counter()  # first: its check is not cached
            result = proofread_text(line, grammar.check(line).issues, judge, margins)
            checked_times.append(time.perf_counter() - began)
            if "checked" in wanted:
                systems["checked fixes"].append(result.text)
            if write is not None and "rewrite" in wanted:
                adopted, _offers = with_rewrites(result, write, judge, margins, first=n)
                systems["checked + rewrite"].append(adopted.text)
        if "autofix" in wanted:
            systems["auto-fix"].append(apply_fixes(line, grammar.check(line).issues))
        if assistant is not None and "model" in wanted:
            request = AssistRequest(template=args.template, selection=line,
                                    seed=args.seed + n, candidates=1,
                                    repeat_penalty=args.repeat_penalty)
            alone = assistant.generate(request)
            systems["model alone"].append(alone[0].text if alone and alone[0].text else line)
        if assistant is not None and "app" in wanted:
            outcome = suggest(assistant, evaluator, AssistRequest(
                template=args.template, selection=line, seed=args.seed + n,
                repeat_penalty=args.repeat_penalty), args.rounds)
            best = outcome.candidates[0].text if outcome.candidates else line
            systems["model + evaluation"].append(best or line)
    elapsed = time.perf_counter() - started
    engines = grammar.states()
    grammar.close()
    if runner is not None:
        runner.close()
    if judge is not None:
        judge.close()
    if args.out and first_choice in systems:
        args.out.write_text("\n".join(systems[first_choice]) + "\n", encoding="utf-8")
    table = {name: scores(sources, hyps, refs) for name, hyps in systems.items()}
    if args.json:
        print(json.dumps({
            "systems": {name: {k: round(v, 2) for k, v in row.items()}
                        for name, row in table.items()},
            "first_choice": first_choice, "sentences": len(sources),
            "references": len(refs), "template": args.template, "engines": engines,
            "seconds": round(elapsed, 1),
            "sentences_per_s": round(len(checked_times) / sum(checked_times), 3)
            if checked_times else round(len(sources) / elapsed, 3) if elapsed else None,
            "checked_p50_s": round(statistics.median(checked_times), 3)
            if checked_times else None,
        }, indent=2))
        return 0
    print(f"{len(sources)} sentences, {len(refs)} references each, template "
          f"{args.template}, repeat penalty {args.repeat_penalty or 'template'}, "
          f"engines {engines} ({elapsed:.0f} s)")
    print(f"{'system':<22}{'BLEU':>8}{'chrF':>8}{'ROUGE-L':>9}{'GLEU':>8}")
    for name, row in table.items():
        print(f"{name:<22}" + "".join(f"{row[k]:>{w}.1f}" for k, w in
                                      (("BLEU", 8), ("chrF", 8), ("ROUGE-L", 9), ("GLEU", 8))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
