"""Markup to a tree: cut what no reader sees, cap hostile nesting, parse with lxml.

Also the few facts about the tree every reader of it shares (which strings are not text, an
element's class and id as one string).
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

# Strings in the tree that are not text a reader sees.
SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def attr_text(node: Tag) -> str:
    """An element's class and id as one string, for the class-word patterns."""
    return f"{node.get('class') or ''} {node.get('id') or ''}"


# Markup no reader sees and no extractor reads: cut before parsing, as bs4 pays per node.
# JSON-LD scripts stay (metadata lives there).
_NEVER_READ = re.compile(
    r"<(svg|style|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->"
    r"|<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>",
    re.DOTALL | re.IGNORECASE,
)


# Real pages nest a few dozen levels; a hostile page nests 100,000. Beyond this depth, tags are
# dropped before parsing (their text stays), so that every walk of the tree stays shallow.
MAX_DEPTH = 200
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>")
# Void and self-closing-in-practice elements never nest; counting them would drift the depth.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option".split()
)


def parse_html(html: str) -> BeautifulSoup:
    """Parse with lxml; class and rel stay plain strings (splitting them costs time, buys nothing)."""
    html = _NEVER_READ.sub("", html)
    if html.count("<") > 2 * MAX_DEPTH:
        html = _cap_nesting(html, MAX_DEPTH)
    return BeautifulSoup(html, "lxml", multi_valued_attributes=None)


def _cap_nesting(html: str, limit: int) -> str:
    """Drop the tags that would nest deeper than limit, keeping everything between them."""
    depth = 0

    def visit(m: re.Match) -> str:
        nonlocal depth
        name = m.group(2).lower()
        if name in _NOT_NESTING or m.group(0).endswith("/>"):
            return m.group(0)
        if m.group(1):  # a closing tag
            depth = max(0, depth - 1)
            return m.group(0) if depth < limit else ""
        depth += 1
        return m.group(0) if depth <= limit else ""

    return _TAG.sub(visit, html)
