"""The HTML report: one self-contained page a person reads (``-f html``).

No external assets (the style sheet and the charts are inline, nothing is fetched), so the page
works offline and can be mailed or attached. Each article is shown with every claim highlighted
in its level's colour, cue words underlined, and a tooltip (hover, or tap on a phone) with the
level, confidence, source and the rules that fired; a legend, a bar chart of claims per level
(inline SVG), the page's metadata, and a table of the claims. Several sources make one page with
a table of contents. Readable on a phone (responsive CSS) and on paper (@media print).

Every piece of text from an article or its page is untrusted and is escaped: a ``<script>`` in
an article shows as text.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib import resources
from typing import Iterable, Iterator, Sequence

from claimcheck.output.common import HEX_COLOURS, Style, cue_runs, joined, source_label, sources_line, summary_line
from claimcheck.version import __version__
from claimcheck.records import Block, Claim, Ledger
from claimcheck.vocabulary import BANDS, LEVELS, LEVEL_MEANINGS

_BLOCK_TAGS = {
    "heading": ("h3", ""),
    "quote": ("blockquote", ""),
    "list_item": ("p", ' class="li"'),
    "caption": ("p", ' class="caption"'),
    "preformatted": ("pre", ""),
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def report_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The page in pieces (a source's article a few hundred blocks at a time)."""
    several = len(ledgers) > 1
    titles = [_title(lg) for lg in ledgers]
    head_title = "Claim ledger" + ("" if several else f": {titles[0]}" if ledgers else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="claimcheck {_e(__version__)}">',
        f"<title>{_e(head_title)}</title>",
        f"<style>{_css()}</style>",
        "</head>",
        "<body>",
        '<header class="report-head">',
        f"<h1>{_e(head_title)}</h1>",
        f'<p class="sub">claimcheck {_e(__version__)} · {len(ledgers)} source{"s" if several else ""} · '
        f"{_count_phrase(_total(lg.summary for lg in ledgers))}</p>",
        "</header>",
    ]
    if several:
        parts.append(_contents(ledgers, titles))
    parts.append(_legend())
    yield "\n".join(parts)
    for number, (ledger, title) in enumerate(zip(ledgers, titles), 1):
        yield "\n"
        yield from joined(_article_parts(ledger, title, f"s{number}", style))
    yield "\n" + "\n".join(["</body>", "</html>", ""])


def _title(ledger: Ledger) -> str:
    src = ledger.document.source
    return src.title or src.url or src.name


def _total(summaries: Iterable[dict]) -> dict:
    total = {level: 0 for level in LEVELS}
    for summary in summaries:
        for level in LEVELS:
            total[level] += summary.get(level, 0)
    return total


def _count_phrase(summary: dict) -> str:
    n = sum(summary.values())
    return f"{n} claim{'s' if n != 1 else ''}"


def _contents(ledgers: Sequence[Ledger], titles: Sequence[str]) -> str:
    rows = []
    for number, (ledger, title) in enumerate(zip(ledgers, titles), 1):
        dots = "".join(
            f'<span class="pill lv-{level}" title="{n} {level}">{n}</span>'
            for level in LEVELS
            if (n := ledger.summary.get(level, 0))
        )
        rows.append(
            f'<li><a href="#s{number}">{_e(title)}</a> <span class="count">{_count_phrase(ledger.summary)}</span> {dots}</li>'
        )
    total = _total(lg.summary for lg in ledgers)
    return (
        '<nav class="toc" aria-label="Contents"><h2>Contents</h2>'
        f'<ol>{"".join(rows)}</ol>'
        f'<figure class="chart">{_chart(total, "All sources: claims per level")}</figure></nav>'
    )


def _legend() -> str:
    items = "".join(
        f'<li><span class="swatch lv-{level}" aria-hidden="true"></span><b>{level}</b> '
        f'<span class="band">{BANDS[level][0]:.2f}–{BANDS[level][1]:.2f}</span> '
        f"<span class=\"meaning\">{_e(LEVEL_MEANINGS[level])}</span></li>"
        for level in LEVELS
    )
    return (
        '<section class="legend" id="legend" aria-label="Legend"><h2>Legend</h2>'
        f"<ul>{items}</ul>"
        '<p>Each claim is highlighted in its level\'s colour; <u class="cue">underlined words</u> are the cues '
        "that decided its level. Hover over a claim (or tap it) for its level, confidence, source and "
        "the rules that fired; the table after each article lists the same.</p></section>"
    )


def _chart(summary: dict, label: str) -> str:
    """A horizontal bar chart of claims per level, as inline SVG."""
    row, label_w, bar_w = 24, 92, 300
    most = max(1, max(summary.get(level, 0) for level in LEVELS))
    height = row * len(LEVELS) + 4
    bars = []
    for i, level in enumerate(LEVELS):
        n = summary.get(level, 0)
        y = 2 + i * row
        width = round(bar_w * n / most, 1)
        colour = HEX_COLOURS[level][0]
        bars.append(
            f'<g class="bar" data-level="{level}"><title>{n} {level}</title>'
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{level}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(width, 0.0)}" height="{row - 8}" rx="3" fill="{colour}"></rect>'
            f'<text x="{label_w + width + 6}" y="{y + 16}" class="n">{n}</text></g>'
        )
    return (
        f'<svg class="bars" role="img" aria-label="{_e(label)}" viewBox="0 0 {label_w + bar_w + 40} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(label)}</title>{"".join(bars)}</svg>'
    )


def _meta(ledger: Ledger) -> str:
    src = ledger.document.source
    where = src.url or src.name
    link = (
        f'<a href="{_e(where)}" rel="noopener noreferrer">{_e(where)}</a>'
        if where.lower().startswith(("http://", "https://"))
        else _e(where)
    )
    facts = [
        ("Source", link, True),
        ("Final URL", src.final_url if src.final_url and src.final_url != src.url else None, False),
        ("By", ", ".join(src.authors) if src.authors else None, False),
        ("Published", src.published, False),
        ("Modified", src.modified, False),
        ("Site", src.site, False),
        ("Language", src.language, False),
        ("Fetched", src.fetched_at, False),
        ("Description", src.description, False),
    ]
    rows = "".join(
        f"<div><dt>{key}</dt><dd>{value if trusted else _e(value)}</dd></div>" for key, value, trusted in facts if value
    )
    return f'<dl class="meta">{rows}</dl>'


def _article_parts(ledger: Ledger, title: str, anchor: str, style: Style) -> Iterator[str]:
    numbers = {claim.id: i for i, claim in enumerate(ledger.claims, 1)}
    parts = [
        f'<article class="source" id="{anchor}">',
        '<header class="source-head">',
        f"<h2>{_e(title)}</h2>",
        _meta(ledger),
        f'<p class="summary">{_e(summary_line(ledger))}</p>',
        f'<p class="sources">{_e(sources_line(ledger))}</p>' if ledger.sources else "",
        "</header>",
        f'<figure class="chart">{_chart(ledger.summary, f"{title}: claims per level")}</figure>',
    ]
    yield from parts
    if not style.claims_only:
        yield '<section class="text" aria-label="Article">'
        yield from _blocks(ledger, numbers, anchor)
        yield "</section>"
    yield _claims_table(ledger, anchor)
    yield "</article>"


def _tip(claim: Claim) -> str:
    lines = [f"{claim.level} · confidence {claim.confidence:.2f}", f"source: {source_label(claim)}"]
    rules = sorted({cue.rule for cue in claim.cues})
    lines.append("rules: " + (", ".join(rules) if rules else "none (unhedged, unattributed)"))
    if claim.flags:
        lines.append("flags: " + ", ".join(flag.replace("_", " ") for flag in claim.flags))
    return "\n".join(lines)


def _blocks(ledger: Ledger, numbers: dict[str, int], anchor: str) -> Iterator[str]:
    text = ledger.document.text
    blocks = ledger.document.blocks or (Block(0, len(text)),)
    claims = sorted(ledger.claims, key=lambda c: c.start)
    # Blocks in text order (the usual case) are swept once: the claims that have begun before
    # a block ends, less those that ended before an earlier block began, are the same claims,
    # in the same order, as a search of every claim for each block would give.
    ordered = all(a.start <= b.start and a.end <= b.end for a, b in zip(blocks, blocks[1:]))
    begun = 0  # claims[:begun] start before the current block ends
    reaching: list[Claim] = []  # of those, the ones that may still reach the current block
    for block in blocks:
        tag, attrs = _BLOCK_TAGS.get(block.kind, ("p", ""))
        if ordered:
            while begun < len(claims) and claims[begun].start < block.end:
                reaching.append(claims[begun])
                begun += 1
            reaching = inside = [c for c in reaching if c.end > block.start]
        else:
            inside = [c for c in claims if c.start < block.end and c.end > block.start]
        yield f"<{tag}{attrs}>{_annotate(text, block.start, block.end, inside, numbers, anchor)}</{tag}>"


def _annotate(text: str, start: int, end: int, claims: Sequence[Claim], numbers: dict[str, int], anchor: str) -> str:
    """The escaped text of [start, end) with each claim in a <mark> and its cues underlined."""
    pieces, pos = [], start
    for claim in claims:
        c_start, c_end = max(claim.start, pos), min(claim.end, end)
        if c_start >= c_end:
            continue  # overlaps one already drawn
        pieces.append(_e(text[pos:c_start]))
        n = numbers[claim.id]
        flagged = " flagged" if claim.flags else ""
        pieces.append(
            f'<mark class="claim lv-{claim.level}{flagged}" id="{anchor}-c{n}" data-n="{n}" data-level="{claim.level}" '
            f'data-claim-id="{_e(claim.id)}" tabindex="0" data-tip="{_e(_tip(claim))}">'
        )
        for words, cue in cue_runs(text, 0, c_start, c_end, claim.cues):
            pieces.append(_e(words) if cue is None else f'<u class="cue" data-rule="{_e(cue.rule)}">{_e(words)}</u>')
        pieces.append("</mark>")
        pos = c_end
    pieces.append(_e(text[pos:end]))
    return "".join(pieces)


def _claims_table(ledger: Ledger, anchor: str) -> str:
    if not ledger.claims:
        return '<p class="none">No claims to show.</p>'
    rows = []
    for n, claim in enumerate(ledger.claims, 1):
        cues = "; ".join(f"<u class=\"cue\">{_e(cue.text)}</u> <code>{_e(cue.rule)}</code>" for cue in claim.cues)
        flags = "".join(f' <span class="flag">{_e(flag.replace("_", " "))}</span>' for flag in claim.flags)
        rows.append(
            f'<tr class="lv-{claim.level}" id="{anchor}-row{n}">'
            f'<td data-label="#"><a href="#{anchor}-c{n}">{n}</a></td>'
            f'<td data-label="Level"><span class="badge lv-{claim.level}">{claim.level}</span></td>'
            f'<td data-label="Confidence" class="num">{claim.confidence:.2f}</td>'
            f'<td data-label="Source">{_e(source_label(claim))}</td>'
            f'<td data-label="Cues and rules">{cues or "—"}</td>'
            f'<td data-label="Claim">{_e(claim.text)}{flags}</td></tr>'
        )
    return (
        '<section class="claims" aria-label="Claims"><h3>Claims</h3><div class="scroll"><table>'
        "<thead><tr><th>#</th><th>Level</th><th>Conf.</th><th>Source</th><th>Cues and rules</th><th>Claim</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


@lru_cache(maxsize=1)
def _css() -> str:
    """The page's style sheet: a colour pair per level, then report.css (package data)."""
    levels = "".join(
        f".lv-{level}{{--c:{fg};--bg:{bg}}}" for level, (fg, bg) in HEX_COLOURS.items()
    )
    return levels + "\n" + resources.files("claimcheck.output").joinpath("report.css").read_text("utf-8")
