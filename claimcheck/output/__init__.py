"""The last stage: render ledgers as text. Formats register by name in RENDERERS.

Each format lives in a module of its own (table, json, markdown, csv, html), built on the
helpers of ``common``; this module only names them and chooses the claims to show (View).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator, Optional, Sequence

from claimcheck.output.common import Style, level_counts
from claimcheck.output.csv import CSV_COLUMNS, csv_pieces
from claimcheck.output.json import SCHEMA_VERSION, json_pieces, jsonl_pieces, ledger_to_dict, schema
from claimcheck.output.markdown import markdown_pieces
from claimcheck.output.table import table_pieces
from claimcheck.records import Ledger

__all__ = [
    "CSV_COLUMNS", "RENDERERS", "SCHEMA_VERSION", "Format", "PieceRenderer", "Renderer", "Style", "View",
    "ledger_to_dict", "level_counts", "schema",
]

Renderer = Callable[[Sequence[Ledger], Style], str]
# The same output in pieces, in order: joined, they are exactly what the Renderer returns. A
# long ledger is written piece by piece, never held whole as one string.
PieceRenderer = Callable[[Sequence[Ledger], Style], Iterator[str]]


@dataclass(frozen=True)
class View:
    """Which claims to show and in what order (--sort, --only, --min-confidence).

    The view narrows ``claims`` only: the summary still counts every claim."""

    sort_by: str = "text"  # text order, or "worth" / "confidence": highest first
    only: Optional[frozenset] = None  # levels to show; None: all
    min_confidence: Optional[float] = None

    def apply(self, ledger: Ledger) -> Ledger:
        """The ledger with only the claims to show, in the order to show them."""
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
    # Imported on first use: the report is the largest renderer, and most runs print another format.
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
