"""The article as typed blocks: the scored elements written in reading order, page furniture
left out; and the fallbacks when no element scores (loose text blocks, the page's articleBody)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag

from claimcheck.sources.html.metadata import BY_PREFIX, split_names
from claimcheck.sources.html.parse import SKIP_STRINGS
from claimcheck.sources.html.score import (
    BLOCK_TAGS, HEADINGS, Scorer, Stats, class_weight, class_words, link_density, peers, top_candidate,
    with_siblings,
)

_TEXT_BLOCKS = frozenset(("p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "pre", "h1", "h2", "h3", "h4", "h5", "h6"))
_WS = re.compile(r"\s+")
# Short blocks that are page furniture in any article (labels, calls to action).
_FURNITURE = re.compile(
    r"^(?:advert|advertisement|text size|order reprints?|print article|print this (?:article|page)"
    r"|this (?:slideshow|video|content|feature) requires javascript\.?|advertisement\s*-\s*continue reading below|story continues below(?: advertisement)?"
    r"|continue reading(?: below)?|read more|related(?: articles| stories| content| coverage)?:?|share(?: this)?"
    r"(?: article| story)?|skip (?:to|ad)\b.*|sign up\b.*|subscribe\b.*|follow us\b.*|click here\b.*"
    r"|image(?:s)?:.*|photo:.*|getty images|loading\.*|comments?|tweet|email|print|facebook|twitter|linkedin"
    r"|whatsapp|pinterest|reddit|copy link|\(?ap\)?|close|(?:image|photo|slide) \d+ (?:of|/) \d+)$",
    re.IGNORECASE,
)



@dataclass
class _Piece:
    kind: str
    text: str
    links: int


class _BlockWriter:
    """Walks the chosen elements in document order and writes typed blocks."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.pieces: list[_Piece] = []
        self._buf: list[str] = []
        self._links = 0

    def write(self, node: Tag, kind: str = "paragraph") -> None:
        """Write ``node``'s text as blocks; ``kind`` is what loose text inside it becomes."""
        name = node.name
        if name in HEADINGS:
            kind = "heading"
        elif name == "li" or name == "dd" or name == "dt":
            kind = "list_item" if kind != "quote" else kind
        elif name == "blockquote" or name == "q" and kind == "paragraph":
            kind = "quote"
        elif name == "figcaption" or name == "caption" or _is_caption(node):
            kind = "caption"
        elif name == "pre":
            kind = "preformatted"
        self._flush(kind)
        self._children(node, kind)
        self._flush(kind)

    def _children(self, node: Tag, kind: str) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) not in SKIP_STRINGS:
                    self._buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if id(child) in self.scorer.removed:
                if name in BLOCK_TAGS:
                    self._flush(kind)  # gone from the text, but it still ended the line before it
                continue
            if name == "br":
                self._buf.append("\n")
                continue
            if name == "time" and node.name in BLOCK_TAGS and node.name not in _TEXT_BLOCKS:
                continue  # a date standing alone is the dateline, which the metadata holds
            st = self.scorer.stats.get(id(child))
            if st is None:
                continue
            if name not in BLOCK_TAGS and not st.has_block:
                self._inline(child)
                continue
            self._flush(kind)  # a block ends the line before it, even one that is left out or empty
            if self._keep(child, st, kind):
                self.write(child, kind)

    def _inline(self, node: Tag) -> None:
        start = len(self._buf)
        for piece in node.descendants:
            if isinstance(piece, NavigableString):
                if type(piece) not in SKIP_STRINGS and not _inside_removed(piece, node, self.scorer.removed):
                    self._buf.append(str(piece))
            elif piece.name == "br":
                self._buf.append("\n")
        if node.name == "a" or self.scorer.stats[id(node)].links:
            linked = sum(len(s.strip()) for s in self._buf[start:])
            self._links += linked if node.name == "a" else self.scorer.stats[id(node)].links

    def _keep(self, node: Tag, st: Stats, kind: str) -> bool:
        """Conditional cleaning: drop link lists, promos and empty shells inside the article."""
        if st.text == 0:
            return False
        name = node.name
        if name in HEADINGS:
            return link_density(st) < 0.5 and class_weight(node) >= 0
        if name in ("p", "blockquote", "pre", "figcaption", "li", "dd", "dt", "td", "th", "tr"):
            return True
        weight = class_weight(node)
        density = link_density(st)
        if weight < 0 and st.text < 400:
            return False
        if name in ("ul", "ol", "dl"):
            # Lists of links (related stories, tags) versus a bulleted point list in the story.
            return density < 0.5 or st.text / max(st.list_items, 1) > 120
        if st.commas >= 10:
            return True
        if weight < 25 and density > 0.33 and st.text < 1000:
            return False
        if density > 0.6:
            return False
        if st.list_items > st.paragraphs * 2 + 2 and density > 0.2:
            return False
        return True

    def _flush(self, kind: str) -> None:
        if not self._buf:
            return
        raw = "".join(self._buf)
        links = self._links
        self._buf = []
        self._links = 0
        # Two or more line breaks separate paragraphs in hand-written HTML.
        parts = re.split(r"\n\s*\n", raw) if kind != "preformatted" else [raw]
        for part in parts:
            text = _WS.sub(" ", part).strip()
            if text:
                self.pieces.append(_Piece(kind, text, links if len(parts) == 1 else 0))


_CAPTION = class_words("credit|credits", "caption|image-?credit|photo-?credit")


def _is_caption(node: Tag) -> bool:
    classes = node.get("class")
    return bool(classes) and bool(_CAPTION.search(classes))


def _inside_removed(piece: NavigableString, stop: Tag, removed: set[int]) -> bool:
    if not removed:
        return False
    parent = piece.parent
    while parent is not None and parent is not stop:
        if id(parent) in removed:
            return True
        parent = parent.parent
    return False


def _clean_pieces(pieces: list[_Piece], title: Optional[str]) -> list[_Piece]:
    """Drop furniture lines and near-pure link lines left inside the article container."""
    kept: list[_Piece] = []
    seen: set[str] = set()
    for piece in pieces:
        text = piece.text
        if _FURNITURE.match(text):
            continue
        if piece.kind != "heading" and piece.links and piece.links >= 0.6 * len(text) and len(text) < 300:
            continue
        key = text.casefold()
        if title and key == title.casefold():
            continue  # the headline is put first from the metadata
        if len(text) < 100 and BY_PREFIX.match(text) and text[:2] in ("By", "BY") and split_names(text.rstrip(" -|·•")):
            continue  # the byline: its names are in the metadata
        if key in seen:
            continue
        seen.add(key)
        kept.append(piece)
    while kept and kept[-1].kind == "heading":
        kept.pop()
    return kept


def extract_blocks(soup: BeautifulSoup, title: Optional[str] = None) -> list[tuple[str, str]]:
    """The article body as (kind, text) pairs in reading order; [] when no article is found."""
    root = soup.body or soup
    scorer = Scorer()
    scorer.run(root)
    top = top_candidate(scorer)
    if top is None:
        return []
    writer = _BlockWriter(scorer)
    for node in peers(top, with_siblings(top, scorer), scorer):
        if node.name == "p" or node is top:
            writer.write(node, "paragraph")
        elif writer._keep(node, scorer.stats[id(node)], "paragraph"):
            writer.write(node, "paragraph")
    return [(p.kind, p.text) for p in _clean_pieces(writer.pieces, title)]


_LOOSE_KINDS = {"p": "paragraph", "blockquote": "quote", "li": "list_item", "pre": "preformatted", "figcaption": "caption"}
_LOOSE_KINDS.update({f"h{i}": "heading" for i in range(1, 7)})
_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "menu", "script", "noscript"})


def loose_blocks(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """Every text block outside page chrome: for fragments and short pages no article scores on."""
    pieces = []
    for node in soup.find_all(list(_LOOSE_KINDS)):
        if any(parent.name in _CHROME or parent.name in _LOOSE_KINDS for parent in node.parents):
            continue
        text = _WS.sub(" ", node.get_text(" ")).strip()
        if len(text.split()) >= 3:
            pieces.append((_LOOSE_KINDS[node.name], text))
    return pieces


def blocks_from_body(body: str) -> list[tuple[str, str]]:
    """Paragraphs of a plain-text articleBody, one per line."""
    return [("paragraph", _WS.sub(" ", part).strip()) for part in re.split(r"\n\s*\n|\n", body) if part.strip()]
