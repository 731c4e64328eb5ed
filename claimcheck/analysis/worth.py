"""Check-worthiness: how much a claim is worth a fact-checker's time, in [0, 1].

Specific numbers, quantities, dates, named entities, comparisons, superlatives, causes and
acts on the record raise it; opinion, promises, vague generalities and the speaker's framing
lower it. The signals and their weights are data, in ``rules/worth.toml``; this module only
reads them, adds up the weights of the signals that fire and squashes the sum to [0, 1].
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Mapping, Optional, Sequence

from claimcheck.errors import RuleError
from claimcheck.rulebook import example_problems, read_toml, rule_lines, shipped_rules_dir
from claimcheck.vocabulary import LEVELS
from claimcheck.rulebook.patterns import compile_pattern
from claimcheck.analysis.prefilter import Plan, anchored_matches, index_of
from claimcheck.rulebook.words import Trigger, triggers_of

RULE_FILE = "worth.toml"


@dataclass(frozen=True)
class Signal:
    """One check-worthiness signal: a pattern and the weight it adds each time it fires."""

    id: str
    weight: float
    cap: int
    pattern: re.Pattern
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Combo:
    """Signals that mean something different together: adds weight when all of them fire."""

    id: str
    weight: float
    signals: tuple[int, ...]  # positions in WorthModel.signals
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class WorthModel:
    """Every signal, the bias, and the adjustments for short claims and for levels."""

    signals: tuple[Signal, ...]
    bias: float
    short_words: int
    short_weight: float
    threshold: float
    level_weights: Mapping[str, float]
    file: str
    trigger_list: tuple[Optional[Trigger], ...]  # each signal's words (see triggers.py)
    combos: tuple[Combo, ...] = ()

    def __post_init__(self) -> None:
        # Per signal, what the hot loop needs, looked up once: (pattern, cap, weight).
        table = tuple((s.pattern, s.cap, s.weight) for s in self.signals)
        object.__setattr__(self, "_table", table)

    def counts(self, text: str, plan: Optional[Plan] = None) -> dict[int, int]:
        """How often each signal fires on text (capped), by position; signals that do not fire are left out.

        plan: the signals that may fire and where (from a document-wide ``triggers.scan``), if known.
        """
        found = {}
        table = self._table
        candidates, starts = (index_of(self).candidates(text), {}) if plan is None else plan
        for index in candidates:
            pattern, cap, _ = table[index]
            at = starts.get(index)
            if at is not None:
                if cap == 1:  # most signals: the first match settles it
                    match = pattern.match
                    for position in at:
                        if match(text, position) is not None:
                            found[index] = 1
                            break
                    continue
                count = 0
                for _ in anchored_matches(pattern.match, text, at):
                    count += 1
                    if count >= cap:
                        break
                if count:
                    found[index] = count
            elif cap > 1:
                count = len(pattern.findall(text))
                if count:
                    found[index] = count if count < cap else cap
            elif pattern.search(text) is not None:
                found[index] = 1
        return found

    def combos_fired(self, counts: Mapping[int, int]) -> list[Combo]:
        """The combos whose signals all fire, given ``counts``."""
        return [c for c in self.combos if all(i in counts for i in c.signals)]

    def logit(self, text: str, level: Optional[str] = None, plan: Optional[Plan] = None) -> float:
        """The sum of weights before squashing (bias + signals + combos + length + level).

        plan: the signals that may fire and where (from a document-wide ``triggers.scan``), if known.
        """
        total = self.bias + self.level_weights.get(level or "", 0.0)
        if self._long_enough.match(text) is None:
            total += self.short_weight
        counts = self.counts(text, plan)
        table = self._table
        for index, count in counts.items():  # in candidate order, so the float sum never varies
            total += table[index][2] * count
        if self.combos:
            for combo in self.combos_fired(counts):
                total += combo.weight
        return total

    def score(self, text: str, level: Optional[str] = None, plan: Optional[Plan] = None) -> float:
        """Check-worthiness of a claim's text (and its level, when known), in [0, 1]."""
        value = round(1.0 / (1.0 + math.exp(-self.logit(text, level, plan))), 3)
        # At most 1,001 distinct scores: a long text's claims share them rather than each
        # holding a float of its own.
        return _SCORES.setdefault(value, value)

    @property
    def _long_enough(self) -> re.Pattern:
        # Matches when text has at least short_words words; stops reading there.
        return _long_enough(self.short_words)

    def fired(self, text: str) -> list[str]:
        """The ids of the signals that fire on text, in file order, then the combos that fire."""
        counts = self.counts(text)
        return [self.signals[i].id for i in counts] + [c.id for c in self.combos_fired(counts)]


_SCORES: dict[float, float] = {}


@lru_cache(maxsize=8)
def _long_enough(words: int) -> re.Pattern:
    # Possessive quantifiers: a word must not be split in two to reach the count.
    return re.compile(r"(?:[^\w’'-]*+[\w’'-]++){%d}" % max(0, words))


def _default_path() -> Path:
    return shipped_rules_dir() / RULE_FILE


@lru_cache(maxsize=4)
def load_worth(path: Optional[str] = None) -> WorthModel:
    """Read and compile the check-worthiness signals (the shipped file unless path is given)."""
    where = Path(path) if path else _default_path()
    data, lines = read_toml(where)
    head = data.get("worth", {})
    if not isinstance(head, dict):
        raise RuleError(f"{where}:1: [worth] must be a table")
    level_weights = {str(k): float(v) for k, v in head.get("level_weights", {}).items()}
    unknown = set(level_weights) - set(LEVELS)
    if unknown:
        raise RuleError(f"{where}:1: level_weights names an unknown level {sorted(unknown)[0]!r}")
    ids = rule_lines(lines)
    signals = []
    for position, entry in enumerate(data.get("signal", []), 1):
        sid = entry.get("id") or f"signal-{position}"
        line = _line_of(sid, ids, lines)
        try:
            pattern = compile_pattern(entry["pattern"], re.IGNORECASE)  # compiled at first use if it was before
            weight = float(entry["weight"])
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RuleError(f"{where}:{line}: signal {sid!r}: needs a valid 'pattern' and a numeric 'weight' ({exc})") from None
        signals.append(
            Signal(
                id=sid,
                weight=weight,
                cap=max(1, int(entry.get("cap", 1))),
                pattern=pattern,
                match=tuple(entry.get("match", ())),
                no_match=tuple(entry.get("no_match", ())),
                line=line,
            )
        )
    positions = {s.id: i for i, s in enumerate(signals)}
    combos = []
    for position, entry in enumerate(data.get("combo", []), 1):
        cid = entry.get("id") or f"combo-{position}"
        line = _line_of(cid, ids, lines)
        names = entry.get("all")
        if not isinstance(names, list) or len(names) < 2 or any(n not in positions for n in names):
            raise RuleError(f"{where}:{line}: combo {cid!r}: 'all' must list two or more signal ids of this file")
        try:
            weight = float(entry["weight"])
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleError(f"{where}:{line}: combo {cid!r}: needs a numeric 'weight' ({exc})") from None
        combos.append(
            Combo(
                id=cid,
                weight=weight,
                signals=tuple(positions[n] for n in names),
                match=tuple(entry.get("match", ())),
                no_match=tuple(entry.get("no_match", ())),
                line=line,
            )
        )
    triggers = tuple(triggers_of([(s.pattern.pattern, s.pattern.flags) for s in signals]))
    return WorthModel(
        signals=tuple(signals),
        bias=float(head.get("bias", 0.0)),
        short_words=int(head.get("short_words", 0)),
        short_weight=float(head.get("short_weight", 0.0)),
        threshold=float(head.get("threshold", 0.5)),
        level_weights=level_weights,
        file=str(where),
        trigger_list=triggers,
        combos=tuple(combos),
    )


def _line_of(name: str, ids: Mapping[str, int], lines: Sequence[str]) -> int:
    if "'" in name or '"' in name:  # an id with quotes in it: look for it line by line
        return next((n for n, t in enumerate(lines, 1) if re.match(rf"""\s*id\s*=\s*["']{re.escape(name)}["']""", t)), 1)
    return ids.get(name, 1)


def check_worthiness(text: str, level: Optional[str] = None) -> float:
    """Check-worthiness of a claim's text with the shipped signals, in [0, 1]."""
    return load_worth().score(text, level)


def check_examples(model: Optional[WorthModel] = None) -> list[str]:
    """Run every signal's and combo's examples; one 'file:line: ...' message per failure."""
    model = model or load_worth()
    problems = []
    for signal in model.signals:
        problems += example_problems(
            f"{model.file}:{signal.line}", f"signal {signal.id!r}", signal.pattern.search, signal.match, signal.no_match
        )
    for combo in model.combos:
        fires = partial(_fires_combo, model, combo.id)
        problems += example_problems(f"{model.file}:{combo.line}", f"combo {combo.id!r}", fires, combo.match, combo.no_match)
    return problems


def _fires_combo(model: WorthModel, combo_id: str, text: str) -> bool:
    return combo_id in model.fired(text)
