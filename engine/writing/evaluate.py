"""Score candidates against their source, explain each score, rank, and name what broke.

Scores (each 0..1, higher is better, with the raw figure beside it): content
preservation (ROUGE-L F1, counted as rouge-score counts it) and BLEU against the source
(sacrebleu), readability (Flesch reading ease and grade, counted as textstat counts them)
and its change, fluency (the model's log-probability per word against the source's, when
a scorer is given), length against the template's target, grammar and spelling issues
against the source (engine.grammar), ontology entities kept and facts used, repeated word
n-grams, leftover chatter, and register (formal or friendly). Each template weighs them
and sets hard limits.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from engine.text.readability import grade_level, reading_ease
from engine.text.words import words
from engine.writing.assistant import Candidate
from engine.writing.overlap import rouge_l
from engine.writing.sources import Checks, FindsEntities, JudgesText
from engine.writing.templates import Template

CHATTER = re.compile(
    r"\b(?:as an ai|i(?:'m| am) sorry|i cannot|i can't help|here(?:'s| is) (?:the|a|your)|"
    r"i hope (?:this|that)|let me know|feel free|the (?:text|writer|author) (?:is|says|"
    r"describes|mentions)|your (?:text|paragraph|description|information)|you mentioned|"
    r"rewritten (?:text|version)|in this (?:version|paragraph|rewrite))\b", re.I)
INFORMAL = re.compile(
    r"\b(?:hey|hi|guys|awesome|super|cool|gonna|wanna|kinda|sorta|yeah|yep|nope|lol|stuff|"
    r"totally|pretty much|okay|ok)\b|!+|\b\w+n['’]t\b|\b\w+['’](?:re|ve|ll|d|m)\b|"
    r"\b(?:it|that|there|here|what|let|he|she|who)['’]s\b", re.I)
FORMAL_TARGETS = {"formal": 1.0, "academic": 1.0, "journalistic": 0.8, "friendly": 0.0}


@dataclass
class Violation:
    reason: str  # for the writer: what went wrong
    instruction: str  # for the model, on the next round


@dataclass
class Evaluation:
    scores: dict[str, float]  # name -> 0..1
    values: dict[str, float]  # name -> raw figure
    reasons: list[str]
    violations: list[Violation] = field(default_factory=list)
    total: float = 0.0


def length_score(count: int, target: int) -> float:
    if target <= 0 or count <= 0:
        return 0.0 if count <= 0 else 1.0
    return max(0.0, 1.0 - abs(math.log2(count / target)))


def repetition(text: str, n: int = 3) -> float:
    """Share of word n-grams that repeat an earlier one."""
    tokens = [w.lower() for w in words(text)]
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def formality(text: str) -> float:
    """0 (chatty) .. 1 (formal), from informal markers per word."""
    count = max(1, len(words(text)))
    return max(0.0, 1.0 - 8 * len(INFORMAL.findall(text)) / count)


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    cjk = [c for c in letters if "\u3400" <= c <= "\u9fff" or "\u3040" <= c <= "\u30ff"]
    return len(cjk) / len(letters) if letters else 0.0


class Evaluator:
    def __init__(self, grammar: Checks | None = None,
                 matcher: FindsEntities | None = None,
                 scorer: JudgesText | None = None) -> None:
        self.grammar = grammar
        self.matcher = matcher
        self.scorer = scorer
        self._logprobs: dict[str, float] = {}
        self._issue_cache: dict[str, int] = {}

    def _issues(self, text: str) -> int:
        if self.grammar is None or not text.strip():
            return 0
        if text not in self._issue_cache:
            self._issue_cache[text] = len(self.grammar.check(text).issues)
        return self._issue_cache[text]

    def fluency(self, candidate: str, source: str) -> float | None:
        """The model's log-probability per word of ``candidate`` minus the source's (nats;
        above 0: the model finds it more natural English)."""
        if self.scorer is None or not candidate.strip() or not source.strip():
            return None
        for text in (source, candidate):
            if text not in self._logprobs:
                if len(self._logprobs) > 256:
                    self._logprobs.clear()
                self._logprobs[text] = self.scorer.logprob(text)
        return (self._logprobs[candidate] / max(1, len(words(candidate)))
                - self._logprobs[source] / max(1, len(words(source))))

    def _entities(self, text: str, exact: bool = False) -> dict[str, str]:
        """Entity IRI -> the words naming it; ``exact`` refuses near-misses ("Leileng")."""
        if self.matcher is None or not text.strip():
            return {}
        found = self.matcher.find_exact(text) if exact else self.matcher.find(text)
        return {m.iri: text[m.start:m.end] for m in found}

    def evaluate(self, candidate: str, source: str, template: Template, target: int = 0,
                 style: str = "", facts: list[str] | None = None,
                 judge: bool = True) -> Evaluation:
        """``judge=False`` leaves out the model's fluency (a cancelled request: scoring
        would keep the model busy)."""
        import sacrebleu

        scores: dict[str, float] = {}
        values: dict[str, float] = {}
        reasons: list[str] = []
        violations: list[Violation] = []
        limits = template.limits
        n_cand, n_src = len(words(candidate)), max(1, len(words(source)))
        if not candidate.strip():
            violation = Violation("the answer was empty",
                                  "Answer with the rewritten text; do not leave it empty.")
            return Evaluation({k: 0.0 for k in template.scoring}, {"words": 0}, [violation.reason],
                              [violation], 0.0)

        rouge = rouge_l(source, candidate) if source.strip() else 0
        bleu = sacrebleu.sentence_bleu(candidate, [source]).score / 100 if source.strip() else 0
        scores["preservation"], values["rouge_l"] = rouge, round(rouge, 3)
        scores["bleu"], values["bleu"] = bleu, round(bleu * 100, 1)
        reasons.append(f"keeps {rouge:.0%} of the wording (ROUGE-L {rouge:.2f}, "
                       f"BLEU {bleu * 100:.0f})")

        ease_c, ease_s = reading_ease(candidate), reading_ease(source)
        grade = grade_level(candidate)
        scores["readability"] = min(1.0, max(0.0, 0.5 + (ease_c - ease_s) / 60))
        values.update(reading_ease=round(ease_c, 1), reading_ease_change=round(ease_c - ease_s, 1),
                      grade=round(grade, 1))
        reasons.append(f"reading ease {ease_s:.0f} → {ease_c:.0f} (grade {grade:.0f})")

        gain = self.fluency(candidate, source) if judge else None
        if gain is not None:
            scores["fluency"] = min(1.0, max(0.0, 0.5 + gain))
            values["fluency_gain"] = round(gain, 3)
            reasons.append(f"fluency {gain:+.2f} nats a word against the original")

        ratio = n_cand / n_src
        values.update(words=n_cand, length_ratio=round(ratio, 2))
        if target:
            scores["length"] = length_score(n_cand, target)
            reasons.append(f"{n_cand} words for a target of {target}")
        else:
            scores["length"] = length_score(n_cand, n_src)
            reasons.append(f"{n_cand} words ({ratio:.0%} of the original)")

        new_errors = 0
        if self.grammar is not None:
            src_issues, cand_issues = self._issues(source), self._issues(candidate)
            new_errors = max(0, cand_issues - src_issues)
            per_words = max(1.0, n_cand / 25)
            scores["grammar"] = min(1.0, max(0.0, 0.5 + (src_issues - cand_issues) / (
                2 * per_words)))
            values.update(grammar_issues=cand_issues, source_issues=src_issues,
                          new_errors=new_errors)
            reasons.append(f"{cand_issues} grammar or spelling issues (the original has "
                           f"{src_issues})")

        before = self._entities(source)
        exact = self._entities(candidate, exact=True)
        lowered = candidate.lower()
        lost = [name for iri, name in before.items()
                if iri not in exact and name.lower() not in lowered]
        scores["facts"] = 1.0 - len(lost) / len(before) if before else 1.0
        values.update(entities=len(before), entities_kept=len(before) - len(lost))
        if before:
            reasons.append(f"keeps {len(before) - len(lost)} of {len(before)} names"
                           + (f" (lost: {', '.join(lost)})" if lost else ""))
        if facts:
            used = sum(1 for f in facts if f.split("→")[-1].strip().lower() in candidate.lower())
            values["facts_used"] = used
            reasons.append(f"uses {used} of {len(facts)} ontology facts")

        rep = repetition(candidate)
        scores["repetition"], values["repetition"] = max(0.0, 1 - 3 * rep), round(rep, 3)
        if rep > 0.05:
            reasons.append(f"{rep:.0%} repeated phrases")

        chatter = sorted({m.group(0).lower() for m in CHATTER.finditer(candidate)})
        scores["chatter"] = 0.0 if chatter else 1.0
        values["chatter"] = len(chatter)
        reasons.append(f"chatter: {', '.join(repr(c) for c in chatter)}" if chatter
                       else "no chatter")

        goal = FORMAL_TARGETS.get(style or template.name)
        level = formality(candidate)
        values["formality"] = round(level, 2)
        if goal is not None:
            scores["style"] = 1 - abs(goal - level)
            reasons.append(f"formality {level:.2f} (wanted {'high' if goal > .5 else 'low'})")

        violations += self._limits(limits, template, rouge, ratio, target, new_errors, lost,
                                   chatter, candidate)
        weights = {k: w for k, w in template.scoring.items() if k in scores and w > 0}
        total = sum(scores[k] * w for k, w in weights.items()) / sum(weights.values()) \
            if weights else 0.0
        return Evaluation(scores, values, reasons, violations, total)

    @staticmethod
    def _limits(limits: dict[str, Any], template: Template, rouge: float, ratio: float,
                target: int, new_errors: int, lost: list[str], chatter: list[str],
                candidate: str) -> list[Violation]:
        out: list[Violation] = []
        if "min_preservation" in limits and rouge < limits["min_preservation"]:
            out.append(Violation(f"changes too much (ROUGE-L {rouge:.2f} < "
                                 f"{limits['min_preservation']})",
                                 "Keep closer to the original wording."))
        if "max_preservation" in limits and rouge > limits["max_preservation"]:
            out.append(Violation("barely changes the text", "Actually rewrite the text."))
        if "max_length_ratio" in limits and ratio > limits["max_length_ratio"]:
            most = max(1, round(len(words(candidate)) / ratio * limits["max_length_ratio"]))
            if target:
                most = min(most, round(target * 1.2))
            out.append(Violation(f"too long ({ratio:.0%} of the original)",
                                 f"Use at most {most} words."))
        if "min_length_ratio" in limits and ratio < limits["min_length_ratio"]:
            least = round(len(words(candidate)) / max(ratio, 0.01) * limits["min_length_ratio"])
            out.append(Violation(f"too short ({ratio:.0%} of the original)",
                                 f"Use at least {least} words."))
        if "max_new_errors" in limits and new_errors > limits["max_new_errors"]:
            out.append(Violation(f"adds {new_errors} grammar or spelling problem(s)",
                                 "Check spelling and grammar carefully."))
        if limits.get("keep_entities") and lost:
            names = " and ".join(lost[:4])
            out.append(Violation(f"drops {names}", f"Keep the names {names}."))
        if limits.get("no_chatter", True) and chatter:
            out.append(Violation("talks to the reader instead of answering",
                                 "Answer with the rewritten paragraph only."))
        if limits.get("script") == "cjk" and cjk_share(candidate) < 0.5:
            out.append(Violation("is not in Chinese", "Write the answer in Chinese characters."))
        return out

    def apply(self, candidate: Candidate, source: str, template: Template, target: int = 0,
              style: str = "", facts: list[str] | None = None,
              judge: bool = True) -> Candidate:
        result = self.evaluate(candidate.text, source, template, target, style, facts, judge)
        candidate.scores = {k: round(v, 3) for k, v in result.scores.items()}
        candidate.score = round(result.total, 4)
        candidate.reasons = result.reasons
        candidate.violations = [v.reason for v in result.violations]
        candidate.instructions = [v.instruction for v in result.violations]
        return candidate


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Pinned ones first (proofreading's checked fixes), then those within hard limits, then
    by weighted score; ties keep their order. A text already ranked higher is not shown
    twice (two samples often agree)."""
    ordered = sorted(candidates, key=lambda c: (not c.pinned, bool(c.violations), -c.score,
                                                c.round, c.index))
    seen: set[str] = set()
    out = []
    for candidate in ordered:
        key = " ".join(candidate.text.split())
        if candidate.text and key in seen:
            continue
        seen.add(key)
        out.append(candidate)
    return out
