"""The last stage: render ledgers as text. Formats register by name in RENDERERS."""
from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from dataclasses import dataclass, replace
from typing import Callable, Optional, Sequence

from .records import Claim, Ledger
from .rulebook import LEVELS

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Style:
    """How a renderer should present its output."""

    color: bool = False
    width: int = 0  # 0: the terminal's width (or 100 when there is none)
    claims_only: bool = False  # show the claims, not the article around them (--claims-only)


Renderer = Callable[[Sequence[Ledger], Style], str]


@dataclass(frozen=True)
class View:
    """Which claims to show and in what order (--sort, --only, --min-confidence).

    The view narrows ``claims`` only: the summary still counts every claim."""

    sort_by: str = "text"  # text order, or "worth" / "confidence": highest first
    only: Optional[frozenset] = None  # levels to show; None: all
    min_confidence: Optional[float] = None

    def apply(self, ledger: Ledger) -> Ledger:
        claims = ledger.claims
        if self.only is not None or self.min_confidence is not None:
            claims = tuple(
                c for c in claims
                if (self.only is None or c.level in self.only)
                and (self.min_confidence is None or c.confidence >= self.min_confidence)
            )
        if self.sort_by != "text":
            key = (lambda c: -c.check_worthiness) if self.sort_by == "worth" else (lambda c: -c.confidence)
            claims = tuple(sorted(claims, key=lambda c: (key(c), c.start)))
        return ledger if claims == ledger.claims else replace(ledger, claims=claims)


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


def _shown_dict(ledger: Ledger, style: Style) -> dict:
    data = ledger_to_dict(ledger)
    if style.claims_only:
        holding = {c.sentence for c in ledger.claims}
        data["sentences"] = [s for s in data["sentences"] if s["index"] in holding]
    return data


def render_json(ledgers: Sequence[Ledger], style: Style) -> str:
    """One JSON object for one source; an array for several."""
    data = [_shown_dict(lg, style) for lg in ledgers]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(ledgers: Sequence[Ledger], style: Style) -> str:
    """One compact JSON object per line, one line per source."""
    return "".join(json.dumps(_shown_dict(lg, style), ensure_ascii=False) + "\n" for lg in ledgers)


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


def source_label(claim: Claim) -> str:
    """Who a claim rests on, in a few words: "author", "anonymous: …", "Microsoft (confirmed)"."""
    a = claim.attribution
    if a.type == "author":
        return "author" if not a.name else f"author: {a.name}"
    label = a.name or a.type
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


def _header(ledger: Ledger, style: Style) -> list[str]:
    src = ledger.document.source
    lines = [f"== {src.url or src.name} =="]
    if not style.claims_only:
        lines.extend(f"{key}: {value}" for key, value in metadata(ledger))
    return lines


def _table_one(ledger: Ledger, style: Style, width: int) -> str:
    lines = _header(ledger, style)
    claims = ledger.claims
    if not claims:
        lines.append("(no claims found)")
    source_width = min(28, max([len("SOURCE")] + [len(source_label(c)) for c in claims]))
    lead = f"{'#':>3}  {'LEVEL':<10}  {'CONF':>4}  {'SOURCE':<{source_width}}  "
    text_width = max(30, width - len(lead))
    if claims:
        lines.append(lead + "CLAIM")
    for number, claim in enumerate(claims, 1):
        level = _paint(f"{claim.level:<10}", _COLOURS[claim.level], style)
        source = textwrap.shorten(source_label(claim), source_width, placeholder="…")
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


def level_counts(summary: dict) -> str:
    """ "2 confirmed, 1 possible": the levels present, in level order."""
    return ", ".join(f"{n} {level}" for level in LEVELS if (n := summary.get(level, 0)))


def _summary_line(ledger: Ledger) -> str:
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


def render_table(ledgers: Sequence[Ledger], style: Style) -> str:
    """A ledger a person can scan: one row per claim, cues marked, a summary line."""
    width = style.width or shutil.get_terminal_size((100, 24)).columns
    return "\n\n".join(_table_one(lg, style, width) for lg in ledgers) + "\n"


_MD_SPECIAL = frozenset("\\`*_[]<>|#~!")


def _md(text: str) -> str:
    """Text for a Markdown table cell or heading: punctuation escaped, on one line."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else " " if ch in "\r\n\t" else ch for ch in text)


def _md_claim(claim: Claim) -> str:
    """The claim's text with its cue words in bold."""
    pieces, pos = [], claim.start
    for cue in claim.cues:
        if cue.start < pos or cue.end > claim.end:
            continue
        pieces.append(_md(claim.text[pos - claim.start : cue.start - claim.start]))
        pieces.append("**" + _md(claim.text[cue.start - claim.start : cue.end - claim.start]) + "**")
        pos = cue.end
    pieces.append(_md(claim.text[pos - claim.start :]))
    return "".join(pieces)


def _markdown_one(ledger: Ledger, style: Style) -> str:
    src = ledger.document.source
    lines = [f"## {_md(src.title or src.url or src.name)}", ""]
    if not style.claims_only:
        lines.append(f"- **Source:** {_md(src.url or src.name)}")
        lines.extend(f"- **{key}:** {_md(str(value))}" for key, value in metadata(ledger) if key != "Title")
        lines.append("")
    lines.append(f"**{_summary_line(ledger)}**")
    lines.append("")
    if ledger.claims:
        lines.append("| # | Level | Conf. | Source | Claim |")
        lines.append("|---:|---|---:|---|---|")
        for number, claim in enumerate(ledger.claims, 1):
            flags = "".join(f" ⚑ {flag.replace('_', ' ')}" for flag in claim.flags)
            lines.append(
                f"| {number} | {claim.level} | {claim.confidence:.2f} | {_md(source_label(claim))} | "
                f"{_md_claim(claim)}{flags} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_markdown(ledgers: Sequence[Ledger], style: Style) -> str:
    """A section per source: metadata, the summary, and a table of claims with cues in bold."""
    return "\n".join(_markdown_one(lg, style) for lg in ledgers)


CSV_COLUMNS = (
    "source", "claim_id", "level", "confidence", "hedged", "check_worthiness",
    "attribution_type", "attribution_name", "attribution_verb", "cues", "flags", "text",
)


def _cell(text: str) -> str:
    """Article text for a spreadsheet cell: on one line, and never read as a formula (a cell
    starting = + - @ gets a leading apostrophe, as spreadsheets themselves do)."""
    flat = " ".join(text.split())
    return "'" + flat if flat[:1] in ("=", "+", "-", "@") else flat


def render_csv(ledgers: Sequence[Ledger], style: Style) -> str:
    """One row per claim (RFC 4180, a header row first); cues as "words [rule]" joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for ledger in ledgers:
        src = ledger.document.source
        for claim in ledger.claims:
            a = claim.attribution
            writer.writerow((
                src.url or src.name, claim.id, claim.level, f"{claim.confidence:.2f}",
                "true" if claim.hedged else "false", f"{claim.check_worthiness:.2f}",
                a.type, _cell(a.name or ""), a.verb or "",
                _cell("; ".join(f"{cue.text} [{cue.rule}]" for cue in claim.cues)),
                ";".join(claim.flags), _cell(claim.text),
            ))
    return out.getvalue()


@dataclass(frozen=True)
class Format:
    """A named output format: its renderer, and whether it can print ledger by ledger."""

    render: Renderer
    streams: bool  # True: each ledger can be printed as soon as it is ready


def render_html(ledgers: Sequence[Ledger], style: Style) -> str:
    """One self-contained HTML page (see claimcheck.report_html)."""
    from .report_html import render_report

    return render_report(ledgers, style)


RENDERERS: dict[str, Format] = {
    "table": Format(render_table, streams=True),
    "json": Format(render_json, streams=False),  # several sources make one array
    "jsonl": Format(render_jsonl, streams=True),
    "markdown": Format(render_markdown, streams=True),
    "csv": Format(render_csv, streams=False),  # one header row, then every source's claims
    "html": Format(render_html, streams=False),  # one page, with a table of contents
}


def schema() -> dict:
    """The JSON Schema of one ledger in the json/jsonl formats."""
    from importlib import resources

    return json.loads(resources.files("claimcheck").joinpath("schema/ledger.schema.json").read_text("utf-8"))
