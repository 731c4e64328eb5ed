"""The words of the ledger: levels, their confidence bands and meanings, cue and sentence kinds, flags.

One definition each; rule files, the analysis and every output format take them from here.
"""
from __future__ import annotations

LEVELS = ("confirmed", "asserted", "reported", "likely", "possible", "unverified", "unclear", "disputed")
HEDGED_LEVELS = frozenset({"likely", "possible", "unverified", "unclear", "disputed"})
CUE_KINDS = frozenset(
    {"hedge", "booster", "attribution", "evidence_gap", "negation", "condition", "unknown", "denial", "anonymous"}
)
FLAGS = frozenset({"unsupported_certainty"})
SENTENCE_KINDS = ("statement", "heading", "question", "call_to_action", "dateline", "byline", "boilerplate")
ATTRIBUTION_TYPES = frozenset({"named", "anonymous"})

# Confidence bands, highest first; they never overlap, so confidence orders claims exactly as
# levels do. Within a band, extra hedges pull a claim down and boosters push it up.
BANDS: dict[str, tuple[float, float]] = {
    "confirmed": (0.90, 1.00),
    "asserted": (0.80, 0.90),
    "reported": (0.70, 0.80),
    "likely": (0.55, 0.70),
    "possible": (0.40, 0.55),
    "unverified": (0.25, 0.40),
    "unclear": (0.10, 0.25),
    "disputed": (0.00, 0.10),
}

# What each level means, in a reader's words (the html report's legend).
LEVEL_MEANINGS: dict[str, str] = {
    "confirmed": "a named source confirms it on the record, or a document shows it",
    "asserted": "the writer states it as fact, unhedged and unattributed",
    "reported": "attributed to a named source with a neutral verb",
    "likely": "hedged as probable",
    "possible": "hedged as possible or conditional",
    "unverified": "anonymous or unconfirmed sourcing, or a gap in the evidence",
    "unclear": "explicitly unknown",
    "disputed": "a party denies or contests it",
}
