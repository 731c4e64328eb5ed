"""A prefilter that tells which cue rules could match a sentence, without running them.

Each rule's pattern is read (with the standard library's regex parser) for the literal words
that every match must contain: ``\\b(?:may|might)\\b`` needs "may" or "might"; a pattern
like ``{SOURCE}\\s+(?:said|told)`` needs "said" or "told". One scan of a sentence with a trie
of all those words then names the rules worth running. Rules with no such words always run.
This keeps matching fast as rule files grow, and needs nothing from rule authors.

Most patterns also tell where a match must begin: ``\\b(?:may|might)\\b`` starts with "may" or
"might". For those the same scan gives the places worth trying, and a rule is tried only there
(``anchored_matches``) instead of at every character of the sentence; the matches are the same.

Reading every pattern takes a noticeable part of start-up, so ``triggers_of`` keeps the
words it found between runs (see rulecache.py); the entry is found by a hash of the patterns, the
Python version and this file's own source.
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Callable, Iterable, Iterator, Optional, Sequence

from .rulecache import compile_pattern

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

def _folding_table() -> dict[int, str]:
    # re's IGNORECASE holds a few characters equal that str.lower() keeps apart ("ı" and "i",
    # "ſ" and "s", "µ" and "μ"): each such class is mapped to its first member.
    try:
        from re._casefix import _EXTRA_CASES
    except ImportError:  # pragma: no cover - another Python: str.lower() alone
        return {}
    table = {}
    for code, others in _EXTRA_CASES.items():
        first = min(code, *others)
        for member in (code, *others):
            if member != first:
                table[member] = chr(first)
    return table


_FOLD = _folding_table()
_FOLDABLE = re.compile("[%s]" % "".join(map(re.escape, map(chr, _FOLD)))) if _FOLD else None


def fold(text: str) -> str:
    """text lower-cased as the index compares words: str.lower(), then re's own extra case
    equivalences, so that whatever a case-insensitive pattern matches, its words are found."""
    if "\u0130" in text:
        # İ: re lower-cases it to "i", str.lower() to "i" and a combining dot (two characters).
        text = text.replace("\u0130", "i")
    lowered = text.lower()
    return lowered.translate(_FOLD) if _FOLDABLE is not None and _FOLDABLE.search(lowered) else lowered


_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def required_words(pattern: str, flags: int = re.IGNORECASE) -> Optional[frozenset[str]]:
    """Lower-case strings one of which every match of pattern contains, or None if unknown."""
    return _read(pattern, flags, _sequence)


def leading_words(pattern: str, flags: int = re.IGNORECASE) -> Optional[frozenset[str]]:
    """Lower-case strings one of which every match of pattern starts with, or None if unknown."""
    return _read(pattern, flags, _leading)


def _read(pattern: str, flags: int, reader: Callable[[Sequence], Optional[set[str]]]) -> Optional[frozenset[str]]:
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return None
    found = reader(list(parsed))
    return frozenset(found) if found else None


@dataclass(frozen=True)
class Trigger:
    """What the index keeps of one rule: the words it needs, and those it starts with."""

    words: Optional[frozenset[str]]  # every match contains one (None: unknown, always run the rule)
    leading: Optional[frozenset[str]]  # every match starts with one (None: unknown, scan the text)


def trigger_of(pattern: str, flags: int = re.IGNORECASE) -> Trigger:
    """The Trigger of one pattern."""
    words = required_words(pattern, flags)
    return Trigger(words, leading_words(pattern, flags) if words else None)


def triggers_of(patterns: Sequence[tuple[str, int]]) -> list[Trigger]:
    """``trigger_of(pattern, flags)`` for each (pattern, flags), remembered between runs."""
    from . import rulecache

    key = _words_key(patterns) if rulecache.cache_dir() is not None else None
    stored = rulecache.load(_WORDS_PREFIX, key) if key is not None else None
    if isinstance(stored, list) and len(stored) == len(patterns):
        found = [_stored_trigger(item) for item in stored]
        if all(trigger is not None for trigger in found):
            return found  # type: ignore[return-value]
    computed = [trigger_of(pattern, flags) for pattern, flags in patterns]
    if key is not None:
        rulecache.store(_WORDS_PREFIX, key, [[_listed(t.words), _listed(t.leading)] for t in computed])
    return computed


def _listed(words: Optional[frozenset[str]]) -> Optional[list[str]]:
    return sorted(words) if words else None


_WORDS_PREFIX = "required-words-"


def _words_key(patterns: Sequence[tuple[str, int]]) -> Optional[str]:
    from . import rulecache

    try:
        with open(__file__, "rb") as handle:
            source = handle.read()  # a change to how the words are found retires every entry
    except OSError:
        return None
    import hashlib

    return rulecache.digest("required-words", hashlib.sha256(source).hexdigest(), sys.version, [list(p) for p in patterns])


def _stored_trigger(item: object) -> Optional[Trigger]:
    """The Trigger a cache entry holds, or None if the entry is not one."""
    if not (isinstance(item, list) and len(item) == 2):
        return None
    words, leading = (_stored_words(part) for part in item)
    if words is False or leading is False or (leading and not words):
        return None
    return Trigger(words, leading)  # type: ignore[arg-type]


def _stored_words(item: object) -> "Optional[frozenset[str]] | bool":
    if item is None:
        return None
    if isinstance(item, list) and item and all(isinstance(w, str) and w for w in item):
        return frozenset(item)
    return False


def _sequence(items: Sequence) -> Optional[set[str]]:
    # Every item of a sequence is in every match: any one required item's words will do, so
    # keep the most selective (longest shortest word, then fewest words).
    best: Optional[set[str]] = None
    run: list[str] = []

    def consider(words: Optional[set[str]]) -> None:
        nonlocal best
        if words and (best is None or _selectivity(words) > _selectivity(best)):
            best = words

    for position, (op, av) in enumerate(items):
        if op is _c.LITERAL:
            run.append(fold(chr(av)))
            continue
        if run:
            head = "".join(run)
            consider({head})
            # The parser takes a common start out of alternatives (den|y|ies|ied for deny,
            # denies, denied): the whole words are rarer than "den" alone.
            tails = _leading(items[position:])
            if tails:
                consider({head + tail for tail in tails})
            run = []
        if op is _c.SUBPATTERN:
            consider(_sequence(list(av[-1])))
        elif op is _c.ATOMIC_GROUP:
            consider(_sequence(list(av)))
        elif op is _c.BRANCH:
            alternatives = [_sequence(list(alt)) for alt in av[1]]
            if all(alternatives):
                consider(set().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            consider(_sequence(list(av[2])))
    if run:
        consider({"".join(run)})
    return best


def _selectivity(words: set[str]) -> tuple[int, int]:
    return (min(len(w) for w in words), -len(words))


_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _leading(items: Sequence) -> Optional[set[str]]:
    # The first item that consumes text decides; assertions before it (\b, lookarounds) take none.
    for position, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            run = []
            for next_op, next_av in items[position:]:
                if next_op is not _c.LITERAL:
                    break
                run.append(fold(chr(next_av)))
            head = "".join(run)
            # The parser takes a common start out of alternatives ("m" of may|might): put it back.
            tails = _leading(items[position + len(run) :])
            return {head + tail for tail in tails} if tails else {head}
        if op is _c.SUBPATTERN:
            return _leading(list(av[-1]))
        if op is _c.ATOMIC_GROUP:
            return _leading(list(av))
        if op is _c.BRANCH:
            alternatives = [_leading(list(alt)) for alt in av[1]]
            return set().union(*alternatives) if all(alternatives) else None
        if op in _REPEATS:
            first = _leading(list(av[2]))
            if av[0] >= 1:
                return first
            # Optional ("(?:very\s+)?likely"): a match starts with the repeated part or with
            # what follows it.
            rest = _leading(items[position + 1 :])
            return first | rest if first and rest else None
        return None
    return None


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
