"""A prefilter that tells which cue rules could match a sentence, without running them.

Each rule's pattern is read (with the standard library's regex parser) for the literal words
that every match must contain: ``\\b(?:may|might)\\b`` needs "may" or "might"; a pattern
like ``{SOURCE}\\s+(?:said|told)`` needs "said" or "told". One scan of a sentence with a trie
of all those words then names the rules worth running. Rules with no such words always run.
This keeps matching fast as rule files grow, and needs nothing from rule authors.

Reading every pattern takes a noticeable part of start-up, so ``required_words_of`` keeps the
words it found between runs (see rulecache.py); the entry is found by a hash of the patterns, the
Python version and this file's own source.
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def required_words(pattern: str, flags: int = re.IGNORECASE) -> Optional[frozenset[str]]:
    """Lower-case strings one of which every match of pattern contains, or None if unknown."""
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return None
    found = _sequence(list(parsed))
    return frozenset(found) if found else None


def required_words_of(patterns: Sequence[tuple[str, int]]) -> list[Optional[frozenset[str]]]:
    """``required_words(pattern, flags)`` for each (pattern, flags), remembered between runs."""
    from . import rulecache

    key = _words_key(patterns) if rulecache.cache_dir() is not None else None
    stored = rulecache.load(_WORDS_PREFIX, key) if key is not None else None
    if isinstance(stored, list) and len(stored) == len(patterns):
        found = [_stored_words(item) for item in stored]
        if all(words is not False for words in found):
            return found  # type: ignore[return-value]
    computed = [required_words(pattern, flags) for pattern, flags in patterns]
    if key is not None:
        rulecache.store(_WORDS_PREFIX, key, [sorted(words) if words else None for words in computed])
    return computed


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

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av).lower())
            continue
        if run:
            consider({"".join(run)})
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


@dataclass(frozen=True)
class TriggerIndex:
    """Which rules (by position) may match a text, from one scan for their required words."""

    scanner: Optional[re.Pattern]
    rules_by_word: dict[str, frozenset[int]]  # a word found -> rules it (or a prefix) triggers
    always: frozenset[int]  # rules without required words

    @classmethod
    def build(cls, words_per_rule: Sequence[Optional[frozenset[str]]]) -> "TriggerIndex":
        """Index the required words of each rule (None: the rule always runs)."""
        owners: dict[str, set[int]] = {}
        always = set()
        for index, words in enumerate(words_per_rule):
            if not words:
                always.add(index)
                continue
            for word in words:
                owners.setdefault(word, set()).add(index)
        # The scanner reports the longest word at each position; the shorter words it starts
        # with are present too, so each word also triggers the rules of its prefixes.
        by_word = {
            word: frozenset().union(*(owners[word[:end]] for end in range(1, len(word) + 1) if word[:end] in owners))
            for word in owners
        }
        scanner = re.compile("(?=(" + _trie(owners) + "))") if owners else None
        return cls(scanner, by_word, frozenset(always))

    def candidates(self, text: str) -> list[int]:
        """Positions of the rules that may match text, in rule order."""
        found = set(self.always)
        if self.scanner is not None:
            for word in {m.group(1) for m in self.scanner.finditer(text.lower())}:
                found |= self.rules_by_word[word]
        return sorted(found)

    def scan(self, text: str) -> "Hits":
        """Scan a whole document once; Hits then answers for any span of it."""
        lowered = text.lower()
        if self.scanner is None or len(lowered) != len(text):
            # A few characters (İ) lower-case to two; offsets would shift, so ask per span.
            return Hits(self, text, (), (), exact=False)
        found = [(m.start(), m.group(1)) for m in self.scanner.finditer(lowered)]
        return Hits(self, text, tuple(p for p, _ in found), tuple(w for _, w in found), exact=True)


@dataclass(frozen=True)
class Hits:
    """The required words found in one document, by position."""

    index: TriggerIndex
    text: str
    positions: tuple[int, ...]
    words: tuple[str, ...]
    exact: bool  # False: positions are unusable, each span is scanned on its own

    def candidates(self, start: int, end: int) -> list[int]:
        """Positions of the rules that may match text[start:end], in rule order."""
        if not self.exact:
            return self.index.candidates(self.text[start:end])
        index = self.index
        positions = self.positions
        low = bisect_left(positions, start)
        found = set(index.always)
        by_word = index.rules_by_word
        for word in set(self.words[low : bisect_left(positions, end, low)]):
            found |= by_word[word]
        return sorted(found)


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
