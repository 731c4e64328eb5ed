"""Load the rule files in ``rules/`` (and the user's ``--rules``) into a compiled Rulebook.

Rules are data: lexicons and patterns live in TOML files with comments and examples; this
module only reads, checks and compiles them. A broken file fails here, naming file and line.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from claimcheck.errors import RuleError
from claimcheck.vocabulary import ATTRIBUTION_TYPES, CUE_KINDS, FLAGS, LEVELS, SENTENCE_KINDS
from claimcheck.rulebook.patterns import compile_pattern
from claimcheck.rulebook.words import Trigger, triggers_of

# {NAME} in a pattern stands for the fragment NAME; regex quantifiers like {2,3} never clash
# because fragment names are upper-case words.
_FRAGMENT_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_TOML_LINE = re.compile(r"at line (\d+)")
_ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']+)["']""")


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
    examples: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Rulebook:
    """Every rule in force: cue rules, sentence-kind rules and clause joints."""

    cues: tuple[CueRule, ...]
    kinds: tuple[KindRule, ...]
    joints: Joints
    files: tuple[str, ...]
    trigger_list: tuple[Optional[Trigger], ...]  # each cue rule's words (see triggers.py)


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The folder of the rule files shipped with claimcheck (resolved).

    Installed, it is the package ``claimcheck.rules``; in a checkout that was never installed,
    the ``rules/`` folder beside the package."""
    try:
        return Path(str(resources.files("claimcheck.rules"))).resolve()
    except ModuleNotFoundError:
        return (Path(__file__).resolve().parents[2] / "rules").resolve()


def default_rule_files() -> list[Path]:
    """The rule files shipped with claimcheck, in load order."""
    return sorted(p for p in shipped_rules_dir().iterdir() if p.name.endswith(".toml"))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus every *.toml in a named directory."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            out.append(path)
        else:
            raise RuleError(f"{path}: no such rule file or directory")
    return out


def read_toml(path: Path) -> tuple[dict, list[str]]:
    """Parse one TOML file; syntax errors become RuleError with file:line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from None
    return parse_toml(raw, str(path))


def parse_toml(raw: bytes, where: str) -> tuple[dict, list[str]]:
    """Parse a rule file's bytes; errors become RuleError naming where and the line."""
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise RuleError(f"{where}:1: rule file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = found.group(1) if found else "1"
        raise RuleError(f"{where}:{line}: invalid TOML: {str(exc).split(' (at line')[0]}") from None
    return data, text.splitlines()


@lru_cache(maxsize=8)
def load_rulebook(extra: tuple[str, ...] = ()) -> Rulebook:
    """The default rules plus the user's extra rule files or directories (cached)."""
    files = default_rule_files() + expand_paths(extra)
    return build_rulebook(files)


def build_rulebook(files: Iterable[Path]) -> Rulebook:
    """Read, check and compile the given rule files into a Rulebook."""
    parsed = []
    fragments: dict[str, str] = {}
    for path in files:
        data, lines = read_toml(path)
        kind = data.get("kind")
        if kind not in _LOADERS and kind not in _READ_ELSEWHERE:
            raise RuleError(f"{path}:1: 'kind' must be one of {sorted([*_LOADERS, *_READ_ELSEWHERE])}, not {kind!r}")
        for name, value in data.get("fragments", {}).items():
            if not isinstance(value, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
                raise RuleError(f"{path}:{_key_line(lines, name)}: fragment names are UPPER_CASE and values strings")
            fragments[name] = value
        parsed.append((path, data, lines))
    resolved = _resolve_fragments(fragments)
    cues: list[CueRule] = []
    kinds: list[KindRule] = []
    joints: Optional[Joints] = None
    for path, data, lines in parsed:
        kind = data["kind"]
        if kind == "cues":
            cues.extend(_load_cues(path, data, lines, resolved))
        elif kind == "kinds":
            kinds.extend(_load_kinds(path, data, lines, resolved))
        elif kind == "joints":
            joints = _load_joints(path, data, lines, resolved)  # a later file replaces the default
    if joints is None:
        raise RuleError("no rule file of kind 'joints' was found among the rules")
    _check_unique(cues, kinds)
    triggers = tuple(triggers_of([(rule.pattern.pattern, rule.pattern.flags) for rule in cues]))
    return Rulebook(tuple(cues), tuple(kinds), joints, tuple(str(p) for p, _, _ in parsed), triggers)


def _resolve_fragments(fragments: dict[str, str]) -> dict[str, str]:
    resolved: dict[str, str] = {}

    def resolve(name: str, stack: tuple[str, ...]) -> str:
        if name in resolved:
            return resolved[name]
        if name in stack:
            raise RuleError(f"fragment {name} refers to itself through {' -> '.join(stack)}")
        body = _FRAGMENT_REF.sub(lambda m: "(?:" + resolve(m.group(1), stack + (name,)) + ")", fragments[name])
        resolved[name] = body
        return body

    for name in fragments:
        missing = [ref for ref in _FRAGMENT_REF.findall(fragments[name]) if ref not in fragments]
        if missing:
            raise RuleError(f"fragment {name} uses undefined fragment {missing[0]}")
        resolve(name, ())
    return resolved


def _compile(path: Path, line: int, rule_id: str, field: str, source: str, fragments: dict[str, str]) -> re.Pattern:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise RuleError(f"{path}:{line}: rule {rule_id!r}: {field} uses undefined fragment {{{name}}}")
        return "(?:" + fragments[name] + ")"

    expanded = _FRAGMENT_REF.sub(sub, source)
    try:
        compiled = compile_pattern(expanded, re.IGNORECASE)  # compiled at first use if it was before
    except re.error as exc:
        raise RuleError(f"{path}:{line}: rule {rule_id!r}: bad {field} pattern: {exc.msg}") from None
    if not _shipped(path):
        # The shipped rules are checked by the test suite; a user's file is checked as it loads.
        from claimcheck.rulebook.backtracking import problem

        why = problem(expanded, re.IGNORECASE)
        if why:
            raise RuleError(f"{path}:{line}: rule {rule_id!r}: {field} pattern could hang on long text: {why}")
    return compiled


def _shipped(path: Path) -> bool:
    return path.resolve().parent == shipped_rules_dir()


def _key_line(lines: list[str], needle: str) -> int:
    for number, text in enumerate(lines, 1):
        if needle in text:
            return number
    return 1


def rule_lines(lines: list[str]) -> dict[str, int]:
    """The first line of each ``id = "..."`` in a rule file, by id."""
    found: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        m = _ID_LINE.match(text)
        if m:
            found.setdefault(m.group(1), number)
    return found


def _strings(path: Path, line: int, rule_id: str, entry: dict, key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{path}:{line}: rule {rule_id!r}: {key!r} must be a list of strings")
    return tuple(value)


def _entries(path: Path, data: dict, table: str, lines: list[str]) -> Iterator[tuple[str, int, dict]]:
    ids = rule_lines(lines)
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise RuleError(f"{path}:{_key_line(lines, table)}: [[{table}]] must be an array of tables")
    for position, entry in enumerate(entries, 1):
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise RuleError(f"{path}:{_key_line(lines, f'[[{table}]]')}: entry {position} of [[{table}]] has no id")
        yield rule_id, ids.get(rule_id, 1), entry


_CUE_KEYS = frozenset(
    {"id", "kind", "level", "flag", "attribution", "priority", "strength", "pattern", "not_before", "not_after", "match",
     "no_match", "note"}
)


def _load_cues(path: Path, data: dict, lines: list[str], fragments: dict[str, str]) -> list[CueRule]:
    rules = []
    for rule_id, line, entry in _entries(path, data, "cue", lines):
        where = f"{path}:{line}: rule {rule_id!r}"
        unknown = set(entry) - _CUE_KEYS
        if unknown:
            raise RuleError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        kind = entry.get("kind")
        if kind not in CUE_KINDS:
            raise RuleError(f"{where}: kind must be one of {sorted(CUE_KINDS)}, not {kind!r}")
        level, flag = entry.get("level"), entry.get("flag")
        if level is not None and level not in LEVELS:
            raise RuleError(f"{where}: level must be one of {list(LEVELS)}, not {level!r}")
        if flag is not None and flag not in FLAGS:
            raise RuleError(f"{where}: flag must be one of {sorted(FLAGS)}, not {flag!r}")
        if level is None and flag is None:
            raise RuleError(f"{where}: a cue needs a 'level' or a 'flag'")
        attribution = entry.get("attribution")
        if attribution is not None and attribution not in ATTRIBUTION_TYPES:
            raise RuleError(f"{where}: attribution must be 'named' or 'anonymous', not {attribution!r}")
        if not isinstance(entry.get("pattern"), str):
            raise RuleError(f"{where}: a cue needs a 'pattern' string")
        pattern = _compile(path, line, rule_id, "pattern", entry["pattern"], fragments)
        if attribution and "source" not in pattern.groupindex:
            raise RuleError(f"{where}: an attribution cue needs a (?P<source>...) group")
        not_before = entry.get("not_before")
        not_after = entry.get("not_after")
        match = _strings(path, line, rule_id, entry, "match")
        no_match = _strings(path, line, rule_id, entry, "no_match")
        if not match:
            raise RuleError(f"{where}: every rule needs at least one 'match' example")
        rules.append(
            CueRule(
                id=rule_id,
                file=str(path),
                line=line,
                kind=kind,
                level=level,
                flag=flag,
                attribution=attribution,
                priority=int(entry.get("priority", 0)),
                strength=_strength(where, entry.get("strength", 0.0)),
                pattern=pattern,
                # not_before looks at the text just before the cue; anchor it to the cue.
                not_before=_compile(path, line, rule_id, "not_before", f"(?:{not_before})\\s*$", fragments)
                if not_before
                else None,
                not_after=_compile(path, line, rule_id, "not_after", not_after, fragments) if not_after else None,
                match=match,
                no_match=no_match,
            )
        )
    return rules


def _strength(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1.0 <= value <= 1.0:
        raise RuleError(f"{where}: strength must be a number from -1 (weakest) to 1 (strongest), not {value!r}")
    return float(value)


def _load_kinds(path: Path, data: dict, lines: list[str], fragments: dict[str, str]) -> list[KindRule]:
    rules = []
    for rule_id, line, entry in _entries(path, data, "kind_rule", lines):
        where = f"{path}:{line}: rule {rule_id!r}"
        kind = entry.get("sentence_kind")
        if kind not in SENTENCE_KINDS or kind == "statement":
            raise RuleError(f"{where}: sentence_kind must be one of {list(SENTENCE_KINDS[1:])}, not {kind!r}")
        if not isinstance(entry.get("pattern"), str):
            raise RuleError(f"{where}: a kind rule needs a 'pattern' string")
        match = _strings(path, line, rule_id, entry, "match")
        if not match:
            raise RuleError(f"{where}: every rule needs at least one 'match' example")
        rules.append(
            KindRule(
                id=rule_id,
                file=str(path),
                line=line,
                kind=kind,
                pattern=_compile(path, line, rule_id, "pattern", entry["pattern"], fragments),
                match=match,
                no_match=_strings(path, line, rule_id, entry, "no_match"),
            )
        )
    return rules


def _load_joints(path: Path, data: dict, lines: list[str], fragments: dict[str, str]) -> Joints:
    section = data.get("joints")
    if not isinstance(section, dict):
        raise RuleError(f"{path}:1: a joints file needs a [joints] table")
    line = _key_line(lines, "[joints]")

    def words(key: str) -> tuple[str, ...]:
        return tuple(w.lower() for w in _strings(path, line, "joints", section, key))

    examples = []
    for entry in data.get("example", []):
        text, claims = entry.get("text"), entry.get("claims")
        if not isinstance(text, str) or not isinstance(claims, list):
            raise RuleError(f"{path}:{_key_line(lines, '[[example]]')}: each [[example]] needs 'text' and 'claims'")
        examples.append((text, tuple(claims)))
    if not examples:
        raise RuleError(f"{path}:{line}: a joints file needs [[example]] entries")
    return Joints(
        leading=words("leading"),
        inner=words("inner"),
        bare=words("bare"),
        bare_pattern=re.compile(
            r"(?<=[^\s,])\s+(" + "|".join(re.escape(w) for w in sorted(words("bare"), key=len, reverse=True)) + r")\b"
            if words("bare")
            else "(?!)",
            re.IGNORECASE,
        ),
        clause_markers=_compile(path, line, "joints", "clause_markers", section.get("clause_markers", ""), fragments),
        embedders=_compile(path, line, "joints", "embedders", section.get("embedders", ""), fragments),
        no_split_before=_compile(
            path, line, "joints", "no_split_before", section.get("no_split_before", "(?!)"), fragments
        ),
        no_split_after=_compile(path, line, "joints", "no_split_after", section.get("no_split_after", "(?!)"), fragments),
        examples=tuple(examples),
    )


def _check_unique(cues: list[CueRule], kinds: list[KindRule]) -> None:
    seen: dict[str, str] = {}
    for rule in [*cues, *kinds]:
        if rule.ref in seen:
            raise RuleError(f"{rule.file}:{rule.line}: rule id {rule.id!r} is used twice in this file")
        seen[rule.ref] = rule.file


_LOADERS = {"cues": _load_cues, "kinds": _load_kinds, "joints": _load_joints}
# Rule files of these kinds are read by their own stage, not by the rulebook.
_READ_ELSEWHERE = {"segmentation": "claimcheck.analysis.segment", "worth": "claimcheck.analysis.worth"}


def example_problems(
    where: str, what: str, fires: Callable[[str], object], match: Iterable[str], no_match: Iterable[str]
) -> list[str]:
    """One 'file:line: ...' message per example that fires when it should not, or the reverse."""
    problems = [f"{where}: {what} should match: {text!r}" for text in match if not fires(text)]
    problems += [f"{where}: {what} should not match: {text!r}" for text in no_match if fires(text)]
    return problems
