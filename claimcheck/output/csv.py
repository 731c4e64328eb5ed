"""The `csv` format: one header row, then every claim of every source, for a spreadsheet."""
from __future__ import annotations

import csv
import io
from typing import Iterator, Sequence

from claimcheck.output import common
from claimcheck.output.common import Style
from claimcheck.records import Attribution, Ledger

CSV_COLUMNS = (
    "source", "claim_id", "level", "confidence", "hedged", "negated", "check_worthiness",
    "attribution_type", "attribution_name", "attribution_verb", "speaker", "cues", "flags", "text",
)


def csv_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `csv` format, in pieces of a few hundred rows: one header row, then every claim."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    batch = common.BATCH
    for ledger in ledgers:
        src = ledger.document.source
        for claim in ledger.claims:
            rows += 1
            if rows % batch == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
            a = claim.attribution
            writer.writerow((
                _guarded(src.url or src.name), claim.id, claim.level, f"{claim.confidence:.2f}",
                _bool(claim.hedged), _bool(claim.negated), f"{claim.check_worthiness:.2f}",
                a.type, _cell(a.name or ""), _guarded(a.verb or ""), _cell(_speaker(a)),
                _cell("; ".join(f"{cue.text} [{cue.rule}]" for cue in claim.cues)),
                ";".join(claim.flags), _cell(claim.text),
            ))
    yield out.getvalue()


# What makes a spreadsheet read a cell as a formula, in ASCII or full width (some read both).
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")


def _cell(text: str) -> str:
    """Article text for a spreadsheet cell: on one line, and never read as a formula."""
    return _guarded(" ".join(text.split()))


def _guarded(text: str) -> str:
    """text, with a leading apostrophe (as spreadsheets themselves add) when a spreadsheet
    would read it as a formula: it starts with = + - @ (or their full-width forms), after any
    whitespace, which some spreadsheets skip."""
    return "'" + text if text.lstrip()[:1] in _FORMULA_STARTS else text


def _speaker(attribution: Attribution) -> str:
    """Whose words the claim is: the full name when known, else as written; empty for the
    writer's own claims and for quotations whose speaker is not found."""
    if attribution.type in ("author", "unknown"):
        return ""
    return attribution.resolved or attribution.name or ""


def _bool(value: bool) -> str:
    return "true" if value else "false"
