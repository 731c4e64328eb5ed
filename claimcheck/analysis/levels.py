"""The level stage: from a claim's cues to its level, confidence, attribution and flags.

This is where a level is decided. Hedges outrank attribution: a claim that a named source
confirms but that still says "may" is possible. Among hedges the least certain wins, except
that a hedge inside an embedded clause ("areas where OpenAI could ...") yields to one in the
main clause ("it's likely to focus on ...").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from claimcheck.analysis.cues import Match
from claimcheck.records import Attribution
from claimcheck.vocabulary import BANDS, HEDGED_LEVELS, LEVELS

RANK = {level: i for i, level in enumerate(LEVELS)}  # larger rank = less certain
_SOURCED = frozenset({"confirmed", "reported"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the level stage decided for one claim."""

    level: str
    confidence: float
    hedged: bool
    attribution: Attribution
    flags: tuple[str, ...]
    negated: bool = False  # the claim's own predicate is negated ("has not closed", "nobody was hurt")


def decide(
    matches: Sequence[Match],
    embedded_from: Optional[int] = None,
    author: Optional[str] = None,
    quoted: bool = False,
) -> Verdict:
    """Decide one claim's level from the cues that bear on it (quoted: someone else's words,
    in a block quote, inside quotation marks or on a transcript line)."""
    if not matches:
        return _uncued(author, quoted)
    return _decide(matches, embedded_from, author, quoted)


@lru_cache(maxsize=256)
def _uncued(author: Optional[str], quoted: bool) -> Verdict:
    # Most claims have no cues, and then the verdict depends on nothing else: decided once.
    return _decide((), None, author, quoted)


def _decide(matches: Sequence[Match], embedded_from: Optional[int], author: Optional[str], quoted: bool) -> Verdict:
    hedges = [m for m in matches if m.rule.level in HEDGED_LEVELS]
    main_clause = [m for m in matches if embedded_from is None or m.start < embedded_from]
    main = [m for m in hedges if embedded_from is None or m.start < embedded_from] or hedges
    sources = [m for m in matches if is_attribution(m)]
    sourced = [m.rule.level for m in sources if m.rule.level in _SOURCED]
    if main:
        level = max((m.rule.level for m in main), key=RANK.__getitem__)
    elif sourced or (quoted and not sources):
        level = min(sourced, key=RANK.__getitem__) if sourced else "reported"
    else:
        level = "asserted"
    attribution = _attribution(sources, level, author, quoted)
    boosters = [m for m in matches if m.rule.flag]
    flags = tuple(sorted({m.rule.flag for m in boosters if attribution.type == "author"}))
    return Verdict(
        level=level,
        confidence=_confidence(level, len(hedges), len(boosters), _strength(main_clause, level)),
        hedged=level in HEDGED_LEVELS,
        attribution=attribution,
        flags=flags,
        negated=any(is_polarity(m) for m in main_clause),
    )


def is_attribution(match: Match) -> bool:
    """True when the cue says on whose authority the claim rests."""
    return match.rule.attribution is not None or match.rule.kind == "attribution"


def is_inner_source(match: Match) -> bool:
    """True when the cue's source speaks within someone's words: inside quotation marks, or the
    speaker themself ("I think", "we believe")."""
    return match.quoted or (match.source is not None and match.source.lower() in _FIRST_PERSON)


def is_own_source(match: Match) -> bool:
    """True when the cue names a source for the claim itself, not one inside someone's words."""
    return is_attribution(match) and not is_inner_source(match)


_FIRST_PERSON = frozenset({"i", "we", "me", "us"})


def is_polarity(match: Match) -> bool:
    """True when the cue negates a predicate without hedging it ("has not closed", "no injuries")."""
    return match.rule.kind == "negation" and match.rule.level not in HEDGED_LEVELS


def _attribution(candidates: Sequence[Match], level: str, author: Optional[str], quoted: bool) -> Attribution:
    # "“I think they lied,” Smith said": "I" and any source inside the quotation speak in
    # Smith's words, so Smith is the claim's source; with no one else, "I think" is the
    # speaker's own (the writer's, or the unknown speaker's of a quotation).
    others = [m for m in candidates if not is_inner_source(m)]
    if not others:
        # A quotation is someone else's words even when the tool cannot find whose: an
        # unattributed quote, never the writer's own assertion.
        return Attribution(type="unknown", name=None, verb="quoted") if quoted else Attribution("author", author, None)
    # Whose word it is: the one who says it ("Fowler said he expects ..." is Fowler's), before
    # the one whose belief or hint it reports; among equals, the first.
    speaking = [m for m in others if m.rule.level in _SPEECH_LEVELS]
    best = speaking[0] if speaking else next((m for m in others if m.rule.level == level), others[0])
    return Attribution(type=best.rule.attribution or "named", name=best.source, verb=_verb(best))


# Levels of the frames that report speech (say, confirm, deny, claim), not belief or hints.
_SPEECH_LEVELS = frozenset({"confirmed", "reported", "unverified", "disputed"})


def _verb(match: Match) -> Optional[str]:
    return " ".join(match.verb.split()).lower() if match.verb else None


def _strength(main_clause: Sequence[Match], level: str) -> float:
    """How strongly the main clause's cues for the chosen level commit, -1..1 (a rule's `strength`)."""
    deciding = [m.rule.strength for m in main_clause if m.rule.level == level]
    return sum(deciding) / len(deciding) if deciding else 0.0


def _confidence(level: str, hedge_count: int, booster_count: int, strength: float = 0.0) -> float:
    low, high = BANDS[level]
    width = high - low
    value = low + width * (0.5 + 0.3 * strength - 0.3 * max(0, hedge_count - 1) + 0.2 * booster_count)
    margin = width * 0.05
    return round(min(high - margin, max(low + margin, value)), 3)
