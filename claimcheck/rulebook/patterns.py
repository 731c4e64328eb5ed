"""Rule patterns, compiled when first used if they are shipped ones, and what is known of them.

Compiling every pattern of every rule file was a large part of start-up, and a short text runs
only a few of them. The shipped rule files' patterns are known to compile (the test suite
compiles each one), so ``compile_pattern`` hands back a ``LazyPattern`` for them, compiled by
``re.compile`` the first time it is used. Any other pattern (a user's ``--rules`` file) is
compiled at once, so a broken rule still fails at load time, naming file and line.

What a ``LazyPattern`` answers without compiling (its final flags, groups and group names),
and the trigger words of each shipped pattern (see ``words.triggers_of``), come from
``rules/pattern-data.json``: data generated from the shipped rule files by
``python -m claimcheck.rulebook.generate --write`` and checked against them by the test suite
(``tests/test_startup.py`` fails, naming that command, when the file is stale). A stale or
missing file only means more is done at load time: a pattern it does not know is compiled and
read as any user's pattern is; nothing is written anywhere at run time.
"""
from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, NamedTuple, Optional

DATA_FILE = "pattern-data.json"
DATA_FORMAT = 1

# The generator's record of what loading the shipped rules compiles: a list per active
# ``recording()``, empty (and so free to check) at any other time.
_recordings: list[list[tuple[str, int]]] = []


class Facts(NamedTuple):
    """What ``re.compile(pattern, flags)`` gives that a LazyPattern answers without compiling."""

    flags: int
    groups: int
    groupindex: dict[str, int]


def pattern_key(pattern: str, flags: int) -> str:
    """The data file's key for (pattern, flags): a hash of both."""
    text = f"{int(flags)}\0{pattern}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:32]


def data_path() -> Path:
    """Where the generated pattern data of the shipped rules is (beside the rule files)."""
    try:
        return Path(str(resources.files("claimcheck.rules"))) / DATA_FILE
    except ModuleNotFoundError:  # a checkout that was never installed
        return Path(__file__).resolve().parents[2] / "rules" / DATA_FILE


@lru_cache(maxsize=1)
def shipped_data() -> dict[str, dict]:
    """The generated data, as ``{"patterns": {key: [flags, groups, groupindex]},
    "words": {key: [words, leading]}}``; empty sections when the file is missing or broken."""
    try:
        with open(data_path(), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
        return {"patterns": {}, "words": {}}
    patterns, words = data.get("patterns"), data.get("words")
    return {
        "patterns": patterns if isinstance(patterns, dict) else {},
        "words": words if isinstance(words, dict) else {},
    }


def known_facts(pattern: str, flags: int) -> Optional[Facts]:
    """What compiling a shipped (pattern, flags) gives, or None for a pattern not shipped."""
    item = shipped_data()["patterns"].get(pattern_key(pattern, flags))
    if not (isinstance(item, list) and len(item) == 3):
        return None
    final, groups, groupindex = item
    if not (isinstance(final, int) and isinstance(groups, int) and isinstance(groupindex, dict)):
        return None
    if not all(isinstance(name, str) and isinstance(number, int) for name, number in groupindex.items()):
        return None
    return Facts(final, groups, groupindex)


def known_words(pattern: str, flags: int) -> Any:
    """The stored ``[words, leading]`` of a shipped (pattern, flags), unchecked; None if none."""
    return shipped_data()["words"].get(pattern_key(pattern, flags))


def compile_pattern(pattern: str, flags: int = 0) -> "re.Pattern | LazyPattern":
    """``re.compile(pattern, flags)``: a LazyPattern for a shipped pattern, else compiled at
    once (raising re.error for a broken one)."""
    for recording in _recordings:
        recording.append((pattern, int(flags)))
    facts = known_facts(pattern, flags)
    if facts is not None:
        return LazyPattern(pattern, flags, facts)
    return re.compile(pattern, flags)


@contextmanager
def recording() -> Iterator[list[tuple[str, int]]]:
    """Collect the (pattern, flags) of every ``compile_pattern`` call made inside the block."""
    calls: list[tuple[str, int]] = []
    _recordings.append(calls)
    try:
        yield calls
    finally:
        _recordings.remove(calls)


_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class LazyPattern:
    """A regular expression known to compile, compiled the first time it is used.

    It answers like the ``re.Pattern`` it stands for: ``pattern``, ``flags``, ``groups`` and
    ``groupindex`` without compiling, everything else after. Once compiled, its matching
    methods are the compiled pattern's own. Pickled or copied, it becomes that ``re.Pattern``.
    """

    def __init__(self, pattern: str, flags: int, facts: Facts) -> None:
        self.pattern = pattern
        self.flags = facts.flags
        self.groups = facts.groups
        self.groupindex = MappingProxyType(dict(facts.groupindex))
        self._given_flags = flags

    def compiled(self) -> re.Pattern:
        """The compiled pattern (compiled now if it was not yet)."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = re.compile(self.pattern, self._given_flags)
            for name in _METHODS:  # from now on, calls go straight to the compiled pattern
                self.__dict__[name] = getattr(compiled, name)
            self.__dict__["_compiled"] = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance lacks: the first call of search, match, ... (and
        # any other attribute) compiles; compiled() then puts those methods on the instance.
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPattern):
            other = other.compiled()
        if isinstance(other, re.Pattern):
            return self.compiled() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.compiled())

    def __repr__(self) -> str:
        return repr(self.compiled())

    def __reduce__(self) -> tuple:
        return re.compile, (self.pattern, self._given_flags)

    def __copy__(self) -> "LazyPattern":
        return self

    def __deepcopy__(self, memo: dict) -> "LazyPattern":
        return self
