"""Reading one rule file: TOML, the lines its tables and ids stand on, keys and their types.

Every kind of rule file goes through here, so every kind refuses a key it does not know and a
value of the wrong type the same way: ``file:line: ...``, never a traceback later.
"""
from __future__ import annotations

import re
import stat
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Optional

from claimcheck.errors import RuleError
from claimcheck.rulebook.patterns import compile_pattern

# {NAME} in a pattern stands for the fragment NAME; regex quantifiers like {2,3} never clash
# because fragment names are upper-case words.
_FRAGMENT_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_FRAGMENT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_TOML_LINE = re.compile(r"at line (\d+)")
_ID_LINE = re.compile(r"""\s*id\s*=\s*(["'])(.*?)\1""")  # an entry's id, for its line number
_HEADER = re.compile(r"""\s*\[(\[?)\s*([\w.-]+)\s*\]""")  # a [table] or [[array]] header

# Limits on a user's rule file, far above anything shipped (the largest shipped file is 26 kB,
# its longest expanded pattern 6,360 characters, nested 11 groups deep), so that a hostile
# file fails at once instead of exhausting memory, the stack or the clock.
MAX_FILE_BYTES = 2_000_000
MAX_PATTERN_CHARS = 100_000
MAX_PATTERN_DEPTH = 100
MAX_TOML_DEPTH = 100

# The top-level keys each kind of file may hold, besides "kind" and "description".
_TOP_KEYS = {
    "cues": frozenset({"fragments", "cue"}),
    "kinds": frozenset({"fragments", "kind_rule"}),
    "joints": frozenset({"fragments", "joints", "example"}),
    "segmentation": frozenset(
        {"abbreviations", "time_rule", "starters", "glued", "collocations", "attribution", "example"}
    ),
    "worth": frozenset({"fragments", "worth", "signal", "combo"}),
}


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The folder of the rule files shipped with claimcheck (resolved).

    Installed, it is the package ``claimcheck.rules``; in a checkout that was never installed,
    the ``rules/`` folder beside the package."""
    try:
        return Path(str(resources.files("claimcheck.rules"))).resolve()
    except ModuleNotFoundError:
        return (Path(__file__).resolve().parents[2] / "rules").resolve()


def read_toml(path: Path) -> tuple[dict, list[str]]:
    """Parse one TOML file; syntax errors become RuleError with file:line."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a named pipe would block the read forever
            raise RuleError(f"{path}: not a regular file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise RuleError(f"{path}:1: rule file too large: more than {MAX_FILE_BYTES:,} bytes")
    return parse_toml(raw, str(path))


def parse_toml(raw: bytes, where: str) -> tuple[dict, list[str]]:
    """Parse a rule file's bytes; errors become RuleError naming where and the line."""
    try:
        text = raw.decode("utf-8")
        text = text[1:] if text.startswith("\ufeff") else text  # editors on Windows write a BOM
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise RuleError(f"{where}:1: rule file is not UTF-8 text") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        line = _deep_line(text)
        raise RuleError(f"{where}:{line}: invalid TOML: arrays or inline tables nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = found.group(1) if found else "1"
        raise RuleError(f"{where}:{line}: invalid TOML: {str(exc).split(' (at line')[0]}") from None
    return data, text.splitlines()


def _deep_line(text: str) -> int:
    # The line where brackets first nest MAX_TOML_DEPTH deep (brackets in strings count too:
    # it only names a line for a file the parser already gave up on).
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > MAX_TOML_DEPTH:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return 1


class RuleFile:
    """One parsed rule file: its data, its kind, and the lines its tables and ids stand on."""

    def __init__(self, path: Path, data: dict, lines: list[str]) -> None:
        self.path, self.data, self.lines = path, data, lines
        self.shipped = path.resolve().parent == shipped_rules_dir()
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in _TOP_KEYS:
            raise RuleError(f"{path}:1: 'kind' must be one of {sorted(_TOP_KEYS)}, not {kind!r}")
        self.kind = kind
        self.headers: dict[str, list[int]] = {}  # table name -> the lines of its [name] / [[name]]
        self.ids: dict[str, list[int]] = {}  # id -> the lines of its `id = "..."`
        for number, text in enumerate(lines, 1):
            head = text.lstrip()[:1]
            if head == "[":
                found = _HEADER.match(text)
                if found:
                    self.headers.setdefault(found.group(2), []).append(number)
            elif head == "i":
                found = _ID_LINE.match(text)
                if found:
                    self.ids.setdefault(found.group(2), []).append(number)
        allowed = _TOP_KEYS[kind] | {"kind", "description"}
        for key, value in data.items():
            if key not in allowed:
                raise RuleError(f"{path}:{self.key_line(key)}: unknown key {key!r} in a {kind!r} file")
        if not isinstance(data.get("description", ""), str):
            raise RuleError(f"{path}:{self.key_line('description')}: 'description' must be a string")

    def key_line(self, key: str, start: int = 1) -> int:
        """The line of ``key = ...`` or a ``[key]`` table at or after line start (start if none)."""
        if key in self.headers and any(n >= start for n in self.headers[key]):
            return next(n for n in self.headers[key] if n >= start)
        pattern = re.compile(rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[=.]""")
        return next((n for n in range(start, len(self.lines) + 1) if pattern.match(self.lines[n - 1])), start)

    def table(self, key: str) -> tuple[int, dict]:
        """The table at key (empty when absent) and its line; anything else is refused."""
        if key not in self.data:
            return 1, {}
        value = self.data[key]
        line = self.key_line(key)
        if not isinstance(value, dict):
            raise RuleError(f"{self.path}:{line}: {key!r} must be a table ([{key}])")
        return line, value

    def entries(self, table: str) -> Iterator[tuple[int, dict]]:
        """Each entry of the array of tables [[table]], with the line its header stands on."""
        value = self.data.get(table, [])
        starts = self.headers.get(table, [])
        if not isinstance(value, list):
            raise RuleError(f"{self.path}:{self.key_line(table)}: [[{table}]] must be an array of tables")
        for position, entry in enumerate(value, 1):
            line = starts[position - 1] if position <= len(starts) else self.key_line(table)
            if not isinstance(entry, dict):
                raise RuleError(f"{self.path}:{line}: entry {position} of [[{table}]] must be a table, not {entry!r}")
            yield line, entry

    def rules(self, table: str) -> Iterator[tuple[str, int, dict]]:
        """Each entry of [[table]] with its id and the line of that id."""
        for position, (header, entry) in enumerate(self.entries(table), 1):
            rule_id = entry.get("id")
            if not isinstance(rule_id, str) or not rule_id:
                raise RuleError(f"{self.path}:{header}: entry {position} of [[{table}]] has no id")
            line = next((n for n in self.ids.get(rule_id, ()) if n >= header), header)
            yield rule_id, line, entry


class Fields:
    """The keys of one table or entry, each read with its type checked; unknown keys refused."""

    def __init__(self, where: str, values: dict, allowed: frozenset[str]) -> None:
        unknown = set(values) - allowed
        if unknown:
            raise RuleError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        self.where, self.values = where, values

    @classmethod
    def of_table(cls, f: RuleFile, line: int, label: str, values: dict, allowed: frozenset[str]) -> "Fields":
        """The fields of a table starting at line; an unknown key is reported at its own line."""
        unknown = set(values) - allowed
        if unknown:
            key = sorted(unknown)[0]
            raise RuleError(f"{f.path}:{f.key_line(key, line)}: {label}: unknown key {key!r}")
        return cls(f"{f.path}:{line}: {label}", values, allowed)

    def text(self, key: str, default: Optional[str] = None) -> Optional[str]:
        """A string, or default when the key is absent."""
        value = self.values.get(key, default)
        if value is not None and not isinstance(value, str):
            raise RuleError(f"{self.where}: {key!r} must be a string, not {value!r}")
        return value

    def choice(self, key: str, options: Iterable[str], message: str) -> Optional[str]:
        """One of options, or None when absent and None is among them."""
        value = self.values.get(key)
        if not (value is None or isinstance(value, str)) or value not in options:
            raise RuleError(f"{self.where}: {message}, not {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of strings (a single string counts as a list of one)."""
        value = self.values.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{self.where}: {key!r} must be a list of strings")
        return tuple(value)

    def words(self, key: str) -> frozenset[str]:
        """A list of non-empty strings, lower-cased."""
        value = self.values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise RuleError(f"{self.where}: {key!r} must be a list of non-empty strings")
        return frozenset(w.lower() for w in value)

    def integer(self, key: str, default: int, least: int) -> int:
        """A whole number of at least least."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise RuleError(f"{self.where}: {key!r} must be a whole number of at least {least}, not {value!r}")
        return value

    def number(self, key: str, default: Optional[float] = None) -> float:
        """A number (integer or float); required when there is no default."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RuleError(f"{self.where}: {key!r} must be a number, not {value!r}")
        return float(value)


def fragments_of(f: RuleFile) -> Iterator[tuple[str, str]]:
    """(name, pattern) for each entry of the file's [fragments] table, checked."""
    line, table = f.table("fragments")
    for name, value in table.items():
        if not isinstance(value, str) or not _FRAGMENT_NAME.fullmatch(name):
            raise RuleError(f"{f.path}:{f.key_line(name, line)}: fragment names are UPPER_CASE and values strings")
        yield name, value


class Fragments(dict):
    """Fragment name -> its expanded pattern; ``trusted`` names those of the shipped files."""

    trusted: frozenset[str] = frozenset()


def resolve_fragments(fragments: dict[str, str], places: Optional[dict[str, str]] = None,
                      trusted: frozenset[str] = frozenset()) -> Fragments:
    """Each fragment with the fragments it names expanded; a loop, an unknown name or an
    expansion longer than MAX_PATTERN_CHARS fails (places: name -> "file:line", for messages)."""
    places = places or {}
    resolved = Fragments()
    resolved.trusted = trusted
    sizes: dict[str, int] = {}

    def size(name: str, stack: tuple[str, ...]) -> int:
        # Sizes first, so that fragments doubling each other are refused before any is built.
        if name in sizes:
            return sizes[name]
        where = places.get(name, "")
        where = f"{where}: " if where else ""
        if name in stack:
            raise RuleError(f"{where}fragment {name} refers to itself through {' -> '.join(stack)}")
        body = fragments[name]
        total = len(body) + sum(size(ref, stack + (name,)) + 4 - len(ref) - 2 for ref in _FRAGMENT_REF.findall(body))
        if total > MAX_PATTERN_CHARS:
            raise RuleError(f"{where}fragment {name} expands to more than "
                            f"{MAX_PATTERN_CHARS:,} characters")
        sizes[name] = total
        return total

    def resolve(name: str) -> str:
        if name not in resolved:
            resolved[name] = _FRAGMENT_REF.sub(lambda m: "(?:" + resolve(m.group(1)) + ")", fragments[name])
        return resolved[name]

    for name in fragments:
        missing = [ref for ref in _FRAGMENT_REF.findall(fragments[name]) if ref not in fragments]
        if missing:
            where = f"{places[name]}: " if name in places else ""
            raise RuleError(f"{where}fragment {name} uses undefined fragment {missing[0]}")
    for name in fragments:
        size(name, ())
    for name in fragments:
        resolve(name)
    return resolved


def compile_rule(f: RuleFile, where: str, field: str, source: str, fragments: dict[str, str]) -> re.Pattern:
    """The one place a rule's pattern is compiled: fragments expanded, a user's checked for hangs."""
    names = _FRAGMENT_REF.findall(source)
    for name in names:
        if name not in fragments:
            raise RuleError(f"{where}: {field} uses undefined fragment {{{name}}}")
    if len(source) + sum(len(fragments[name]) + 4 for name in names) > MAX_PATTERN_CHARS:
        raise RuleError(f"{where}: {field} pattern is longer than {MAX_PATTERN_CHARS:,} characters once its fragments are expanded")
    expanded = _FRAGMENT_REF.sub(lambda m: "(?:" + fragments[m.group(1)] + ")", source)
    if not f.shipped and _depth(expanded) > MAX_PATTERN_DEPTH:
        raise RuleError(f"{where}: {field} pattern nests groups more than {MAX_PATTERN_DEPTH} deep")
    try:
        compiled = compile_pattern(expanded, re.IGNORECASE)  # a shipped pattern compiles at first use
    except re.error as exc:
        raise RuleError(f"{where}: bad {field} pattern: {exc.msg}") from None
    except (RecursionError, OverflowError, MemoryError) as exc:
        raise RuleError(f"{where}: bad {field} pattern: too complex to compile ({type(exc).__name__})") from None
    if not f.shipped:
        # The shipped rules are checked by the test suite; a user's file is checked as it loads.
        # The shipped fragments count as checked too: each is read as an atomic group here.
        from claimcheck.rulebook.backtracking import problem

        # A shipped fragment counts as checked too: it stands as one atomic run of text here.
        trusted = getattr(fragments, "trusted", frozenset())
        checked = _FRAGMENT_REF.sub(
            lambda m: _opaque(fragments[m.group(1)]) if m.group(1) in trusted else "(?:" + fragments[m.group(1)] + ")",
            source,
        )
        why = problem(checked, re.IGNORECASE)
        if why:
            raise RuleError(f"{where}: {field} pattern could hang on long text: {why}")
        if field == "pattern" and compiled.search("") is not None:
            # It would fire on every sentence, and an empty match is no cue.
            raise RuleError(f"{where}: pattern matches the empty string")
    return compiled


@lru_cache(maxsize=256)
def _opaque(fragment: str) -> str:
    # What the backtracking check sees of a shipped fragment: an atomic run, empty if it can be.
    return "(?>.*)" if re.fullmatch(fragment, "", re.IGNORECASE) else "(?>.+)"


def _depth(pattern: str) -> int:
    # How deep groups nest, counting every unescaped "(" (one in a class too: it only errs high).
    depth = deepest = 0
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    return deepest


def examples_of(f: RuleFile, expected_key: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """("file:line", text, what it must come out as) for each [[example]] of f."""
    for line, entry in f.entries("example"):
        where = f"{f.path}:{line}"
        Fields(f"{where}: [[example]]", entry, frozenset({"text", expected_key, "note"}))
        text, expected = entry.get("text"), entry.get(expected_key)
        if not isinstance(text, str) or not isinstance(expected, list) or not all(isinstance(s, str) for s in expected):
            raise RuleError(f"{where}: each [[example]] needs 'text' (a string) and {expected_key!r} (a list of strings)")
        yield where, text, tuple(expected)


