"""What loading the rules derives from them, kept between runs so start-up need not redo it.

Three things are kept, in the user's cache directory (``$CLAIMCHECK_CACHE_DIR``, else
``$XDG_CACHE_HOME/claimcheck``, else ``~/.cache/claimcheck``; set ``CLAIMCHECK_CACHE_DIR`` to an
empty string to keep nothing):

* the words each rule's pattern requires or starts with (see ``triggers.triggers_of``);
* which patterns this Python has compiled before, with their flags and groups. Such a pattern
  is known to be valid, so it is compiled only when first used (``LazyPattern``): a short text
  runs a few of the rules, and compiling all of them was most of start-up. A pattern not seen
  before is compiled at once, so a broken rule still fails at load time, naming file and line;
* the regex engine code this Python generated for those patterns, so that compiling one at
  first use is handing that code back to the engine (which validates it), not generating it.

Entries are found by hashes of exactly what they were derived from (the patterns, the Python
version and, for the words, the code that finds them) and are checksummed; a missing, stale,
unreadable or broken entry only means the work is done again, and a directory that cannot be
written is skipped. The cache never changes a result: a lazily compiled pattern is compiled
from the same string and flags as before, or from the very code that compiling them gave.
"""
from __future__ import annotations

import os
import re
import sys
from types import MappingProxyType
from typing import Any, Optional

from claimcheck.files import write_atomically

_FORMAT = 1
_KEEP_FILES = 16  # cache files of one kind kept (rule files change; old entries go)
_KEEP_PATTERNS = 4096  # patterns remembered as compiled


def cache_dir() -> Optional[str]:
    """Where derived rule data is kept between runs, or None when there is no such place."""
    chosen = os.environ.get("CLAIMCHECK_CACHE_DIR")
    if chosen is not None:
        return chosen if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = os.path.join(os.path.expanduser("~"), ".cache")
        except (OSError, RuntimeError, KeyError):  # pragma: no cover - no home directory at all
            return None
        if not os.path.isabs(base):
            return None
    return os.path.join(base, "claimcheck")


def digest(*parts: Any) -> str:
    """A sha256 hex digest of JSON-able parts."""
    import hashlib
    import json

    text = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _path(prefix: str, key: str, suffix: str = ".json") -> Optional[str]:
    directory = cache_dir()
    return os.path.join(directory, f"{prefix}{key[:40]}{suffix}") if directory else None


def load(prefix: str, key: str) -> Any:
    """The data stored under (prefix, key), or None when there is none that can be trusted."""
    import json

    path = _path(prefix, key)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
        if (
            not isinstance(entry, dict)
            or entry.get("format") != _FORMAT
            or entry.get("key") != key
            or "data" not in entry
            or entry.get("check") != digest(entry["data"])
        ):
            return None
        return entry["data"]
    except (OSError, ValueError, TypeError, RecursionError):
        return None  # a broken entry is a miss, never an error


def store(prefix: str, key: str, data: Any) -> None:
    """Keep data under (prefix, key), replacing what was there; never fails."""
    import json

    path = _path(prefix, key)
    if path is None:
        return
    try:
        entry = {"format": _FORMAT, "key": key, "check": digest(data), "data": data}
        payload = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    except (ValueError, TypeError):
        return
    _write(path, prefix, payload)


def _write(path: str, prefix: str, payload: bytes) -> None:
    """Replace the file at path with payload, then prune its kind; never fails."""
    if write_atomically(path, payload, mode=0o700):
        try:
            _prune(os.path.dirname(path), prefix)
        except OSError:
            pass


def _prune(directory: str, prefix: str) -> None:
    entries = []
    with os.scandir(directory) as found:
        for item in found:
            if item.name.startswith(prefix) and item.name.endswith((".json", ".bin")):
                try:
                    entries.append((item.stat().st_mtime, item.path))
                except OSError:
                    continue
    for _, stale in sorted(entries, reverse=True)[_KEEP_FILES:]:
        try:
            os.unlink(stale)
        except OSError:
            pass


# -- patterns compiled before ---------------------------------------------------------------

_PATTERNS_PREFIX = "patterns-"
_known: Optional[dict[str, list]] = None  # pattern digest -> [flags, groups, groupindex]
_learned: dict[str, list] = {}  # compiled in this process, not yet stored
# Every pattern this process asked for: the engine code kept is that of these alone, so code
# for rules since edited or upgraded away is dropped at the next save instead of being read by
# every later run (one session's rule edits had grown the file to 5 MB, 40 ms of each start).
_requested: set[str] = set()


def _patterns_key() -> str:
    # What compiling depends on: the Python (and so its re module) and this layout.
    # "with-code": patterns remembered before their engine code was kept are learned afresh;
    # "asked-for": a code file grown with dropped patterns' code is left behind, not read.
    # The byte order too: kept engine code is stored as this machine's integers.
    return digest("patterns", "with-code", "asked-for", _FORMAT, sys.version, sys.implementation.name, sys.byteorder)


def _pattern_digest(pattern: str, flags: int) -> str:
    import hashlib

    return hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _known_patterns() -> dict[str, list]:
    global _known
    if _known is None:
        data = load(_PATTERNS_PREFIX, _patterns_key())
        _known = {k: v for k, v in data.items() if _valid_facts(v)} if isinstance(data, dict) else {}
    return _known


def _valid_facts(facts: Any) -> bool:
    return (
        isinstance(facts, list)
        and len(facts) == 3
        and isinstance(facts[0], int)
        and isinstance(facts[1], int)
        and isinstance(facts[2], dict)
        and all(isinstance(k, str) and isinstance(v, int) for k, v in facts[2].items())
    )


def compile_pattern(pattern: str, flags: int = 0) -> "re.Pattern | LazyPattern":
    """``re.compile(pattern, flags)``: at once (raising re.error) for a pattern not compiled
    before, else a LazyPattern that compiles on first use."""
    key = _pattern_digest(pattern, flags)
    _requested.add(key)
    facts = _known_patterns().get(key)
    if facts is not None:
        return LazyPattern(pattern, flags, facts)
    compiled = _compile_keeping_code(pattern, flags, key)
    _learned[key] = [compiled.flags, compiled.groups, dict(compiled.groupindex)]
    return compiled


def save_patterns() -> None:
    """Remember the patterns compiled so far in this process (merged with what is stored)."""
    learned = dict(_learned)  # a copy: another thread may be loading rules too
    if cache_dir() is None:
        _learned.clear()
        _learned_codes.clear()
        return
    if not learned:
        return
    key = _patterns_key()
    stored = load(_PATTERNS_PREFIX, key)
    merged = {k: v for k, v in stored.items() if _valid_facts(v)} if isinstance(stored, dict) else {}
    for name, facts in learned.items():
        merged.pop(name, None)
        merged[name] = facts  # the newest last: the oldest are dropped first
    if len(merged) > _KEEP_PATTERNS:
        merged = dict(list(merged.items())[-_KEEP_PATTERNS:])
    store(_PATTERNS_PREFIX, key, merged)
    _known_patterns().update(learned)
    for name in learned:
        _learned.pop(name, None)
    _save_codes(key, set(_requested))


# -- the engine code of patterns compiled before ---------------------------------------------
# Compiling is parsing the pattern and generating the regex engine's code, both in pure Python,
# and was most of what a cold run spent before reading the text. The code this Python generated
# for a pattern is kept (a checksummed file: a JSON index, then the code as unsigned integers of
# this machine) and handed back to the engine, which validates it; it is read only from a cache
# directory that is the user's own and writable by nobody else. A pattern whose code is
# missing is compiled as usual.

_CODE_PREFIX = "code-"
_codes: Optional[dict[str, tuple]] = None  # pattern digest -> (flags, groups, groupindex, indexgroup, code)
_learned_codes: dict[str, tuple] = {}


def _compile_keeping_code(pattern: str, flags: int, key: str) -> re.Pattern:
    """``re.compile(pattern, flags)`` (raising re.error alike), keeping the code it generates."""
    try:
        from re import _compiler, _parser

        flags = int(flags)
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        made = (int(flags | parsed.state.flags), parsed.state.groups - 1, groupindex, tuple(indexgroup), [int(op) for op in code])
        compiled = _from_code(pattern, made)
    except re.error:
        raise
    except Exception:  # another Python's internals: compile as everyone does
        return re.compile(pattern, flags)
    _learned_codes[key] = made
    return compiled


def _from_code(pattern: str, made: tuple) -> re.Pattern:
    """The engine's pattern object from kept code: (flags, groups, groupindex, indexgroup, code)."""
    import _sre

    flags, groups, groupindex, indexgroup, code = made
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def _compile_from_code(pattern: str, flags: int) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the code kept for it when there is any."""
    global _codes
    key = _pattern_digest(pattern, flags)
    made = _learned_codes.get(key)
    if made is None:
        if _codes is None:
            _codes = _load_codes()
        made = _codes.get(key)
    if made is not None:
        try:
            compiled = _from_code(pattern, made)
            if compiled.flags == made[0] and compiled.groups == made[1]:
                return compiled
        except Exception:  # code another build would not accept: compile it instead
            pass
    compiled = _compile_keeping_code(pattern, flags, key)
    _keep_codes_at_exit()  # its code was missing or refused: keep it for the next run
    return compiled


_keeping_at_exit = False


def _keep_codes_at_exit() -> None:
    global _keeping_at_exit
    if not _keeping_at_exit:
        import atexit

        _keeping_at_exit = True
        atexit.register(keep_learned_codes)


def keep_learned_codes() -> None:
    """Store the engine code of patterns compiled at first use in this process; never fails."""
    if cache_dir() is None:
        _learned_codes.clear()
    elif _learned_codes:
        _save_codes(_patterns_key(), set(_requested) | set(dict(_learned_codes)))


def _load_codes() -> dict[str, tuple]:
    import array
    import hashlib
    import json

    path = _path(_CODE_PREFIX, _patterns_key(), ".bin")
    if path is None or not _private(os.path.dirname(path)):
        return {}
    try:
        with open(path, "rb") as handle:
            check, header, body = handle.read(65), handle.readline(), handle.read()
        if check != hashlib.sha256(header + body).hexdigest().encode("ascii") + b"\n":
            return {}
        index = json.loads(header)
        code = array.array("I")
        code.frombytes(body)
        kept = {}
        for name, (flags, groups, groupindex, indexgroup, start, length) in index.items():
            made = (flags, groups, groupindex, tuple(indexgroup), code[start : start + length].tolist())
            if _valid_code(made) and len(made[4]) == length:
                kept[name] = made
        return kept
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # (a wrong shape of entry unpacks with ValueError or TypeError)


def _private(directory: str) -> bool:
    """True when directory is the user's own and nobody else can write to it: engine code is
    only taken from such a place (as .pyc files are from the user's own folders)."""
    try:
        info = os.stat(directory)
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True  # no POSIX ownership to check
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _valid_code(made: Any) -> bool:
    return (
        isinstance(made, tuple)
        and len(made) == 5
        and isinstance(made[0], int)
        and isinstance(made[1], int)
        and isinstance(made[2], dict)
        and isinstance(made[3], tuple)
        and isinstance(made[4], list)  # its items are the engine's to check: it validates code
    )


def _save_codes(key: str, wanted: set[str]) -> None:
    """Keep the code of the patterns in wanted (those this process asked for): what it
    generated, and what was kept for them before; code for any other pattern is dropped."""
    global _codes
    import array
    import hashlib
    import json

    learned = dict(_learned_codes)  # a copy: another thread may be compiling patterns
    for name in learned:
        _learned_codes.pop(name, None)  # kept below, or no longer wanted: either way, let go
    fresh = {name: made for name, made in learned.items() if name in wanted}
    if not fresh:
        return
    kept = _load_codes() if _codes is None else _codes
    merged = {name: made for name, made in kept.items() if name in wanted}
    merged.update(fresh)
    _codes = merged
    path = _path(_CODE_PREFIX, key, ".bin")
    if path is None:
        return
    index, code = {}, array.array("I")
    try:
        for name, (flags, groups, groupindex, indexgroup, ops) in merged.items():
            index[name] = [flags, groups, groupindex, list(indexgroup), len(code), len(ops)]
            code.extend(ops)
        header = json.dumps(index, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"
    except (OverflowError, TypeError, ValueError):
        return
    body = code.tobytes()
    _write(path, _CODE_PREFIX, hashlib.sha256(header + body).hexdigest().encode("ascii") + b"\n" + header + body)


_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class LazyPattern:
    """A regular expression known to compile, compiled the first time it is used.

    It answers like the ``re.Pattern`` it stands for: ``pattern``, ``flags``, ``groups`` and
    ``groupindex`` without compiling, everything else after. Once compiled, its matching
    methods are the compiled pattern's own. Pickled or copied, it becomes that ``re.Pattern``.
    """

    def __init__(self, pattern: str, flags: int, facts: list) -> None:
        self.pattern = pattern
        self.flags = facts[0]
        self.groups = facts[1]
        self.groupindex = MappingProxyType(dict(facts[2]))
        self._given_flags = flags

    def compiled(self) -> re.Pattern:
        """The compiled pattern (compiled now if it was not yet)."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = _compile_from_code(self.pattern, self._given_flags)
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
