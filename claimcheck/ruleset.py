"""Every kind of rule in force, and the check of every rule's examples.

The rulebook wing reads and validates rule files; the analysis wing uses them. A RuleSet holds
what both sides share: the cue stage's rules, the sentence splitter's and the check-worthiness
scorer. Checking a rule's examples needs both (does the rule fire on its sentence?), so it
lives here, above them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable

from claimcheck.analysis.clauses import split_clauses
from claimcheck.analysis.cues import rule_fires
from claimcheck.analysis.segment import sentence_spans
from claimcheck.analysis.worth import WorthModel, model_of
from claimcheck.rulebook import (
    CueRule,
    Joints,
    KindRule,
    RuleFiles,
    Rulebook,
    SegmentationRules,
    default_rule_files,
    load_rule_files,
    read_rule_files,
)


@dataclass(frozen=True)
class RuleSet:
    """Every rule in force: cue, kind and joint rules, segmentation, and check-worthiness."""

    book: Rulebook  # the cue stage's rules: cues, sentence kinds, clause joints
    segmentation: SegmentationRules
    worth: WorthModel

    @property
    def cues(self) -> tuple[CueRule, ...]:
        """The cue rules, in load order."""
        return self.book.cues

    @property
    def kinds(self) -> tuple[KindRule, ...]:
        """The sentence-kind rules, in load order."""
        return self.book.kinds

    @property
    def joints(self) -> Joints:
        """Where a sentence splits into several claims."""
        return self.book.joints

    @property
    def files(self) -> tuple[str, ...]:
        """Every rule file read, of every kind, in load order."""
        return self.book.files


def ruleset_of(files: RuleFiles) -> RuleSet:
    """The RuleSet of what a set of rule files holds."""
    return RuleSet(book=files.book, segmentation=files.segmentation, worth=model_of(files.worth))


def load_ruleset(extra_paths: Iterable[str | Path] = ()) -> RuleSet:
    """The shipped rules plus the user's rule files or directories (cached)."""
    return _load_ruleset(tuple(str(p) for p in extra_paths))


@lru_cache(maxsize=8)
def _load_ruleset(extra: tuple[str, ...]) -> RuleSet:
    return ruleset_of(load_rule_files(extra))


def build_ruleset(paths: Iterable[Path], with_defaults: bool = True) -> RuleSet:
    """A RuleSet read afresh (not cached) from paths, after the shipped files unless told not to."""
    return ruleset_of(read_rule_files([*(default_rule_files() if with_defaults else ()), *paths]))


def check_examples(rules: RuleSet) -> list[str]:
    """Run the examples of every rule of every kind; one 'file:line: ...' message per failure."""
    problems = []
    for rule in rules.cues:
        fires = partial(rule_fires, rule)
        problems += _example_problems(f"{rule.file}:{rule.line}", f"rule {rule.id!r}", fires, rule.match, rule.no_match)
    for kind_rule in rules.kinds:
        problems += _example_problems(
            f"{kind_rule.file}:{kind_rule.line}", f"rule {kind_rule.id!r}", kind_rule.pattern.search,
            kind_rule.match, kind_rule.no_match,
        )
    worth = rules.worth
    for signal in worth.signals:
        problems += _example_problems(
            f"{signal.file}:{signal.line}", f"signal {signal.id!r}", signal.pattern.search, signal.match, signal.no_match
        )
    for combo in worth.combos:
        fires = partial(_fires_combo, worth, combo.id)
        problems += _example_problems(f"{combo.file}:{combo.line}", f"combo {combo.id!r}", fires, combo.match, combo.no_match)
    segmentation = rules.segmentation
    for place, (text, sentences) in zip(segmentation.example_places, segmentation.examples):
        got = [text[s:e] for s, e in sentence_spans(text, rules=segmentation)]
        if got != list(sentences):
            problems.append(f"{place}: example {text[:50]!r}... splits as {got!r}, not {list(sentences)!r}")
    joints = rules.joints
    for place, (text, claims) in zip(joints.example_places, joints.examples):
        got = [text[s:e] for s, e in split_clauses(text, joints)]
        if got != list(claims):
            problems.append(f"{place}: joints example {text[:50]!r}... splits as {got!r}, not {list(claims)!r}")
    return problems


def _fires_combo(model: WorthModel, combo_id: str, text: str) -> bool:
    return combo_id in model.fired(text)


def _example_problems(
    where: str, what: str, fires: Callable[[str], object], match: Iterable[str], no_match: Iterable[str]
) -> list[str]:
    """One 'file:line: ...' message per example that fires when it should not, or the reverse."""
    problems = [f"{where}: {what} should match: {text!r}" for text in match if not fires(text)]
    problems += [f"{where}: {what} should not match: {text!r}" for text in no_match if fires(text)]
    return problems
