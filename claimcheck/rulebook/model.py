"""The records rule files load into: frozen, compiled, and ready for the stages that use them.

Nothing here reads a file (``loader.py`` does) or applies a rule (the analysis wing does).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

from claimcheck.rulebook.words import Trigger

# (text, what it must come out as): a joints example's claims, a segmentation example's sentences.
Example = tuple[str, tuple[str, ...]]


@lru_cache(maxsize=1024)
def _ref(file: str, rule_id: str) -> str:
    # Asked for every cue of every claim: worked out once per rule.
    return f"{Path(file).stem}:{rule_id}"


@dataclass(frozen=True)
class CueRule:
    """One cue pattern: what it matches, what kind of cue it is and what it argues for."""

    id: str
    file: str
    line: int
    kind: str
    level: Optional[str]  # the level this cue argues for, if any
    flag: Optional[str]  # a flag this cue raises when nothing backs the claim
    attribution: Optional[str]  # "named" / "anonymous" when the match names a source
    priority: int
    strength: float  # -1..1: where in its level's confidence band this cue puts a claim
    pattern: re.Pattern
    not_before: Optional[re.Pattern]
    not_after: Optional[re.Pattern]
    match: tuple[str, ...]
    no_match: tuple[str, ...]

    @property
    def ref(self) -> str:
        """The id shown in ledgers: ``<file stem>:<rule id>``."""
        return _ref(self.file, self.id)


@dataclass(frozen=True)
class KindRule:
    """A pattern that marks a sentence as a non-claim kind (dateline, byline, ...)."""

    id: str
    file: str
    line: int
    kind: str
    pattern: re.Pattern
    match: tuple[str, ...]
    no_match: tuple[str, ...]

    @property
    def ref(self) -> str:
        """The id shown in ledgers: ``<file stem>:<rule id>``."""
        return _ref(self.file, self.id)


@dataclass(frozen=True)
class Joints:
    """Where one sentence splits into several claims."""

    leading: tuple[str, ...]  # subordinators that open a sentence: "Although X, Y"
    inner: tuple[str, ...]  # joints after a comma: "X, though Y"
    bare: tuple[str, ...]  # joints that split even without a comma: "X but Y"
    bare_pattern: re.Pattern  # finds a bare joint after a word: group 1 is the joint
    clause_markers: re.Pattern  # a side needs one of these to count as a clause
    embedders: re.Pattern  # words opening an embedded clause: cues after them govern less
    no_split_before: re.Pattern  # a right side starting like this is a complement, not a claim
    no_split_after: re.Pattern  # a left side ending like this is unfinished ("have, however, ...")
    examples: tuple[Example, ...]  # (text, claims)
    example_places: tuple[str, ...]  # "file:line" of each example, in the same order


@dataclass(frozen=True)
class Rulebook:
    """The cue stage's rules: cue rules, sentence-kind rules and clause joints."""

    cues: tuple[CueRule, ...]
    kinds: tuple[KindRule, ...]
    joints: Joints
    files: tuple[str, ...]  # every rule file read, of every kind, in load order
    trigger_list: tuple[Optional[Trigger], ...]  # each cue rule's words (see words.py)


# eq=False: compared and hashed by identity, so a stage can key a cache on the rules cheaply.
@dataclass(frozen=True, eq=False)
class SegmentationRules:
    """The sentence splitter's word lists, its attribution pattern and Punkt's parameters."""

    never_final: frozenset[str]
    times: frozenset[str]
    time_followers: frozenset[str]
    opening_words: frozenset[str]
    opening_max_words: int
    starters: frozenset[str]
    always_capitalized: frozenset[str]
    glued_not_after: frozenset[str]  # "example.Com", "report.Pdf": a period that glues no sentences
    attribution: re.Pattern[str]
    # What the Punkt tokenizer is built from: abbreviations, starters, always-capitalized words
    # and collocations.
    punkt_words: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[tuple[str, str]]]
    examples: tuple[Example, ...]  # (text, sentences)
    example_places: tuple[str, ...]  # "file:line" of each example, in the same order
    files: tuple[str, ...]  # the segmentation files these rules came from


@dataclass(frozen=True)
class Signal:
    """One check-worthiness signal: a pattern and the weight it adds each time it fires."""

    id: str
    weight: float
    cap: int
    pattern: re.Pattern
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    line: int
    file: str


@dataclass(frozen=True)
class Combo:
    """Signals that mean something different together: adds weight when all of them fire."""

    id: str
    weight: float
    signals: tuple[int, ...]  # positions in WorthRules.signals
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    line: int
    file: str


@dataclass(frozen=True, eq=False)
class WorthRules:
    """Every check-worthiness signal and combo, the bias, and the adjustments for short claims
    and for levels (scored by ``claimcheck.analysis.worth``)."""

    signals: tuple[Signal, ...]
    combos: tuple[Combo, ...]
    bias: float
    short_words: int
    short_weight: float
    threshold: float
    level_weights: Mapping[str, float]
    files: tuple[str, ...]  # the worth files these rules came from
    trigger_list: tuple[Optional[Trigger], ...]  # each signal's words (see words.py)


@dataclass(frozen=True)
class RuleFiles:
    """What a set of rule files holds, every kind read and checked."""

    book: Rulebook
    segmentation: SegmentationRules
    worth: WorthRules
