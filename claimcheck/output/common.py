"""What every output format shares: the style, level colours, cue runs, source labels, summaries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from claimcheck.records import Claim, Cue, Ledger
from claimcheck.vocabulary import LEVELS


@dataclass(frozen=True)
class Style:
    """How a renderer should present its output."""

    color: bool = False
    width: int = 0  # 0: the terminal's width (or 100 when there is none)
    claims_only: bool = False  # show the claims, not the article around them (--claims-only)


BATCH = 256  # sentences, claims or lines joined into one piece

# ANSI colours per level (the table on a terminal): green for the record, cyan for attributed,
# yellow/magenta for hedged, blue for unknown, red for disputed; "0" is the terminal's own.
ANSI_COLOURS = {
    "confirmed": "32",
    "asserted": "0",
    "reported": "36",
    "likely": "33",
    "possible": "33",
    "unverified": "35",
    "unclear": "34",
    "disputed": "31",
}

# Colour (text, bars, borders) and tint (highlight background) per level, for the html report.
HEX_COLOURS = {
    "confirmed": ("#1b7a2f", "#dcf1df"),
    "asserted": ("#5f6b76", "#e9ecef"),
    "reported": ("#00777f", "#d5f0f2"),
    "likely": ("#a85d00", "#fde6c8"),
    "possible": ("#8a7300", "#fbf3b5"),
    "unverified": ("#8a2aa0", "#f2dcf7"),
    "unclear": ("#1f5fbf", "#dbe7fb"),
    "disputed": ("#c0262d", "#fbd9da"),
}


def cue_runs(text: str, base: int, start: int, end: int, cues: Iterable[Cue]) -> Iterator[tuple[str, Optional[Cue]]]:
    """The document's [start, end) cut at the cues inside it, as (words, None) between cues and
    (words, cue) for a cue; text is the document from offset base on. A cue reaching outside
    the span (a sentence-wide attribution shown as the source) or into an earlier one is skipped."""
    pos = start
    for cue in sorted(cues, key=lambda q: q.start):
        if cue.start < pos or cue.end > end:
            continue
        yield text[pos - base : cue.start - base], None
        yield text[cue.start - base : cue.end - base], cue
        pos = cue.end
    yield text[pos - base : end - base], None


def source_label(claim: Claim) -> str:
    """Who a claim rests on, in a few words: "author", "anonymous: …", "Microsoft (confirmed)"."""
    a = claim.attribution
    if a.type == "author":
        return "author" if not a.name else f"author: {a.name}"
    if a.type == "unknown":
        return "unattributed quote"  # someone's words; the tool could not find whose
    if a.type == "named" and not a.name:
        # A source a rule saw but could not name ("in a statement").
        return "a source" + (f" ({a.verb})" if a.verb else "")
    label = f"{a.name} = {a.resolved}" if a.resolved else a.name or a.type
    if a.type == "anonymous":
        label = f"anonymous: {label}" if a.name else "anonymous"
    return f"{label} ({a.verb})" if a.verb else label


def metadata(ledger: Ledger) -> list[tuple[str, str]]:
    """The page's facts worth a header, as (label, value), known ones only."""
    src = ledger.document.source
    facts = [
        ("Title", src.title),
        ("By", ", ".join(src.authors) if src.authors else None),
        ("Published", src.published),
        ("Modified", src.modified),
        ("Site", src.site),
    ]
    return [(key, value) for key, value in facts if value]


def joined(lines: Iterable[str], separator: str = "\n") -> Iterator[str]:
    """``separator.join(lines)`` in pieces of a few hundred lines."""
    batch: list[str] = []
    lead = ""  # the separator before the next piece, once there has been one
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield lead + separator.join(batch)
            lead, batch = separator, []
    if batch or not lead:
        yield lead + separator.join(batch)


def level_counts(summary: dict) -> str:
    """ "2 confirmed, 1 possible": the levels present, in level order."""
    return ", ".join(f"{n} {level}" for level in LEVELS if (n := summary.get(level, 0)))


def summary_line(ledger: Ledger) -> str:
    """ "5 claims: 2 confirmed, 3 possible; not claims: 1 heading": what a source holds."""
    # The summary counts every claim, also those a filter (--only, --min-confidence) hides.
    counts = level_counts(ledger.summary)
    kinds: dict[str, int] = {}
    for s in ledger.sentences:
        if not s.is_claim:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
    total = sum(ledger.summary.values())
    line = f"{total} claim{'s' if total != 1 else ''}" + (f": {counts}" if counts else "")
    if len(ledger.claims) < total:
        line += f" ({len(ledger.claims)} shown)"
    if kinds:
        line += "; not claims: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    return line


_NAMED_KINDS = ("person", "organisation", "document", "named")
_LISTED = 6  # named sources listed by name in the sourcing profile, most claims first


def sources_line(ledger: Ledger) -> str:
    """The sourcing profile a desk reads at a glance: how many claims rest on named sources,
    anonymous ones, unattributed quotes and the writer, then the sources most relied on."""
    counts = {"named": 0, "anonymous": 0, "unknown": 0, "writer": 0}
    named = []
    for source in ledger.sources:
        group = "named" if source.kind in _NAMED_KINDS else source.kind
        counts[group] += len(source.claims)
        if group in ("named", "anonymous") and source.claims:
            named.append((group, source.name or "", len(source.claims)))
    people = sum(1 for group, _, _ in named if group == "named")
    line = (
        f"sources: {counts['named']} claim{'s' if counts['named'] != 1 else ''} on {people} named source"
        f"{'s' if people != 1 else ''}, {counts['anonymous']} on anonymous sources, "
        f"{counts['unknown']} unattributed quote{'s' if counts['unknown'] != 1 else ''}, {counts['writer']} the writer's own"
    )
    top = sorted(named, key=lambda item: -item[2])[:_LISTED]
    if top:
        line += " — " + ", ".join(f"{'anonymous: ' if group == 'anonymous' else ''}{name} {n}" for group, name, n in top)
        if len(named) > _LISTED:
            line += f", and {len(named) - _LISTED} more"
    return line
