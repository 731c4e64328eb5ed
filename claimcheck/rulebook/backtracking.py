"""Refuse rule patterns whose matching time can grow faster than linearly, before they meet a text.

Python's regex engine backtracks: a pattern that can match the same text in more than one way
makes it try every way before it gives up on a text that almost matches. Exponentially many
ways (``(a+)+$``, ``(a|a)*$``) hang the tool on one long sentence; polynomially many
(``.*a.*b.*c$``: n³ splits) hang it too. The check reads the pattern's syntax tree (the
standard library's parser) and refuses the shapes behind both:

* a repeated piece whose body can match the empty string (``(a*)*``);
* a repeated piece whose body holds alternatives that can match the same text (``(a|a)*``)
  or a lookahead that scans with a repeat (each iteration rescans the text);
* a repeated piece whose body begins or ends with a repeat that could loop on the same text
  as the body itself, so a run splits between iterations in many ways (``(a+)+``,
  ``(\\w+\\s?)+``, ``(a{1,19}){1,19}``);
* two repeats in sequence that can loop on the same text, with nothing between them that
  only one can take (``\\w+\\w+``, ``.*a.*``, ``\\w*x\\w*y``): a run splits between them in
  as many ways as it is long.

It errs on the side of refusing: a repeat is any quantifier allowing two or more iterations
(bounded ones too); only a possessive repeat (``\\w++``) or an atomic group (``(?>...)``), into
which the engine never backtracks, is exempt. Character sets are compared on a sample
alphabet (letters, digits, punctuation, spaces and a few non-ASCII characters): precise enough
for rule patterns, and never slow.
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
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_FIX = "; make the repeat possessive (*+, ++) or the group atomic (?>...)"

Chars = frozenset  # of sample characters


@dataclass(frozen=True)
class _Loop:
    """A repeat the engine can backtrack into: the characters it takes, and those each of its
    iterations must hold (one of each set), so two loops can be asked for a common run."""

    chars: Chars
    required: tuple[Chars, ...]
    unbounded: bool = True  # allows _UNBOUNDED iterations or more


@dataclass(frozen=True)
class _Shape:
    """What a piece of pattern can do, as far as backtracking goes."""

    nullable: bool  # can match the empty string
    first: Chars  # characters a non-empty match can start with
    chars: Chars  # every character it can take
    required: tuple[Chars, ...]  # every match holds a character of each of these sets
    head: frozenset[_Loop]  # loops that can take the start of a match
    tail: frozenset[_Loop]  # loops that can take the end of a match
    ambiguous: bool = False  # holds alternatives that can match the same text
    scans: bool = False  # holds a lookahead that loops over the text
    prefix: tuple[Chars, ...] = ()  # the sets of its first characters, while they are fixed
    fixed: bool = False  # is a fixed sequence of single characters (prefix is all of it)


_EMPTY = _Shape(True, Chars(), Chars(), (), frozenset(), frozenset(), fixed=True)
_UNBOUNDED = 20  # a repeat allowing this many iterations or more counts as unbounded
_PREFIX = 8  # how many leading characters alternatives are compared on


class _Found(Exception):
    """The first problem found, with why."""


def problem(pattern: str, flags: int = re.IGNORECASE) -> Optional[str]:
    """Why pattern could take time growing faster than the text, or None when it cannot (or
    cannot be parsed: compiling reports that)."""
    try:
        tree = _p.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None
    try:
        _Checker(flags).seq(list(tree))
    except _Found as found:
        return str(found)
    except RecursionError:
        return "the pattern nests too deeply to be checked"
    return None


def _common_run(a: _Loop, b: _Loop) -> bool:
    # Two loops can loop on one run when some run of shared characters meets both loops'
    # requirements: the run is then split between them in as many ways as it is long.
    shared = a.chars & b.chars
    return bool(shared) and all(r & shared for r in (*a.required, *b.required))


def _passes(shape: _Shape, loop: _Loop) -> bool:
    # Can the loop take what shape matches (so the loop is still open on its far side)?
    return shape.nullable or all(r & loop.chars for r in shape.required)


def _concat(a: _Shape, b: _Shape) -> _Shape:
    # Two bounded loops in a row split a run in a bounded number of ways, one bounded and
    # one not in as many as the bound: only two unbounded ones grow with the text.
    for left in a.tail:
        for right in b.head:
            if left.unbounded and right.unbounded and _common_run(left, right):
                raise _Found(
                    "two repeats in a row can take the same run of text, with nothing between them "
                    "that only one of them can take (as in \\w+\\w+ or .*a.*), so a long run splits "
                    "between them in many ways" + _FIX
                )
    return _Shape(
        a.nullable and b.nullable,
        a.first | b.first if a.nullable else a.first,
        a.chars | b.chars,
        a.required + b.required,
        a.head | frozenset(loop for loop in b.head if _passes(a, loop)),
        b.tail | frozenset(loop for loop in a.tail if _passes(b, loop)),
        a.ambiguous or b.ambiguous,
        a.scans or b.scans,
        (a.prefix + b.prefix)[:_PREFIX] if a.fixed else a.prefix,
        a.fixed and b.fixed,
    )


def _chars_shape(chars: Chars) -> _Shape:
    return _Shape(False, chars, chars, (chars,), frozenset(), frozenset(), prefix=(chars,), fixed=True)


class _Checker:
    def __init__(self, flags: int) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)

    def seq(self, items: list) -> _Shape:
        shape = _EMPTY
        for op, av in items:
            shape = _concat(shape, self._item(op, av))
        return shape

    def _item(self, op, av) -> _Shape:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
            return _chars_shape(self._chars(op, av))
        if op is _c.SUBPATTERN:
            return self.seq(list(av[-1]))
        if op is _ATOMIC:
            return _sealed(self.seq(list(av)))
        if op is _c.BRANCH:
            # The parser takes a prefix common to all alternatives out (a|ab -> a(?:|b)): an empty
            # alternative left beside others means one was a prefix of another.
            empty = len(av[1]) > 1 and any(not alt for alt in av[1])
            return self._branch([self.seq(list(alt)) for alt in av[1]], empty)
        if op is _c.GROUPREF_EXISTS:
            _, yes, no = av
            return self._branch([self.seq(list(yes)), self.seq(list(no)) if no else _EMPTY])
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            return self._repeat(*av)
        if op is _POSSESSIVE:
            low, _, body = av
            inner = self.seq(list(body))
            return _sealed(inner, nullable=low == 0 or inner.nullable)
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            inner = self.seq(list(av[1]))
            # It matches no text itself, but a loop inside it runs over the text each time.
            scans = bool(inner.head or inner.tail) or inner.scans
            return _Shape(True, Chars(), Chars(), (), frozenset(), frozenset(), False, scans, fixed=True)
        if op is _c.GROUPREF:
            # A backreference can match anything its group did: count it as any run at all.
            loop = _Loop(_ALL, ())
            return _Shape(True, _ALL, _ALL, (), frozenset({loop}), frozenset({loop}))
        return _EMPTY  # AT (anchors) and the like: no characters taken

    def _branch(self, shapes: list[_Shape], empty: bool = False) -> _Shape:
        ambiguous = empty or any(s.ambiguous for s in shapes) or sum(s.nullable for s in shapes) > 1
        for i, one in enumerate(shapes):
            ambiguous = ambiguous or any(_overlap(one, other) for other in shapes[i + 1:])
        common = frozenset().union(*(s.first for s in shapes))
        return _Shape(
            any(s.nullable for s in shapes),
            common,
            frozenset().union(*(s.chars for s in shapes)),
            () if any(s.nullable for s in shapes) else (common,),
            frozenset().union(*(s.head for s in shapes)),
            frozenset().union(*(s.tail for s in shapes)),
            ambiguous,
            any(s.scans for s in shapes),
        )

    def _repeat(self, low: int, high: int, body) -> _Shape:
        inner = self.seq(list(body))
        if high is _c.MAXREPEAT or high > 1:
            _check_iterations(inner)
        if high is _c.MAXREPEAT or high > max(low, 1):
            loop = _Loop(inner.chars, inner.required, high is _c.MAXREPEAT or high >= _UNBOUNDED)
            head, tail = inner.head | {loop}, inner.tail | {loop}
        else:
            head, tail = inner.head, inner.tail
        return _Shape(
            low == 0 or inner.nullable, inner.first, inner.chars, inner.required if low else (),
            head, tail, inner.ambiguous, inner.scans, inner.prefix if low else (),
        )

    def _chars(self, op, av) -> Chars:
        if op is _c.ANY:
            return _ALL - {"\n"}
        if op is _c.LITERAL:
            return self._fold({chr(av)})
        if op is _c.NOT_LITERAL:
            return _ALL - self._fold({chr(av)})
        return self._in(av)

    def _in(self, items) -> Chars:
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

    def _fold(self, chars: set[str]) -> Chars:
        if not self.ignore_case:
            return Chars(chars & _ALL) or Chars(chars)
        return Chars(c for ch in chars for c in {ch, ch.lower(), ch.upper()} if c in _ALL or c == ch)


def _overlap(a: _Shape, b: _Shape) -> bool:
    # Two alternatives are exclusive when, at some place among their fixed first characters,
    # no character fits both; else they may match the same text if they can start alike.
    if any(not (x & y) for x, y in zip(a.prefix, b.prefix)):
        return False
    if a.fixed and b.fixed and len(a.prefix) != len(b.prefix) and len(a.prefix) < _PREFIX > len(b.prefix):
        # Words of different lengths (de|del): they match different texts; only what follows
        # could make them meet, and the parser already splits a|ab into a(?:|b), refused above.
        return False
    return bool(a.first & b.first)


def _check_iterations(inner: _Shape) -> None:
    # The body of a repeat allowing two or more iterations, which the engine backtracks into.
    if inner.nullable and inner.chars:
        raise _Found("a repeated group can match the empty string (as in (a*)*)" + _FIX)
    if inner.ambiguous:
        raise _Found(
            "a repeated group holds alternatives that can match the same text (as in (a|a)* or "
            "(a|ab)*), so the engine tries exponentially many ways; make them exclusive" + _FIX
        )
    if inner.scans:
        raise _Found("a repeated group holds a lookahead that scans with a repeat, rescanning the text each time" + _FIX)
    for left in inner.tail:
        for right in inner.head:
            if _common_run(left, right):
                raise _Found(
                    "a repeated group starts or ends with a repeat that can take the same run as the "
                    "group itself, so a long run splits between iterations in exponentially many ways "
                    "(as in (a+)+, (\\w+\\s?)+ or (a{1,9}){1,9})" + _FIX
                )


def _sealed(inner: _Shape, nullable: Optional[bool] = None) -> _Shape:
    # Nothing backtracks into an atomic group or a possessive repeat: its loops split no run.
    return _Shape(
        inner.nullable if nullable is None else nullable, inner.first, inner.chars,
        inner.required if nullable is None or not nullable else (), frozenset(), frozenset(), False, inner.scans,
        inner.prefix if nullable is None or not nullable else (),
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
