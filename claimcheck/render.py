"""The last stage: render ledgers as text. Formats register by name in RENDERERS."""
from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from typing import Callable, Sequence

from .records import Claim, Ledger
from .rulebook import LEVELS

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Style:
    """How a renderer should present its output."""

    color: bool = False
    width: int = 0  # 0: the terminal's width (or 100 when there is none)


Renderer = Callable[[Sequence[Ledger], Style], str]


def ledger_to_dict(ledger: Ledger) -> dict:
    """The JSON form of one ledger (the documented, versioned schema)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": ledger.document.source.to_dict(),
        "text": ledger.document.text,
        "summary": dict(ledger.summary),
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text, "is_claim": s.is_claim, "kind": s.kind}
            for s in ledger.sentences
        ],
        "claims": [_claim_to_dict(c) for c in ledger.claims],
    }


def _claim_to_dict(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "level": claim.level,
        "hedged": claim.hedged,
        "confidence": claim.confidence,
        "attribution": claim.attribution.to_dict(),
        "cues": [
            {"text": c.text, "start": c.start, "end": c.end, "kind": c.kind, "rule": c.rule, "effect": c.effect}
            for c in claim.cues
        ],
        "flags": list(claim.flags),
        "check_worthiness": claim.check_worthiness,
        "negated": claim.negated,
    }


def render_json(ledgers: Sequence[Ledger], style: Style) -> str:
    """One JSON object for one source; an array for several."""
    data = [ledger_to_dict(lg) for lg in ledgers]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(ledgers: Sequence[Ledger], style: Style) -> str:
    """One compact JSON object per line, one line per source."""
    return "".join(json.dumps(ledger_to_dict(lg), ensure_ascii=False) + "\n" for lg in ledgers)


# ANSI colours per level: green for the record, cyan for attributed, yellow/magenta for
# hedged, blue for unknown, red for disputed.
_COLOURS = {
    "confirmed": "32",
    "asserted": "0",
    "reported": "36",
    "likely": "33",
    "possible": "33",
    "unverified": "35",
    "unclear": "34",
    "disputed": "31",
}


def _paint(text: str, code: str, style: Style) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if style.color and code != "0" else text


def _mark_cues(claim: Claim, style: Style) -> str:
    """The claim's text with its cue words marked (underlined, or «between guillemets»)."""
    pieces, pos = [], claim.start
    text = claim.text
    for cue in claim.cues:
        if cue.start < pos or cue.end > claim.end:
            continue  # a sentence-wide attribution outside this clause is shown as the source
        pieces.append(text[pos - claim.start : cue.start - claim.start])
        word = text[cue.start - claim.start : cue.end - claim.start]
        pieces.append(f"\x1b[1;4m{word}\x1b[0m" if style.color else f"«{word}»")
        pos = cue.end
    pieces.append(text[pos - claim.start :])
    return "".join(pieces)


def _source_label(claim: Claim) -> str:
    a = claim.attribution
    if a.type == "author":
        return "author" if not a.name else f"author: {a.name}"
    label = a.name or a.type
    if a.type == "anonymous":
        label = f"anonymous: {label}" if a.name else "anonymous"
    return f"{label} ({a.verb})" if a.verb else label


def _header(ledger: Ledger) -> list[str]:
    src = ledger.document.source
    lines = [f"== {src.url or src.name} =="]
    facts = [
        ("Title", src.title),
        ("By", ", ".join(src.authors) if src.authors else None),
        ("Published", src.published),
        ("Modified", src.modified),
        ("Site", src.site),
    ]
    lines.extend(f"{key}: {value}" for key, value in facts if value)
    return lines


def _table_one(ledger: Ledger, style: Style, width: int) -> str:
    lines = _header(ledger)
    claims = ledger.claims
    if not claims:
        lines.append("(no claims found)")
    source_width = min(28, max([len("SOURCE")] + [len(_source_label(c)) for c in claims]))
    lead = f"{'#':>3}  {'LEVEL':<10}  {'CONF':>4}  {'SOURCE':<{source_width}}  "
    text_width = max(30, width - len(lead))
    if claims:
        lines.append(lead + "CLAIM")
    for number, claim in enumerate(claims, 1):
        level = _paint(f"{claim.level:<10}", _COLOURS[claim.level], style)
        source = textwrap.shorten(_source_label(claim), source_width, placeholder="…")
        body = _mark_cues(claim, style) + "".join(f"  [{flag.replace('_', ' ')}]" for flag in claim.flags)
        wrapped = _wrap(body, text_width, style)
        lines.append(f"{number:>3}  {level}  {claim.confidence:>4.2f}  {source:<{source_width}}  {wrapped[0]}")
        lines.extend(" " * len(lead) + rest for rest in wrapped[1:])
    lines.append(_summary_line(ledger))
    return "\n".join(lines)


def _wrap(text: str, width: int, style: Style) -> list[str]:
    if style.color:
        return [text]  # escape codes would throw textwrap's widths off; the terminal wraps
    return textwrap.wrap(text, width) or [""]


def _summary_line(ledger: Ledger) -> str:
    counts = ", ".join(f"{n} {level}" for level in LEVELS if (n := ledger.summary.get(level, 0)))
    kinds: dict[str, int] = {}
    for s in ledger.sentences:
        if not s.is_claim:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
    total = len(ledger.claims)
    line = f"{total} claim{'s' if total != 1 else ''}" + (f": {counts}" if counts else "")
    if kinds:
        line += "; not claims: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    return line


def render_table(ledgers: Sequence[Ledger], style: Style) -> str:
    """A ledger a person can scan: one row per claim, cues marked, a summary line."""
    width = style.width or shutil.get_terminal_size((100, 24)).columns
    return "\n\n".join(_table_one(lg, style, width) for lg in ledgers) + "\n"


@dataclass(frozen=True)
class Format:
    """A named output format: its renderer, and whether it can print ledger by ledger."""

    render: Renderer
    streams: bool  # True: each ledger can be printed as soon as it is ready


RENDERERS: dict[str, Format] = {
    "table": Format(render_table, streams=True),
    "json": Format(render_json, streams=False),  # several sources make one array
    "jsonl": Format(render_jsonl, streams=True),
}


def schema() -> dict:
    """The JSON Schema of one ledger in the json/jsonl formats."""
    from importlib import resources

    return json.loads(resources.files("claimcheck").joinpath("schema/ledger.schema.json").read_text("utf-8"))
