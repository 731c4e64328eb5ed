"""HTML to Document: find the article the way a reader sees it, and what the page says about itself.

Two parts, each usable on its own:

* ``read_metadata`` reads title, authors, dates, site, language, description and canonical URL
  from JSON-LD, OpenGraph and other meta tags, ``<time>`` and bylines;
* ``document_from_html`` finds the article body with a content-scoring extractor in the
  readability family and returns it as ordered, typed blocks.
"""
from __future__ import annotations

from dataclasses import replace

from claimcheck.records import Block, Document, SourceInfo
from claimcheck.sources.html.body import blocks_from_body, loose_blocks, extract_blocks
from claimcheck.sources.html.metadata import Metadata, byline_authors, parse_date, read_metadata, split_names
from claimcheck.sources.html.parse import MAX_DEPTH, parse_html

__all__ = [
    "MAX_DEPTH", "Metadata", "byline_authors", "document_from_html", "extract_blocks", "parse_date", "parse_html",
    "read_metadata", "split_names",
]


def document_from_html(html: str, info: SourceInfo) -> Document:
    """Extract the article as typed blocks plus the page's metadata; empty text when none is found."""
    soup = parse_html(html)
    meta = read_metadata(soup, info.final_url or info.url)
    pieces = extract_blocks(soup, meta.title) or loose_blocks(soup)
    body_chars = sum(len(t) for _, t in pieces)
    # The page's own articleBody is the fallback when the markup yields (almost) nothing.
    if meta.article_body and body_chars < 0.3 * len(meta.article_body):
        pieces = blocks_from_body(meta.article_body)
    if pieces and meta.title:
        pieces.insert(0, ("heading", meta.title))
    text, blocks = _assemble(pieces)
    source = replace(
        info,
        title=meta.title or info.title,
        authors=meta.authors or info.authors,
        published=meta.published or info.published,
        modified=meta.modified or info.modified,
        site=meta.site or info.site,
        language=meta.language or info.language,
        description=meta.description or info.description,
        canonical_url=meta.canonical_url or info.canonical_url,
    )
    return Document(text=text, blocks=blocks, source=source)


def _assemble(pieces: list[tuple[str, str]]) -> tuple[str, tuple[Block, ...]]:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for kind, text in pieces:
        if parts:
            offset += 2
        blocks.append(Block(offset, offset + len(text), kind))
        parts.append(text)
        offset += len(text)
    return "\n\n".join(parts), tuple(blocks)
