"""A prefilter that tells which cue rules could match a sentence, without running them.

Each rule's pattern is read (with the standard library's regex parser) for the literal words
that every match must contain: ``\\b(?:may|might)\\b`` needs "may" or "might"; a pattern
like ``{SOURCE}\\s+(?:said|told)`` needs "said" or "told". One scan of a sentence with a trie
of all those words then names the rules worth running. Rules with no such words always run.
This keeps matching fast as rule files grow, and needs nothing from rule authors.

Most patterns also tell where a match must begin: ``\\b(?:may|might)\\b`` starts with "may" or
"might". For those the same scan gives the places worth trying, and a rule is tried only there
(``anchored_matches``) instead of at every character of the sentence; the matches are the same.

Reading every pattern took a noticeable part of start-up, so the words of the shipped rules'
patterns are generated data (``rules/pattern-data.json``, see patterns.py), and ``triggers_of``
reads only the patterns that data does not know (a user's ``--rules`` files).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from claimcheck.rulebook.patterns import known_words

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
    """``trigger_of(pattern, flags)`` for each (pattern, flags): from the generated data for a
    shipped pattern, read from the pattern itself for any other."""
    return [_shipped_trigger(pattern, flags) or trigger_of(pattern, flags) for pattern, flags in patterns]


def _shipped_trigger(pattern: str, flags: int) -> Optional[Trigger]:
    return _stored_trigger(known_words(pattern, flags))


def stored_form(trigger: Trigger) -> list[Optional[list[str]]]:
    """A Trigger as the generated data holds it: ``[words, leading]``, each sorted or null."""
    return [_listed(trigger.words), _listed(trigger.leading)]


def _listed(words: Optional[frozenset[str]]) -> Optional[list[str]]:
    return sorted(words) if words else None


def _stored_trigger(item: object) -> Optional[Trigger]:
    """The Trigger a data entry holds, or None if the entry is not one."""
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
