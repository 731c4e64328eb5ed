"""The prefilter: one scan of a document for the words the rules need, and the plan of
which rules to try where in each span.

The words come from the rules themselves (``claimcheck.rulebook.words``); this module builds
the index of them (a trie as one regular expression), scans a text with it once, a window at a
time for long texts, and answers for any span: the rules that may match there and, for rules
whose matches must start with one of their words, the only offsets worth trying
(``anchored_matches``). The matches are those of a full scan; a property test checks it.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Callable, Iterable, Iterator, Optional, Protocol, Sequence

from claimcheck.rulebook.patterns import compile_pattern
from claimcheck.rulebook.words import Trigger, fold


class HasTriggers(Protocol):
    """What the prefilter needs of a rule collection: each rule's Trigger, in rule order."""

    trigger_list: tuple[Optional[Trigger], ...]


@dataclass(frozen=True)
class TriggerIndex:
    """Which rules (by position) may match a text, and where, from one scan for their words."""

    scanner: Optional[re.Pattern]
    rules_by_word: dict[str, frozenset[int]]  # a word found -> rules it (or a prefix) triggers
    always: frozenset[int]  # rules without required words
    # Anchored rules (every match starts with one of their leading words) -> the words found by
    # the scanner that are, or begin with, one of those leading words.
    openers: dict[int, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, triggers: Sequence[Optional[Trigger]]) -> "TriggerIndex":
        """Index the words of each rule's Trigger (None, or no words: the rule always runs)."""
        owners: dict[str, set[int]] = {}
        starters: dict[str, set[int]] = {}
        always = set()
        for index, trigger in enumerate(triggers):
            if trigger is None or not trigger.words:
                always.add(index)
                continue
            for word in trigger.words:
                owners.setdefault(word, set()).add(index)
        for index, trigger in enumerate(triggers):
            leading = trigger.leading if trigger is not None and trigger.words else None
            # A one-character word not scanned for anyway ("a") would be found at nearly every
            # letter: such a rule scans its sentences instead.
            if leading and all(len(word) > 1 or word in owners for word in leading):
                for word in leading:
                    starters.setdefault(word, set()).add(index)
        # The scanner reports the longest word at each position; the shorter words it starts
        # with are present too, so each word also triggers the rules of its prefixes.
        every = set(owners) | set(starters)
        by_word = {word: _by_prefix(word, owners, frozenset) for word in every}
        openers: dict[int, set[str]] = {}
        for word in every:
            for rule in _by_prefix(word, starters, set):
                openers.setdefault(rule, set()).add(word)
        scanner = compile_pattern("(?=(" + _trie(every) + "))") if every else None
        return cls(scanner, by_word, frozenset(always), {rule: frozenset(words) for rule, words in openers.items()})

    @property
    def anchored(self) -> frozenset[int]:
        """The rules tried only where one of their leading words starts."""
        return frozenset(self.openers)

    def candidates(self, text: str) -> list[int]:
        """Positions of the rules that may match text, in rule order."""
        found = set(self.always)
        if self.scanner is not None:
            for word in {m.group(1) for m in self.scanner.finditer(fold(text))}:
                found |= self.rules_by_word[word]
        return sorted(found)

    def scan(self, text: str) -> "Hits":
        """Scan a whole document once; Hits then answers for any span of it."""
        lowered = fold(text)
        if self.scanner is None or len(lowered) != len(text):
            # A few characters (İ) lower-case to two; offsets would shift, so ask per span.
            return Hits(self, text, (), (), exact=False)
        # Splitting at the (zero-width) matches yields [text, word, text, word, ..., text] with no
        # match objects made; each word's offset is the length of the text before it.
        parts = self.scanner.split(lowered)
        positions = tuple(accumulate(map(len, parts[0:-1:2])))
        return Hits(self, text, positions, tuple(parts[1::2]), exact=True)


def _by_prefix(word: str, owners: dict[str, set[int]], kind: type) -> "set[int] | frozenset[int]":
    return kind().union(*(owners[word[:end]] for end in range(1, len(word) + 1) if word[:end] in owners))


Plan = tuple[list[int], dict[int, list[int]]]
"""Rules to run on a span, in rule order; for the anchored ones, where they may start (from the span's start)."""


@dataclass(frozen=True)
class Hits:
    """The required words found in one document, by position."""

    index: TriggerIndex
    text: str
    positions: tuple[int, ...]
    words: tuple[str, ...]
    exact: bool  # False: positions are unusable, each span is scanned on its own

    def plan(self, start: int, end: int) -> Plan:
        """The rules that may match text[start:end] and, for anchored rules, the only offsets
        (from start, ascending) where a match can begin. An anchored rule with none is left out."""
        index = self.index
        if not self.exact:
            return index.candidates(self.text[start:end]), {}
        positions = self.positions
        low = bisect_left(positions, start)
        high = bisect_left(positions, end, low)
        words = self.words[low:high]
        found = set(index.always)
        by_word = index.rules_by_word
        for word in set(words):
            found |= by_word[word]
        rules = sorted(found)
        openers = index.openers
        if not openers:
            return rules, {}
        # Where each word found here starts (from start, ascending); an anchored rule's offsets
        # are those of its leading words among them.
        at_word: dict[str, list[int]] = {}
        for word, position in zip(words, positions[low:high]):
            at_word.setdefault(word, []).append(position - start)
        starts: dict[int, list[int]] = {}
        planned = []
        for rule in rules:
            opening = openers.get(rule)
            if opening is not None:
                present = opening.intersection(at_word)
                if not present:
                    continue  # none of its leading words is here: it cannot match
                if len(present) == 1:
                    starts[rule] = at_word[next(iter(present))]
                else:
                    starts[rule] = sorted([p for word in present for p in at_word[word]])
            planned.append(rule)
        return planned, starts


def split_plan(plan: Plan, first: int) -> tuple[Plan, Plan]:
    """The plan of an index built from two lists of triggers (``build(a + b)``) as the plans
    of each, the second numbered from 0 again; first is ``len(a)``."""
    rules, starts = plan
    cut = bisect_left(rules, first)
    # The first part's starts may keep the second's keys: it only asks for its own rules.
    return (rules[:cut], starts), ([r - first for r in rules[cut:]], {r - first: starts[r] for r in rules[cut:] if r in starts})


def anchored_matches(match: Callable[[str, int], Optional[re.Match]], text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """What ``finditer(text)`` yields, for a pattern whose every match begins at one of starts.

    ``pattern.match(text, pos)`` tries exactly what a search tries at pos (lookbehinds and \\b
    still see the text before pos), and matches do not overlap, as with finditer."""
    free = 0
    for position in starts:
        if position < free:
            continue
        found = match(text, position)
        if found is not None:
            free = found.end()
            yield found


def _trie(words: Iterable[str]) -> str:
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy: prefer the longer word; the prefix map above covers the shorter ones.
        return f"(?:{body})?" if "" in node else body

    return build(root)


# Characters of text scanned for trigger words at a time, and the context kept on each side of
# a window so that every word found in it is the word a scan of the whole text finds there.
_WINDOW = 1 << 16
_CONTEXT = 64


class _WindowHits:
    """``index.scan(text)`` answered a window of the text at a time.

    A whole-text scan keeps an entry for every trigger word of the document (millions for a
    long text); this keeps those of one window, moving on as the spans asked for (sentences,
    then their claims, in text order) move on. A span is answered from a window that holds it
    with ``margin`` characters of context on each side, more than the longest trigger word, so
    the candidates are exactly those of the whole-text scan."""

    def __init__(self, index: TriggerIndex, text: str, margin: int) -> None:
        self.index = index
        self.text = text
        self.margin = margin
        self.hits: Optional[Hits] = None
        self.base = 0  # where the scanned window begins in text
        self.start = self.end = 0  # the spans it answers: within [start, end)

    def plan(self, start: int, end: int) -> Plan:
        if self.hits is None or start < self.start or end > self.end:
            self._move(start, end)
        return self.hits.plan(start - self.base, end - self.base)

    def _move(self, start: int, end: int) -> None:
        self.hits = None  # let the old window go before scanning the next
        self.start, self.end = start, min(len(self.text), max(end, start + _WINDOW))
        self.base = max(0, start - self.margin)
        self.hits = self.index.scan(self.text[self.base : self.end + self.margin])


_INDEXES: dict[tuple[int, ...], tuple[tuple, TriggerIndex]] = {}


def index_of(*owners: "HasTriggers") -> TriggerIndex:
    """One index for the trigger lists of owners (a Rulebook, a WorthModel, ...), numbered in
    that order; built once per combination (the owners are kept, so their ids stay theirs)."""
    key = tuple(map(id, owners))
    if key not in _INDEXES:
        if len(_INDEXES) >= 8:  # a library caller making rulebooks in a loop: do not grow for ever
            _INDEXES.clear()
        _INDEXES[key] = (owners, TriggerIndex.build(tuple(t for owner in owners for t in owner.trigger_list)))
    return _INDEXES[key][1]


def windowed_hits(index: TriggerIndex, text: str) -> "Hits | _WindowHits":
    """Hits for text: scanned a window at a time when that is sure to give the same answers,
    else (short texts, and lower-casing that depends on context) scanned whole."""
    words = getattr(index, "rules_by_word", None)
    # Lower-casing is one character to one, without context, except for İ (two characters)
    # and Σ (ς at the end of a word): texts holding either are scanned whole, as before.
    if len(text) <= 2 * _WINDOW or words is None or "\u0130" in text or "\u03a3" in text:
        return index.scan(text)
    return _WindowHits(index, text, max(map(len, words), default=0) + _CONTEXT)
