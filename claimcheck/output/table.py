"""The `table` format: per source, a header and one row per claim, for a terminal."""
from __future__ import annotations

import shutil
import textwrap
from typing import Iterator, Sequence

from claimcheck.output.common import (
    ANSI_COLOURS, Style, cue_runs, joined, metadata, source_label, sources_line, summary_line,
)
from claimcheck.printable import printable
from claimcheck.records import Claim, Ledger


def table_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `table` format, in pieces: per source, a header and one row per claim."""
    width = style.width or shutil.get_terminal_size((100, 24)).columns
    for number, ledger in enumerate(ledgers):
        if number:
            yield "\n\n"
        yield from joined(_table_lines(ledger, style, width))
    yield "\n"


def _paint(text: str, code: str, style: Style) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if style.color and code != "0" else text


def _mark_cues(claim: Claim, style: Style) -> str:
    """The claim's text with its cue words marked (underlined, or «between guillemets»)."""
    return "".join(
        printable(words) if cue is None else f"\x1b[1;4m{printable(words)}\x1b[0m" if style.color
        else f"«{printable(words)}»"
        for words, cue in cue_runs(claim.text, claim.start, claim.start, claim.end, claim.cues)
    )


def _header(ledger: Ledger, style: Style) -> list[str]:
    src = ledger.document.source
    lines = [f"== {printable(src.url or src.name)} =="]
    if not style.claims_only:
        lines.extend(f"{key}: {printable(str(value))}" for key, value in metadata(ledger))
    return lines


def _table_lines(ledger: Ledger, style: Style, width: int) -> Iterator[str]:
    yield from _header(ledger, style)
    claims = ledger.claims
    if not claims:
        yield "(no claims found)"
    labels = [printable(source_label(c)) for c in claims]
    source_width = min(28, max(len("SOURCE"), max((len(label) for label in labels), default=0)))
    lead = f"{'#':>3}  {'LEVEL':<10}  {'CONF':>4}  {'SOURCE':<{source_width}}  "
    text_width = max(30, width - len(lead))
    if claims:
        yield lead + "CLAIM"
    for number, (claim, label) in enumerate(zip(claims, labels), 1):
        level = _paint(f"{claim.level:<10}", ANSI_COLOURS[claim.level], style)
        source = label if _fits(label, source_width) else textwrap.shorten(label, source_width, placeholder="…")
        body = _mark_cues(claim, style) + "".join(f"  [{flag.replace('_', ' ')}]" for flag in claim.flags)
        wrapped = _wrap(body, text_width, style)
        yield f"{number:>3}  {level}  {claim.confidence:>4.2f}  {source:<{source_width}}  {wrapped[0]}"
        yield from (" " * len(lead) + rest for rest in wrapped[1:])
    yield summary_line(ledger)
    if ledger.sources:
        yield from _wrap(printable(sources_line(ledger)), width, style)


def _wrap(text: str, width: int, style: Style) -> list[str]:
    if style.color:
        return [text]  # escape codes would throw textwrap's widths off; the terminal wraps
    if len(text) <= width and not text.endswith(" ") and not _WRAP_CHANGES.intersection(text):
        return [text]  # what wrap would return, without its cost (a table of 200,000 short claims)
    return textwrap.wrap(text, width) or [""]


_WRAP_CHANGES = frozenset("\t\n\x0b\x0c\r")  # what textwrap turns into spaces


def _fits(label: str, width: int) -> bool:
    """Whether textwrap.shorten would give label back unchanged."""
    return len(label) <= width and label == " ".join(label.split())
