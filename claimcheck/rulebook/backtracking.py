"""Refuse rule patterns that can backtrack catastrophically, before they ever meet a text.

Python's regex engine backtracks: a pattern such as ``(a+)+$`` or ``(\\w+\\s?)*x`` takes time
exponential in the length of a text that almost matches, and one such rule in a user's file
would hang the tool on a long sentence. The check reads the pattern's syntax tree (the standard
library's parser) and flags the two shapes behind exponential blow-ups:

* a repeated group whose body can match the empty string (``(a*)*``);
* a repeated group whose body ends (or starts) with an unbounded repeat that can consume the
  characters the body starts (or ends) with, so one run of text can be split between
  iterations in exponentially many ways (``(a+)+``, ``(\\w+\\s?)+``).

Character sets are compared on a sample alphabet (letters, digits, punctuation, spaces and a
few non-ASCII characters): precise enough for rule patterns, and never slow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_SAMPLE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " \t\n.,;:!?'\"’“”()[]{}-–—_/&%$@#*+=<>|\\^`~éßİ€\u00a0\u2028"
)
_ALL = frozenset(_SAMPLE)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)} - {None}
_UNBOUNDED = 20  # a repeat allowing this many iterations or more counts as unbounded


def problem(pattern: str, flags: int = re.IGNORECASE) -> Optional[str]:
    """Why pattern could backtrack catastrophically, or None when it cannot (or cannot be parsed)."""
    try:
        tree = _p.parse(pattern, flags)
    except re.error:
        return None  # compiling reports the syntax error itself
    return _Checker(flags).sequence(list(tree))


@dataclass(frozen=True)
class _Shape:
    """What a piece of pattern can do: be empty, its first and last characters, its repeats."""

    nullable: bool
    first: frozenset[str]
    last: frozenset[str]
    head_repeats: frozenset[str]  # characters an unbounded repeat at its start can consume
    tail_repeats: frozenset[str]  # characters an unbounded repeat at its end can consume


_EMPTY = _Shape(True, frozenset(), frozenset(), frozenset(), frozenset())


class _Checker:
    def __init__(self, flags: int) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.found: Optional[str] = None

    def sequence(self, items: list) -> Optional[str]:
        self._seq(items)
        return self.found

    def _seq(self, items: list) -> _Shape:
        shape = _EMPTY
        for op, av in items:
            shape = _concat(shape, self._item(op, av))
        return shape

    def _item(self, op, av) -> _Shape:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
            chars = self._chars(op, av)
            return _Shape(False, chars, chars, frozenset(), frozenset())
        if op is _c.SUBPATTERN:
            return self._seq(list(av[-1]))
        if op is _c.ATOMIC_GROUP:
            inner = self._seq(list(av))
            # Nothing backtracks into an atomic group: its repeats cannot split a run.
            return _Shape(inner.nullable, inner.first, inner.last, frozenset(), frozenset())
        if op is _c.BRANCH:
            shapes = [self._seq(list(alt)) for alt in av[1]]
            return _Shape(
                any(s.nullable for s in shapes),
                frozenset().union(*(s.first for s in shapes)),
                frozenset().union(*(s.last for s in shapes)),
                frozenset().union(*(s.head_repeats for s in shapes)),
                frozenset().union(*(s.tail_repeats for s in shapes)),
            )
        if op in _REPEATS:
            return self._repeat(op, av)
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            self._seq(list(av[1]))  # look inside for nested problems; it matches no text itself
            return _EMPTY
        return _EMPTY  # AT (anchors), GROUPREF and the like: no characters consumed

    def _repeat(self, op, av) -> _Shape:
        low, high, body = av
        inner = self._seq(list(body))
        unbounded = high is _c.MAXREPEAT or high >= _UNBOUNDED
        possessive = op is getattr(_c, "POSSESSIVE_REPEAT", object())
        if unbounded and not possessive and self.found is None:
            if inner.nullable and inner.first:
                self.found = "a repeated group can match the empty string (as in (a*)*)"
            elif inner.tail_repeats & inner.first or inner.head_repeats & inner.last:
                self.found = (
                    "a repeated group ends or starts with a repeat that can take the characters it "
                    "starts or ends with, so a long run of text splits between iterations in "
                    "exponentially many ways (as in (a+)+ or (\\w+\\s?)+); make the inner repeat "
                    "possessive (*+, ++) or the group atomic (?>...)"
                )
        chars = inner.first | inner.last | inner.tail_repeats | inner.head_repeats
        consumed = _consumable(inner, chars) if unbounded and not possessive else frozenset()
        return _Shape(
            low == 0 or inner.nullable,
            inner.first,
            inner.last,
            consumed or inner.head_repeats,
            consumed or inner.tail_repeats,
        )

    def _chars(self, op, av) -> frozenset[str]:
        if op is _c.ANY:
            return _ALL - {"\n"}
        if op is _c.LITERAL:
            return self._fold({chr(av)})
        if op is _c.NOT_LITERAL:
            return _ALL - self._fold({chr(av)})
        return self._in(av)

    def _in(self, items) -> frozenset[str]:
        negate = False
        chars: set[str] = set()
        for op, av in items:
            if op is _c.NEGATE:
                negate = True
            elif op is _c.LITERAL:
                chars.add(chr(av))
            elif op is _c.RANGE:
                chars.update(ch for ch in _SAMPLE if av[0] <= ord(ch) <= av[1])
            elif op is _c.CATEGORY:
                chars.update(ch for ch in _SAMPLE if _in_category(av, ch))
            else:  # a charset we do not model: assume it can be anything
                chars.update(_SAMPLE)
        folded = self._fold(chars)
        return _ALL - folded if negate else folded

    def _fold(self, chars: set[str]) -> frozenset[str]:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(c for ch in chars for c in {ch, ch.lower(), ch.upper()} if c in _ALL or c == ch)


def _consumable(inner: _Shape, chars: frozenset[str]) -> frozenset[str]:
    # An unbounded repeat of the whole body consumes whatever its body can start or end with.
    return chars if inner.first else frozenset()


def _concat(a: _Shape, b: _Shape) -> _Shape:
    return _Shape(
        a.nullable and b.nullable,
        a.first | b.first if a.nullable else a.first,
        b.last | a.last if b.nullable else b.last,
        a.head_repeats | b.head_repeats if a.nullable else a.head_repeats,
        b.tail_repeats | a.tail_repeats if b.nullable else b.tail_repeats,
    )


_CATEGORIES = {
    "DIGIT": str.isdigit,
    "SPACE": str.isspace,
    "WORD": lambda ch: ch.isalnum() or ch == "_",
    "LINEBREAK": lambda ch: ch == "\n",
}


def _in_category(code, ch: str) -> bool:
    name = str(code).upper()
    for key, test in _CATEGORIES.items():
        if key in name:
            return test(ch) != ("NOT" in name)
    return True
