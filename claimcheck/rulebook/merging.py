"""Segmentation and worth files: checked like every rule file, and merged across files.

A user's segmentation file adds its word lists and examples to the shipped ones (its
opening_max_words overrides); a user's worth file adds its signals and combos, and the keys of
its ``[worth]`` table override the shipped values (level_weights level by level).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from claimcheck.errors import RuleError
from claimcheck.rulebook.model import Combo, SegmentationRules, Signal, WorthRules
from claimcheck.rulebook.reading import Fields, RuleFile, compile_rule, examples_of
from claimcheck.vocabulary import LEVELS

_WORTH_KEYS = frozenset({"bias", "short_words", "short_weight", "threshold", "level_weights"})
_SIGNAL_KEYS = frozenset({"id", "weight", "cap", "pattern", "match", "no_match", "note"})
_COMBO_KEYS = frozenset({"id", "weight", "all", "match", "no_match", "note"})
# Segmentation tables and their word lists (opening_max_words is the one number).
_SEGMENTATION_TABLES = {
    "abbreviations": ("never_final", "general", "time"),
    "time_rule": ("followers", "opening_words", "opening_max_words"),
    "starters": ("words", "always_capitalized"),
    "glued": ("not_after",),
    "collocations": ("pairs",),
    "attribution": ("verbs",),
}


class SegmentationParts:
    """The segmentation files read so far: their word lists add up, a number is overridden."""

    def __init__(self) -> None:
        self.words: dict[str, frozenset[str]] = {}
        self.pairs: set[tuple[str, str]] = set()
        self.max_words = 4
        self.examples: list[tuple[str, str, tuple[str, ...]]] = []
        self.files: list[str] = []

    def add(self, f: RuleFile) -> None:
        """Check one segmentation file and add what it holds."""
        for name, keys in _SEGMENTATION_TABLES.items():
            if name not in f.data:
                continue
            line, table = f.table(name)
            fields = Fields.of_table(f, line, f"[{name}]", table, frozenset(keys))
            for key in keys:
                if key == "opening_max_words":
                    self.max_words = fields.integer(key, self.max_words, 1)
                elif key == "pairs":
                    self.pairs |= _pairs(fields.where, table.get(key, []))
                else:
                    self.words[f"{name}.{key}"] = self.words.get(f"{name}.{key}", frozenset()) | fields.words(key)
        self.examples.extend(examples_of(f, "sentences"))
        self.files.append(str(f.path))

    def build(self) -> SegmentationRules:
        """The merged rules of every segmentation file added."""
        if not self.files:
            raise RuleError("no rule file of kind 'segmentation' was found among the rules")

        def words(key: str) -> frozenset[str]:
            return self.words.get(key)

        never_final, times = words("abbreviations.never_final"), words("abbreviations.time")
        starters, always_capitalized = words("starters.words"), words("starters.always_capitalized")
        return SegmentationRules(
            never_final=never_final,
            times=times,
            time_followers=words("time_rule.followers"),
            opening_words=words("time_rule.opening_words"),
            opening_max_words=self.max_words,
            starters=starters,
            always_capitalized=always_capitalized,
            glued_not_after=words("glued.not_after"),
            attribution=_attribution_pattern(words("attribution.verbs")),
            punkt_words=(
                never_final | words("abbreviations.general") | times,
                starters,
                always_capitalized,
                frozenset(self.pairs),
            ),
            examples=tuple((text, expected) for _, text, expected in self.examples),
            example_places=tuple(place for place, _, _ in self.examples),
            files=tuple(self.files),
        )


def _pairs(where: str, value: Any) -> set[tuple[str, str]]:
    ok = isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(w, str) for w in p) for p in value
    )
    if not ok:
        raise RuleError(f"{where}: 'pairs' must be a list of [word, word] pairs")
    return {(a.lower(), b.lower()) for a, b in value}


def _attribution_pattern(verbs: frozenset[str]) -> re.Pattern[str]:
    if not verbs:
        return re.compile("(?!)")
    alternatives = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True))
    return re.compile(r"(?:[A-Z][\w.'’-]*\s+){1,4}(?:%s)\b" % alternatives)


class WorthParts:
    """The worth files read so far: signals and combos add up, [worth] keys override."""

    def __init__(self) -> None:
        self.head: dict[str, Any] = {"bias": 0.0, "short_words": 0, "short_weight": 0.0, "threshold": 0.5}
        self.level_weights: dict[str, float] = {}
        self.signals: list[Signal] = []
        self.combos: list[tuple[str, list[str], Combo]] = []  # (where, the signal ids it names, combo)
        self.places: dict[str, str] = {}  # signal or combo id -> "file:line" that defined it
        self.files: list[str] = []

    def add(self, f: RuleFile, fragments: dict[str, str]) -> None:
        """Check one worth file and add what it holds."""
        line, head = f.table("worth")
        fields = Fields.of_table(f, line, "[worth]", head, _WORTH_KEYS)
        for key in ("bias", "short_weight", "threshold"):
            if key in head:
                self.head[key] = fields.number(key)
        if "short_words" in head:
            self.head["short_words"] = fields.integer("short_words", 0, 0)
        weights = head.get("level_weights", {})
        if not isinstance(weights, dict) or not set(weights) <= set(LEVELS) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in weights.values()
        ):
            where = f"{f.path}:{f.key_line('level_weights', line)}"
            unknown = sorted(set(weights) - set(LEVELS)) if isinstance(weights, dict) else []
            if unknown:
                raise RuleError(f"{where}: level_weights names an unknown level {unknown[0]!r}")
            raise RuleError(f"{where}: level_weights must be a table of level = number")
        self.level_weights.update((level, float(weight)) for level, weight in weights.items())
        for sid, line, entry in f.rules("signal"):
            self.signals.append(self._signal(f, sid, line, entry, fragments))
        for cid, line, entry in f.rules("combo"):
            self.combos.append(self._combo(f, cid, line, entry))
        self.files.append(str(f.path))

    def _claim(self, kind: str, name: str, where: str) -> None:
        place = where.split(": ", 1)[0]
        if name in self.places:
            raise RuleError(f"{where}: {kind} id {name!r} is already used at {self.places[name]}")
        self.places[name] = place

    def _signal(self, f: RuleFile, sid: str, line: int, entry: dict, fragments: dict[str, str]) -> Signal:
        where = f"{f.path}:{line}: signal {sid!r}"
        fields = Fields(where, entry, _SIGNAL_KEYS)
        self._claim("signal", sid, where)
        if not isinstance(entry.get("pattern"), str):
            raise RuleError(f"{where}: a signal needs a 'pattern' string")
        fields.text("note")
        return Signal(
            id=sid,
            weight=fields.number("weight"),
            cap=fields.integer("cap", 1, 1),
            pattern=compile_rule(f, where, "pattern", entry["pattern"], fragments),
            match=fields.strings("match"),
            no_match=fields.strings("no_match"),
            line=line,
            file=str(f.path),
        )

    def _combo(self, f: RuleFile, cid: str, line: int, entry: dict) -> tuple[str, list[str], Combo]:
        where = f"{f.path}:{line}: combo {cid!r}"
        fields = Fields(where, entry, _COMBO_KEYS)
        self._claim("combo", cid, where)
        names = entry.get("all")
        if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) for n in names):
            raise RuleError(f"{where}: 'all' must list two or more signal ids")
        fields.text("note")
        combo = Combo(
            id=cid,
            weight=fields.number("weight"),
            signals=(),
            match=fields.strings("match"),
            no_match=fields.strings("no_match"),
            line=line,
            file=str(f.path),
        )
        return where, names, combo

    def build(self, triggers: tuple) -> WorthRules:
        """The merged worth rules; a combo may name the signals of any worth file."""
        if not self.files:
            raise RuleError("no rule file of kind 'worth' was found among the rules")
        positions = {s.id: i for i, s in enumerate(self.signals)}
        combos = []
        for where, names, combo in self.combos:
            missing = [n for n in names if n not in positions]
            if missing:
                raise RuleError(f"{where}: 'all' names {missing[0]!r}, which is no signal's id")
            combos.append(replace(combo, signals=tuple(positions[n] for n in names)))
        return WorthRules(
            signals=tuple(self.signals),
            combos=tuple(combos),
            bias=self.head["bias"],
            short_words=self.head["short_words"],
            short_weight=self.head["short_weight"],
            threshold=self.head["threshold"],
            level_weights=dict(self.level_weights),
            files=tuple(self.files),
            trigger_list=triggers,
        )
