"""Read rule files of every kind (cues, kinds, joints, segmentation, worth) into records.

One path for every kind (``reading.py`` checks each file's keys and types). What a user's file
of each kind does: cue and kind rules add to the shipped ones; a joints file replaces the
shipped joints; segmentation word lists and examples add to the shipped ones (a number there
overrides); worth signals and combos add, and the keys of a ``[worth]`` table override the
shipped values (see ``merging.py``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from claimcheck.errors import RuleError
from claimcheck.rulebook.merging import SegmentationParts, WorthParts
from claimcheck.rulebook.model import CueRule, Joints, KindRule, RuleFiles, Rulebook
from claimcheck.rulebook.reading import (
    Fields,
    RuleFile,
    compile_rule,
    examples_of,
    fragments_of,
    read_toml,
    resolve_fragments,
    shipped_rules_dir,
)
from claimcheck.rulebook.words import triggers_of
from claimcheck.vocabulary import ATTRIBUTION_TYPES, CUE_KINDS, FLAGS, LEVELS, SENTENCE_KINDS

_CUE_KEYS = frozenset(
    {"id", "kind", "level", "flag", "attribution", "priority", "strength", "pattern", "not_before", "not_after", "match",
     "no_match", "note"}
)
_KIND_RULE_KEYS = frozenset({"id", "sentence_kind", "pattern", "match", "no_match", "note"})
_JOINT_KEYS = frozenset(
    {"leading", "inner", "bare", "clause_markers", "embedders", "no_split_before", "no_split_after"}
)


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


@lru_cache(maxsize=8)
def load_rule_files(extra: tuple[str, ...] = ()) -> RuleFiles:
    """The shipped rules plus the user's extra rule files or directories, every kind (cached)."""
    return read_rule_files(default_rule_files() + expand_paths(extra))


def load_rulebook(extra: tuple[str, ...] = ()) -> Rulebook:
    """The cue stage's part (cue, kind and joint rules) of ``load_rule_files(extra)``."""
    return load_rule_files(extra).book


def build_rulebook(files: Iterable[Path]) -> Rulebook:
    """The cue stage's part (cue, kind and joint rules) of ``read_rule_files(files)``."""
    return read_rule_files(files).book


def read_rule_files(paths: Iterable[Path]) -> RuleFiles:
    """Read, check and compile the given rule files, of every kind, into their records."""
    files = [RuleFile(path, *read_toml(path)) for path in paths]
    fragments = _fragments(files)
    cues: list[CueRule] = []
    kinds: list[KindRule] = []
    joints: Optional[Joints] = None
    segmentation = SegmentationParts()
    worth = WorthParts()
    for f in files:
        if f.kind == "cues":
            cues.extend(_cue(f, rule_id, line, entry, fragments) for rule_id, line, entry in f.rules("cue"))
        elif f.kind == "kinds":
            kinds.extend(_kind_rule(f, rule_id, line, entry, fragments) for rule_id, line, entry in f.rules("kind_rule"))
        elif f.kind == "joints":
            joints = _joints(f, fragments)  # a later file replaces the default
        elif f.kind == "segmentation":
            segmentation.add(f)
        else:
            worth.add(f, fragments)
    if joints is None:
        raise RuleError("no rule file of kind 'joints' was found among the rules")
    _check_unique(cues, kinds)
    # The words each pattern needs, for the prefilter: the cue rules' and the signals' apart
    # (each list numbers its own rules); the shipped patterns' come from the package data.
    cue_triggers, signal_triggers = (
        tuple(triggers_of([(p.pattern, p.flags) for p in patterns]))
        for patterns in ([rule.pattern for rule in cues], [signal.pattern for signal in worth.signals])
    )
    book = Rulebook(tuple(cues), tuple(kinds), joints, tuple(str(f.path) for f in files), cue_triggers)
    return RuleFiles(book, segmentation.build(), worth.build(signal_triggers))


def _fragments(files: list[RuleFile]) -> dict[str, str]:
    # Every file's [fragments], with where each stands (for messages) and which are shipped.
    values: dict[str, str] = {}
    places: dict[str, str] = {}
    trusted: set[str] = set()
    for f in files:
        line = f.key_line("fragments")
        for name, value in fragments_of(f):
            values[name] = value
            places[name] = f"{f.path}:{f.key_line(name, line)}"
            if f.shipped:
                trusted.add(name)
            else:
                trusted.discard(name)  # a user's fragment of the same name replaces the shipped one
    return resolve_fragments(values, places, frozenset(trusted))


def _cue(f: RuleFile, rule_id: str, line: int, entry: dict, fragments: dict[str, str]) -> CueRule:
    where = f"{f.path}:{line}: rule {rule_id!r}"
    fields = Fields(where, entry, _CUE_KEYS)
    kind = fields.choice("kind", CUE_KINDS, f"kind must be one of {sorted(CUE_KINDS)}")
    level = fields.choice("level", (None, *LEVELS), f"level must be one of {list(LEVELS)}")
    flag = fields.choice("flag", (None, *FLAGS), f"flag must be one of {sorted(FLAGS)}")
    if level is None and flag is None:
        raise RuleError(f"{where}: a cue needs a 'level' or a 'flag'")
    attribution = fields.choice("attribution", (None, *ATTRIBUTION_TYPES), "attribution must be 'named' or 'anonymous'")
    if not isinstance(entry.get("pattern"), str):
        raise RuleError(f"{where}: a cue needs a 'pattern' string")
    pattern = compile_rule(f, where, "pattern", entry["pattern"], fragments)
    if attribution and "source" not in pattern.groupindex:
        raise RuleError(f"{where}: an attribution cue needs a (?P<source>...) group")
    not_before, not_after = fields.text("not_before"), fields.text("not_after")
    fields.text("note")
    match = fields.strings("match")
    no_match = fields.strings("no_match")
    if not match:
        raise RuleError(f"{where}: every rule needs at least one 'match' example")
    priority = entry.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise RuleError(f"{where}: priority must be a whole number, not {priority!r}")
    return CueRule(
        id=rule_id,
        file=str(f.path),
        line=line,
        kind=kind,
        level=level,
        flag=flag,
        attribution=attribution,
        priority=priority,
        strength=_strength(where, entry.get("strength", 0.0)),
        pattern=pattern,
        # not_before looks at the text just before the cue; anchor it to the cue.
        not_before=compile_rule(f, where, "not_before", f"(?:{not_before})\\s*$", fragments) if not_before else None,
        not_after=compile_rule(f, where, "not_after", not_after, fragments) if not_after else None,
        match=match,
        no_match=no_match,
    )


def _strength(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1.0 <= value <= 1.0:
        raise RuleError(f"{where}: strength must be a number from -1 (weakest) to 1 (strongest), not {value!r}")
    return float(value)


def _kind_rule(f: RuleFile, rule_id: str, line: int, entry: dict, fragments: dict[str, str]) -> KindRule:
    where = f"{f.path}:{line}: rule {rule_id!r}"
    fields = Fields(where, entry, _KIND_RULE_KEYS)
    kind = fields.choice("sentence_kind", SENTENCE_KINDS[1:], f"sentence_kind must be one of {list(SENTENCE_KINDS[1:])}")
    if not isinstance(entry.get("pattern"), str):
        raise RuleError(f"{where}: a kind rule needs a 'pattern' string")
    fields.text("note")
    match = fields.strings("match")
    if not match:
        raise RuleError(f"{where}: every rule needs at least one 'match' example")
    return KindRule(
        id=rule_id,
        file=str(f.path),
        line=line,
        kind=kind,
        pattern=compile_rule(f, where, "pattern", entry["pattern"], fragments),
        match=match,
        no_match=fields.strings("no_match"),
    )


def _joints(f: RuleFile, fragments: dict[str, str]) -> Joints:
    section = f.data.get("joints")
    if not isinstance(section, dict):
        raise RuleError(f"{f.path}:1: a joints file needs a [joints] table")
    line = f.key_line("joints")
    fields = Fields.of_table(f, line, "rule 'joints'", section, _JOINT_KEYS)
    where = fields.where
    leading, inner, bare = (tuple(w.lower() for w in fields.strings(key)) for key in ("leading", "inner", "bare"))

    def pattern(key: str, default: str) -> re.Pattern:
        return compile_rule(f, where, key, fields.text(key, default), fragments)

    examples = list(examples_of(f, "claims"))
    if not examples:
        raise RuleError(f"{f.path}:{line}: a joints file needs [[example]] entries")
    return Joints(
        leading=leading,
        inner=inner,
        bare=bare,
        bare_pattern=re.compile(
            r"(?<=[^\s,])\s+(" + "|".join(re.escape(w) for w in sorted(bare, key=len, reverse=True)) + r")\b"
            if bare
            else "(?!)",
            re.IGNORECASE,
        ),
        clause_markers=pattern("clause_markers", ""),
        embedders=pattern("embedders", ""),
        no_split_before=pattern("no_split_before", "(?!)"),
        no_split_after=pattern("no_split_after", "(?!)"),
        examples=tuple((text, expected) for _, text, expected in examples),
        example_places=tuple(place for place, _, _ in examples),
    )


def _check_unique(cues: list[CueRule], kinds: list[KindRule]) -> None:
    seen: dict[str, str] = {}
    for rule in [*cues, *kinds]:
        if rule.ref in seen:
            raise RuleError(f"{rule.file}:{rule.line}: rule id {rule.id!r} is used twice in this file")
        seen[rule.ref] = rule.file


