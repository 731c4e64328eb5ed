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

from html import escape
from typing import Iterable, Iterator, Sequence

from claimcheck import __version__
from claimcheck.records import Block, Claim, Ledger
from claimcheck.output import _joined, cue_runs, summary_line
from claimcheck.vocabulary import BANDS, LEVELS

# Colour (text, bars, borders) and tint (highlight background) per level.
COLOURS = {
    "confirmed": ("#1b7a2f", "#dcf1df"),
    "asserted": ("#5f6b76", "#e9ecef"),
    "reported": ("#00777f", "#d5f0f2"),
    "likely": ("#a85d00", "#fde6c8"),
    "possible": ("#8a7300", "#fbf3b5"),
    "unverified": ("#8a2aa0", "#f2dcf7"),
    "unclear": ("#1f5fbf", "#dbe7fb"),
    "disputed": ("#c0262d", "#fbd9da"),
}

MEANINGS = {
    "confirmed": "a named source confirms it on the record, or a document shows it",
    "asserted": "the writer states it as fact, unhedged and unattributed",
    "reported": "attributed to a named source with a neutral verb",
    "likely": "hedged as probable",
    "possible": "hedged as possible or conditional",
    "unverified": "anonymous or unconfirmed sourcing, or a gap in the evidence",
    "unclear": "explicitly unknown",
    "disputed": "a party denies or contests it",
}

_BLOCK_TAGS = {
    "heading": ("h3", ""),
    "quote": ("blockquote", ""),
    "list_item": ("p", ' class="li"'),
    "caption": ("p", ' class="caption"'),
    "preformatted": ("pre", ""),
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def report_pieces(ledgers: Sequence[Ledger], style) -> Iterator[str]:
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
        yield from _joined(_article_parts(ledger, title, f"s{number}", style))
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
        f"<span class=\"meaning\">{_e(MEANINGS[level])}</span></li>"
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
        colour = COLOURS[level][0]
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


def _article_parts(ledger: Ledger, title: str, anchor: str, style) -> Iterator[str]:
    numbers = {claim.id: i for i, claim in enumerate(ledger.claims, 1)}
    parts = [
        f'<article class="source" id="{anchor}">',
        '<header class="source-head">',
        f"<h2>{_e(title)}</h2>",
        _meta(ledger),
        f'<p class="summary">{_e(summary_line(ledger))}</p>',
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
    from claimcheck.output import source_label

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
    from claimcheck.output import source_label

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


def _css() -> str:
    levels = "".join(
        f".lv-{level}{{--c:{fg};--bg:{bg}}}" for level, (fg, bg) in COLOURS.items()
    )
    return levels + """
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem 1.25rem 3rem;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2125;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;margin:1.6rem 0 .4rem}h3{font-size:1.1rem}
.sub{color:#5f6b76;margin:0}
.legend ul{list-style:none;padding:0;margin:.4rem 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.2rem 1.2rem}
.legend li{font-size:.92rem}
.swatch{display:inline-block;width:1em;height:1em;vertical-align:-.15em;border-radius:3px;background:var(--bg);border:2px solid var(--c);margin-right:.3em}
.band{color:#5f6b76;font-variant-numeric:tabular-nums;font-size:.85em}
.meaning{display:block;color:#3d454d;font-size:.88em;margin-left:1.5em}
.legend p{font-size:.9rem;color:#3d454d}
.toc ol{padding-left:1.4rem}.toc li{margin:.2rem 0}.count{color:#5f6b76;font-size:.9em}
.pill{display:inline-block;min-width:1.5em;padding:0 .35em;border-radius:1em;background:var(--bg);color:var(--c);border:1px solid var(--c);font-size:.78em;text-align:center;margin-left:.15em}
article.source{border-top:3px solid #1d2125;margin-top:2rem;padding-top:.5rem}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.1rem 1rem;margin:.5rem 0;font-size:.9rem}
.meta div{display:flex;gap:.5em;min-width:0}.meta dt{font-weight:600;color:#5f6b76}.meta dd{margin:0;overflow-wrap:anywhere}
.summary{font-weight:600}
figure.chart{margin:.6rem 0 1rem}
svg.bars{width:100%;max-width:32rem;height:auto;font:13px system-ui,sans-serif}
svg.bars text{fill:#1d2125}svg.bars .n{font-weight:600}
.text{margin:1rem 0}
.text p,.text blockquote,.text h3{white-space:pre-line}
.text blockquote{border-left:4px solid #ccd2d8;margin:0 0 1rem;padding-left:1rem;color:#3d454d}
.text .caption{font-size:.9em;color:#5f6b76}.text .li::before{content:"• "}
mark.claim{position:relative;background:var(--bg);color:inherit;border-bottom:2px solid var(--c);padding:.05em .1em;border-radius:2px;-webkit-box-decoration-break:clone;box-decoration-break:clone;cursor:help}
mark.claim::before{content:attr(data-n);font-size:.68em;font-weight:700;color:var(--c);vertical-align:super;margin-right:.2em}
mark.claim.flagged{outline:2px dashed var(--c);outline-offset:1px}
mark.claim:focus{outline:3px solid var(--c);outline-offset:2px}
mark.claim:hover::after,mark.claim:focus::after{content:attr(data-tip);position:absolute;left:0;top:100%;z-index:10;margin-top:.35rem;width:max-content;max-width:min(22rem,85vw);white-space:pre-line;background:#1d2125;color:#fff;font-size:.8rem;line-height:1.4;padding:.45rem .6rem;border-radius:6px;border-left:6px solid var(--c);box-shadow:0 3px 10px rgba(0,0,0,.25)}
u.cue{text-decoration:underline 2px;text-decoration-color:var(--c,#1d2125);text-underline-offset:.18em;font-weight:600}
.claims .scroll{overflow-x:auto}
.claims table{border-collapse:collapse;width:100%;font-size:.88rem}
.claims th,.claims td{border-bottom:1px solid #dfe3e7;padding:.35rem .45rem;text-align:left;vertical-align:top}
.claims th{background:#f4f6f8}.claims td.num{font-variant-numeric:tabular-nums}
.claims tr{border-left:4px solid var(--c)}
.badge{display:inline-block;padding:0 .45em;border-radius:4px;background:var(--bg);color:var(--c);border:1px solid var(--c);font-weight:600;font-size:.85em}
.flag{display:inline-block;margin-left:.3em;padding:0 .4em;border-radius:4px;background:#fff3cd;border:1px solid #a85d00;color:#7a4400;font-size:.8em}
code{font-size:.85em;color:#5f6b76}
@media (max-width:40rem){
body{padding:.6rem .8rem 2rem;font-size:15px}
.claims thead{display:none}
.claims table,.claims tbody,.claims tr,.claims td{display:block;width:100%}
.claims tr{margin-bottom:.6rem;border:1px solid #dfe3e7;border-left:4px solid var(--c)}
.claims td{border:0;padding:.15rem .5rem}
.claims td::before{content:attr(data-label) ": ";font-weight:600;color:#5f6b76}
}
@media print{
body{max-width:none;padding:0;font-size:10.5pt;color:#000}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
mark.claim::after{display:none!important}
mark.claim{cursor:auto}
article.source{break-before:page;border-top:0}
.toc a,.meta a{color:#000;text-decoration:none}
.claims tr,figure.chart,.legend li{break-inside:avoid}
.claims .scroll{overflow:visible}
h2,h3{break-after:avoid}
}
"""
