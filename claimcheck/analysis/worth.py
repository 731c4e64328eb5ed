"""Check-worthiness: how much a claim is worth a fact-checker's time, in [0, 1].

Specific numbers, quantities, dates, named entities, comparisons, superlatives, causes and
acts on the record raise it; opinion, promises, vague generalities and the speaker's framing
lower it. The signals and their weights are data, in ``rules/worth.toml`` (read by the
rulebook wing into WorthRules); this module adds up the weights of the signals that fire and
squashes the sum to [0, 1].
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Mapping, Optional

from claimcheck.analysis.prefilter import Plan, anchored_matches, index_of
from claimcheck.rulebook import Combo, WorthRules, load_rule_files


class WorthModel:
    """The check-worthiness scorer of a set of worth rules: every signal, the bias, and the
    adjustments for short claims and for levels."""

    def __init__(self, rules: WorthRules) -> None:
        self.rules = rules
        self.signals = rules.signals
        self.combos = rules.combos
        self.bias = rules.bias
        self.short_words = rules.short_words
        self.short_weight = rules.short_weight
        self.threshold = rules.threshold
        self.level_weights = rules.level_weights
        self.trigger_list = rules.trigger_list  # each signal's words (see words.py)
        # Per signal, what the hot loop needs, looked up once: (pattern, cap, weight).
        self._table = tuple((s.pattern, s.cap, s.weight) for s in self.signals)

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


@lru_cache(maxsize=8)
def model_of(rules: WorthRules) -> WorthModel:
    """The scorer of these worth rules (one per rules object)."""
    return WorthModel(rules)


def load_worth() -> WorthModel:
    """The scorer of the shipped check-worthiness signals."""
    return model_of(load_rule_files().worth)


def check_worthiness(text: str, level: Optional[str] = None) -> float:
    """Check-worthiness of a claim's text with the shipped signals, in [0, 1]."""
    return load_worth().score(text, level)
