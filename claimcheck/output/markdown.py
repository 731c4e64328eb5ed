"""The `markdown` format: a section per source, a table of its claims, cue words in bold."""
from __future__ import annotations

from typing import Iterator, Sequence

from claimcheck.output.common import Style, cue_runs, joined, metadata, source_label, sources_line, summary_line
from claimcheck.printable import printable
from claimcheck.records import Claim, Ledger

_MD_SPECIAL = frozenset("\\`*_[]<>|#~!")


def markdown_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `markdown` format, in pieces: a section per source, cues in bold."""
    for number, ledger in enumerate(ledgers):
        if number:
            yield "\n"
        yield from joined(_markdown_lines(ledger, style))


def _md(text: str) -> str:
    """Text for a Markdown table cell or heading: punctuation escaped, on one line."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in printable(text))


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
    if ledger.sources:
        yield ""
        yield _md(sources_line(ledger))
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
