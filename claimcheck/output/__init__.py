"""The last stage: render ledgers as text. Formats register by name in RENDERERS."""
from __future__ import annotations

import csv
import io
import itertools
import json
import math
import shutil
import textwrap
from dataclasses import dataclass, replace
from json.encoder import encode_basestring as _encode_string  # C-accelerated
from typing import Callable, Iterable, Iterator, Optional, Sequence

from claimcheck.records import Claim, Cue, Ledger, Sentence
from claimcheck.vocabulary import LEVELS

SCHEMA_VERSION = "2"


@dataclass(frozen=True)
class Style:
    """How a renderer should present its output."""

    color: bool = False
    width: int = 0  # 0: the terminal's width (or 100 when there is none)
    claims_only: bool = False  # show the claims, not the article around them (--claims-only)


Renderer = Callable[[Sequence[Ledger], Style], str]
# The same output in pieces, in order: joined, they are exactly what the Renderer returns. A
# long ledger is written piece by piece, never held whole as one string.
PieceRenderer = Callable[[Sequence[Ledger], Style], Iterator[str]]

_BATCH = 256  # sentences, claims or lines joined into one piece


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
        "sentences": [_sentence_to_dict(s) for s in ledger.sentences],
        "claims": [_claim_to_dict(c) for c in ledger.claims],
    }


def _sentence_to_dict(s: Sentence) -> dict:
    return {"index": s.index, "start": s.start, "end": s.end, "text": s.text, "is_claim": s.is_claim, "kind": s.kind}


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


def json_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `json` format, in pieces: the bytes of ``json.dumps(..., ensure_ascii=False, indent=2)``
    of the ledgers' dicts, written a few sentences or claims at a time."""
    value = _LazyObject(_json_fields(ledgers[0], style)) if len(ledgers) == 1 else _LazyArray(
        _LazyObject(_json_fields(lg, style)) for lg in ledgers
    )
    yield from _json_pieces(value, 2, 0)
    yield "\n"


def jsonl_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `jsonl` format, in pieces: ``json.dumps(..., ensure_ascii=False)`` of each ledger's dict."""
    for ledger in ledgers:
        yield from _json_pieces(_LazyObject(_json_fields(ledger, style)), None, 0)
        yield "\n"


class _LazyObject:
    """A JSON object whose (key, value) pairs are made as they are written."""

    def __init__(self, fields: Iterable[tuple[str, object]]) -> None:
        self.fields = fields


class _LazyArray:
    """A JSON array whose items are made as they are written."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


class _LongString(str):
    """A string written to JSON a slice at a time (the document's text)."""


_SLICE = 1 << 16  # characters of a long string encoded at a time
_EMPTY = object()


def _json_fields(ledger: Ledger, style: Style) -> Iterator[tuple[str, object]]:
    """The pairs of ledger_to_dict, sentences and claims made one at a time (with --claims-only,
    only the sentences that hold a claim)."""
    yield "schema_version", SCHEMA_VERSION
    yield "source", ledger.document.source.to_dict()
    yield "text", _LongString(ledger.document.text) if len(ledger.document.text) > _SLICE else ledger.document.text
    yield "summary", dict(ledger.summary)
    sentences: Iterable = ledger.sentences
    if style.claims_only:
        holding = {c.sentence for c in ledger.claims}
        sentences = (s for s in sentences if s.index in holding)
    yield "sentences", _LazyArray(_sentence_to_dict(s) for s in sentences)
    yield "claims", _LazyArray(_claim_to_dict(c) for c in ledger.claims)


def _indented(value: object, indent: int, depth: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` as written at nesting depth.

    The standard library indents in pure Python, a generator per level; this builds the same
    text from the C string encoder, several times faster on a ledger's claims."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if value is None or kind is bool:
        return "null" if value is None else "true" if value else "false"
    if (kind is dict and all(type(key) is str for key in value)) or kind is list or kind is tuple:
        if not value:
            return "{}" if kind is dict else "[]"
        inner = "\n" + " " * (indent * (depth + 1))
        if kind is dict:
            parts = [_encode_string(k) + ": " + _indented(v, indent, depth + 1) for k, v in value.items()]
        else:
            parts = [_indented(item, indent, depth + 1) for item in value]
        opening, closing = ("{", "}") if kind is dict else ("[", "]")
        return opening + inner + ("," + inner).join(parts) + "\n" + " " * (indent * depth) + closing
    text = json.dumps(value, ensure_ascii=False, indent=indent)  # anything else, as the library writes it
    return text.replace("\n", "\n" + " " * (indent * depth)) if depth else text


def _json_pieces(value: object, indent: Optional[int], depth: int) -> Iterator[str]:
    """The JSON of value at nesting depth, in pieces, exactly as json.dumps writes it (with
    ``indent``, or compact when None; ensure_ascii off)."""
    if isinstance(value, _LongString):
        yield '"'
        for at in range(0, len(value), _SLICE):
            yield json.dumps(str.__getitem__(value, slice(at, at + _SLICE)), ensure_ascii=False)[1:-1]
        yield '"'
        return
    if not isinstance(value, (_LazyObject, _LazyArray)):
        yield json.dumps(value, ensure_ascii=False) if indent is None else _indented(value, indent, depth)
        return
    is_object = isinstance(value, _LazyObject)
    items = iter(value.fields if is_object else value.items)
    first = next(items, _EMPTY)
    if first is _EMPTY:
        yield "{}" if is_object else "[]"
        return
    if indent is None:
        opening, separator, closing = "", ", ", ""
    else:
        opening = "\n" + " " * (indent * (depth + 1))
        separator = "," + opening
        closing = "\n" + " " * (indent * depth)
    batch = ["{" if is_object else "[", opening]
    for number, item in enumerate(itertools.chain((first,), items)):
        if number:
            batch.append(separator)
        if is_object:
            key, item = item
            batch.append(json.dumps(key, ensure_ascii=False) + ": ")
        if isinstance(item, (_LazyObject, _LazyArray, _LongString)):
            yield "".join(batch)
            batch = []
            yield from _json_pieces(item, indent, depth + 1)
        else:
            batch.extend(_json_pieces(item, indent, depth + 1))
        if len(batch) >= _BATCH:
            yield "".join(batch)
            batch = []
    batch += [closing, "}" if is_object else "]"]
    yield "".join(batch)


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


def _mark_cues(claim: Claim, style: Style) -> str:
    """The claim's text with its cue words marked (underlined, or «between guillemets»)."""
    return "".join(
        words if cue is None else f"\x1b[1;4m{words}\x1b[0m" if style.color else f"«{words}»"
        for words, cue in cue_runs(claim.text, claim.start, claim.start, claim.end, claim.cues)
    )


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


def _header(ledger: Ledger, style: Style) -> list[str]:
    src = ledger.document.source
    lines = [f"== {src.url or src.name} =="]
    if not style.claims_only:
        lines.extend(f"{key}: {value}" for key, value in metadata(ledger))
    return lines


def _table_lines(ledger: Ledger, style: Style, width: int) -> Iterator[str]:
    yield from _header(ledger, style)
    claims = ledger.claims
    if not claims:
        yield "(no claims found)"
    source_width = min(28, max(len("SOURCE"), max((len(source_label(c)) for c in claims), default=0)))
    lead = f"{'#':>3}  {'LEVEL':<10}  {'CONF':>4}  {'SOURCE':<{source_width}}  "
    text_width = max(30, width - len(lead))
    if claims:
        yield lead + "CLAIM"
    for number, claim in enumerate(claims, 1):
        level = _paint(f"{claim.level:<10}", _COLOURS[claim.level], style)
        source = textwrap.shorten(source_label(claim), source_width, placeholder="…")
        body = _mark_cues(claim, style) + "".join(f"  [{flag.replace('_', ' ')}]" for flag in claim.flags)
        wrapped = _wrap(body, text_width, style)
        yield f"{number:>3}  {level}  {claim.confidence:>4.2f}  {source:<{source_width}}  {wrapped[0]}"
        yield from (" " * len(lead) + rest for rest in wrapped[1:])
    yield summary_line(ledger)


def _joined(lines: Iterable[str], separator: str = "\n") -> Iterator[str]:
    """``separator.join(lines)`` in pieces of a few hundred lines."""
    batch: list[str] = []
    lead = ""  # the separator before the next piece, once there has been one
    for line in lines:
        batch.append(line)
        if len(batch) >= _BATCH:
            yield lead + separator.join(batch)
            lead, batch = separator, []
    if batch or not lead:
        yield lead + separator.join(batch)


def _wrap(text: str, width: int, style: Style) -> list[str]:
    if style.color:
        return [text]  # escape codes would throw textwrap's widths off; the terminal wraps
    return textwrap.wrap(text, width) or [""]


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


def table_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `table` format, in pieces: per source, a header and one row per claim."""
    width = style.width or shutil.get_terminal_size((100, 24)).columns
    for number, ledger in enumerate(ledgers):
        if number:
            yield "\n\n"
        yield from _joined(_table_lines(ledger, style, width))
    yield "\n"


_MD_SPECIAL = frozenset("\\`*_[]<>|#~!")


def _md(text: str) -> str:
    """Text for a Markdown table cell or heading: punctuation escaped, on one line."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else " " if ch in "\r\n\t" else ch for ch in text)


def _md_claim(claim: Claim) -> str:
    """The claim's text with its cue words in bold."""
    return "".join(
        _md(words) if cue is None else "**" + _md(words) + "**"
        for words, cue in cue_runs(claim.text, claim.start, claim.start, claim.end, claim.cues)
    )


def _markdown_lines(ledger: Ledger, style: Style) -> Iterator[str]:
    src = ledger.document.source
    yield f"## {_md(src.title or src.url or src.name)}"
    yield ""
    if not style.claims_only:
        yield f"- **Source:** {_md(src.url or src.name)}"
        yield from (f"- **{key}:** {_md(str(value))}" for key, value in metadata(ledger) if key != "Title")
        yield ""
    yield f"**{summary_line(ledger)}**"
    yield ""
    if ledger.claims:
        yield "| # | Level | Conf. | Source | Claim |"
        yield "|---:|---|---:|---|---|"
        for number, claim in enumerate(ledger.claims, 1):
            flags = "".join(f" ⚑ {flag.replace('_', ' ')}" for flag in claim.flags)
            yield (
                f"| {number} | {claim.level} | {claim.confidence:.2f} | {_md(source_label(claim))} | "
                f"{_md_claim(claim)}{flags} |"
            )
        yield ""


def markdown_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `markdown` format, in pieces: a section per source, cues in bold."""
    for number, ledger in enumerate(ledgers):
        if number:
            yield "\n"
        yield from _joined(_markdown_lines(ledger, style))


CSV_COLUMNS = (
    "source", "claim_id", "level", "confidence", "hedged", "negated", "check_worthiness",
    "attribution_type", "attribution_name", "attribution_verb", "cues", "flags", "text",
)


def _cell(text: str) -> str:
    """Article text for a spreadsheet cell: on one line, and never read as a formula (a cell
    starting = + - @ gets a leading apostrophe, as spreadsheets themselves do)."""
    flat = " ".join(text.split())
    return "'" + flat if flat[:1] in ("=", "+", "-", "@") else flat


def _bool(value: bool) -> str:
    return "true" if value else "false"


def csv_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `csv` format, in pieces of a few hundred rows: one header row, then every claim."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for ledger in ledgers:
        src = ledger.document.source
        for claim in ledger.claims:
            rows += 1
            if rows % _BATCH == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
            a = claim.attribution
            writer.writerow((
                src.url or src.name, claim.id, claim.level, f"{claim.confidence:.2f}",
                _bool(claim.hedged), _bool(claim.negated), f"{claim.check_worthiness:.2f}",
                a.type, _cell(a.name or ""), a.verb or "",
                _cell("; ".join(f"{cue.text} [{cue.rule}]" for cue in claim.cues)),
                ";".join(claim.flags), _cell(claim.text),
            ))
    yield out.getvalue()


@dataclass(frozen=True)
class Format:
    """A named output format: its renderer (whole, or in pieces), and whether it can print
    ledger by ledger."""

    pieces: PieceRenderer  # the output in pieces, to write one after another
    streams: bool  # True: each ledger can be printed as soon as it is ready

    def render(self, ledgers: Sequence[Ledger], style: Style) -> str:
        """The whole output as one string (the pieces joined)."""
        return "".join(self.pieces(ledgers, style))


def html_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `html` format: one self-contained page (see claimcheck.output.html)."""
    from claimcheck.output.html import report_pieces

    return report_pieces(ledgers, style)


RENDERERS: dict[str, Format] = {
    "table": Format(table_pieces, streams=True),
    "json": Format(json_pieces, streams=False),  # several sources make one array
    "jsonl": Format(jsonl_pieces, streams=True),
    "markdown": Format(markdown_pieces, streams=True),
    "csv": Format(csv_pieces, streams=False),  # one header row, then every source's claims
    "html": Format(html_pieces, streams=False),  # one page, with a table of contents
}


def schema() -> dict:
    """The JSON Schema of one ledger in the json/jsonl formats."""
    from importlib import resources

    return json.loads(resources.files("claimcheck").joinpath("schema/ledger.schema.json").read_text("utf-8"))
