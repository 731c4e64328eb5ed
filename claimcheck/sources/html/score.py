"""Which element holds the article: a content-scoring pass in the readability family.

One bottom-up walk prunes junk and furniture, counts text and links per element and credits
each paragraph to its ancestors. The best-scoring candidate (moved up to a wrapper or a parent
that scores better), with the siblings and same-class peers that read as more of the story, is
the article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bs4 import NavigableString, Tag

from claimcheck.sources.html.parse import SKIP_STRINGS, attr_text

# Never article text, whatever their class says.
_DROP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed button input select textarea"
    " option nav footer aside dialog menu head link meta map area audio video source track picture"
    " img math applet frame frameset label".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption"
    " figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section"
    " summary table tbody td tfoot th thead tr ul caption".split()
)
_PARAGRAPH_TAGS = frozenset(("p", "pre", "td"))


def class_words(whole: str, prefixes: str = "") -> re.Pattern[str]:
    """A regex for words inside class/id values: 'nav' hits 'main-nav' and 'siteNav', never 'canvas'.

    ``whole`` words must end at a boundary ('ad' never hits 'adjust'); ``prefixes`` may run on
    ('comment' hits 'comments' and 'commentList').
    """
    left = r"(?:^|(?<=[\s_\-])|(?<=[a-z])(?=[A-Z]))"
    right = r"(?=$|[\s_\-A-Z0-9])"
    parts = [f"(?i:{whole}){right}"]
    if prefixes:
        parts.append(f"(?i:{prefixes})")
    return re.compile(left + "(?:" + "|".join(parts) + ")")


# Class/id words of non-article furniture (nav, promos, comments, sharing, consent banners ...).
_NEGATIVE = class_words(
    "ad|ads|adv|banner|foot|footer|menu|nav|navbar|tag|tags|tool|tools|toolbar|widget|widgets|share"
    "|shares|sharing|print|bio|hide|hidden|modal|overlay|masthead|meta|rss|pager|more|extra"
    "|popular|trending|signup|login|topbar|byline|dateline|timestamp|credit|credits",
    "advert|banner|breadcrumb|combx|comment|community|cookie|consent|disqus|gdpr|newsletter"
    "|outbrain|taboola|pagination|promo|related|recirc|recommend|remark|replies|shoutbox|sidebar"
    "|skyscraper|sponsor|subscri|paywall|jumplink|most-?read|sr-only|visually-hidden|share-?bar"
    "|author-?bio|read-?more|more-?stories|also-?read|read-?next|up-?next|popup",
)
_POSITIVE = class_words(
    "main|text|copy|prose|post",
    "article|body|content|entry|hentry|h-entry|story|blog|paragraph|rich-?text|post-?content|main-?content",
)
# Elements matching these are removed before scoring unless they also look like content.
_UNLIKELY = class_words(
    "ad|ads|banner|menu|nav|navbar|foot|footer|share|sharing|rss|pager|extra|popular|trending"
    "|signup|login|topbar|modal|overlay|widget|widgets|tags|tweet-?button|byline|bylines|dateline"
    "|timestamp|author|authors|date|time|published|updated|gallery|slideshow|carousel|lightbox",
    "advert|ai2html|breadcrumb|combx|comment|community|cover-wrap|disqus|gdpr|legends|related|remark"
    "|replies|shoutbox|sidebar|skyscraper|sponsor|supplemental|ad-break|agegate|pagination|popup"
    "|yom-remote|cookie|consent|newsletter|promo|outbrain|taboola|recirc|recommend|subscri"
    "|most-?read|most-?popular|read-?more|more-?stories|also-?read|read-?next|up-?next|jumplink",
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_UNLIKELY_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog", "alert", "search", "alertdialog"))


@dataclass
class Stats:
    """What one element holds, counted once, bottom-up."""

    text: int = 0  # characters of text
    links: int = 0  # characters of text inside <a>
    commas: int = 0
    paragraphs: int = 0
    units: int = 0  # runs of loose text long enough to be a paragraph
    quotes: int = 0  # blockquotes inside (embedded posts are quoted content)
    list_items: int = 0
    has_block: bool = False
    score: float = 0.0
    scored: bool = False
    order: int = 0  # position in document order


class Scorer:
    """One bottom-up pass: prune junk, count text and links, and credit paragraphs to ancestors."""

    def __init__(self) -> None:
        self.stats: dict[int, Stats] = {}
        self.candidates: list[Tag] = []
        self.removed: set[int] = set()
        # (ancestor chain, score) per paragraph; credited only after pruning has settled.
        self._units: list[tuple[list[Tag], float]] = []

    def run(self, root: Tag) -> None:
        """Score every element under ``root``."""
        self._visit(root, [])
        for chain, unit in self._units:
            self._credit(chain, unit)

    def _visit(self, node: Tag, ancestors: list[Tag]) -> Stats:
        st = Stats(order=len(self.stats))
        self.stats[id(node)] = st
        inline_text = 0
        inline_commas = 0
        ancestors.append(node)
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) in SKIP_STRINGS:
                    continue
                n = len(child.strip())
                if n:
                    st.text += n
                    inline_text += n
                    c = child.count(",") + child.count("\uff0c") + child.count("\u3001")
                    st.commas += c
                    inline_commas += c
                continue
            if not isinstance(child, Tag):
                continue
            if _is_junk(child):
                self.removed.add(id(child))
                continue
            mark = len(self._units)
            cst = self._visit(child, ancestors)
            if _is_unlikely(child) and not _holds_article(cst) and not (cst.quotes and _in_body_text(ancestors)):
                # Furniture by its class; its paragraphs must not vote for any ancestor.
                self.removed.add(id(child))
                del self._units[mark:]
                continue
            st.text += cst.text
            st.links += cst.text if child.name == "a" else cst.links
            st.commas += cst.commas
            st.paragraphs += cst.paragraphs + (child.name == "p")
            st.units += cst.units
            st.quotes += cst.quotes + (child.name == "blockquote")
            st.list_items += cst.list_items + (child.name == "li")
            if child.name in BLOCK_TAGS or cst.has_block:
                st.has_block = True
            else:
                inline_text += cst.text
                inline_commas += cst.commas
        ancestors.pop()
        name = node.name
        if name in HEADINGS or name in ("a", "li", "dt", "dd", "th"):
            return st
        if inline_text >= 25:
            st.units += 1
            unit = 1 + inline_commas + min(inline_text / 100, 3)
            unit *= 1 - min(link_density(st), 1.0)
            # A paragraph credits its container; a container's own loose text credits itself.
            own = name not in _PARAGRAPH_TAGS and st.has_block
            chain = ancestors[-5:] + [node] if own else ancestors[-5:]
            self._units.append((chain, unit))
        return st

    def _credit(self, chain: list[Tag], unit: float) -> None:
        for level, anc in enumerate(reversed(chain[-5:])):
            if anc.name in ("html", "[document]"):
                break
            st = self.stats[id(anc)]
            if not st.scored:
                st.scored = True
                st.score += _initial_score(anc)
                self.candidates.append(anc)
            st.score += unit / (1 if level == 0 else 2 if level == 1 else level * 3)


def _in_body_text(ancestors: list[Tag]) -> bool:
    """True inside an element marked as the article's body (an embed there is part of the story)."""
    for anc in reversed(ancestors[-6:]):
        marks = f"{anc.get('class') or ''} {anc.get('id') or ''} {anc.get('itemprop') or ''}"
        if _BODY_MARK.search(marks):
            return True
    return False


_BODY_MARK = re.compile(r"article-?body|articlebody|story-?body|entry-content|post-content|article-content|body-text|rich-?text", re.IGNORECASE)


def _holds_article(st: Stats) -> bool:
    """An 'unlikely' wrapper (a sticky sidebar theme class) that in fact holds the story."""
    return st.text - st.links >= 400 and st.units >= 3 and link_density(st) < 0.5


def class_weight(node: Tag) -> int:
    """+25 per content-like class or id, -25 per furniture-like one."""
    weight = 0
    text = node.get("class")
    if text:
        if _NEGATIVE.search(text):
            weight -= 25
        if _POSITIVE.search(text):
            weight += 25
    ident = node.get("id")
    if isinstance(ident, str) and ident:
        if _NEGATIVE.search(ident):
            weight -= 25
        if _POSITIVE.search(ident):
            weight += 25
    return weight


def _initial_score(node: Tag) -> float:
    name = node.name
    base = {"div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
            "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
            "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5}.get(name, 0)
    if node.get("itemprop") == "articleBody":
        base += 30
    return base + class_weight(node)


def _is_junk(node: Tag) -> bool:
    """Elements a reader never sees as article text: removed before scoring."""
    name = node.name
    if name in _DROP_TAGS:
        return True
    attrs = node.attrs
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    role = attrs.get("role")
    if isinstance(role, str) and role.lower() in _UNLIKELY_ROLES:
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return False


def _is_unlikely(node: Tag) -> bool:
    """Furniture by its class or id (comments, sidebars, promos), unless it also says content."""
    attrs = node.attrs
    if not attrs or node.name in ("body", "article", "main", "a", "p", "td", "tr", "tbody", "table", "blockquote"):
        return False
    marks = attr_text(node)
    if len(marks) < 3:
        return False
    return bool(_UNLIKELY.search(marks))


def link_density(st: Stats) -> float:
    """The share of an element's text that sits inside links."""
    return st.links / st.text if st.text else 0.0


def _final_score(node: Tag, scorer: Scorer) -> float:
    st = scorer.stats[id(node)]
    return st.score * (1 - link_density(st))


def top_candidate(scorer: Scorer) -> Optional[Tag]:
    """The element that holds the article, or None when nothing scores above zero."""
    if not scorer.candidates:
        return None
    ranked = sorted(scorer.candidates, key=lambda n: _final_score(n, scorer), reverse=True)
    top = ranked[0]
    top_score = _final_score(top, scorer)
    if top_score <= 0:
        return None
    top = _promote_common_ancestor(top, ranked[1:6], top_score, scorer)
    return _climb(top, scorer)


def _promote_common_ancestor(top: Tag, others: list[Tag], top_score: float, scorer: Scorer) -> Tag:
    """When several strong candidates share an ancestor, the article is that ancestor."""
    strong = [n for n in others if _final_score(n, scorer) >= 0.75 * top_score]
    if len(strong) < 3:
        return top
    strong_ancestors = [set(id(a) for a in n.parents) | {id(n)} for n in strong]
    node = top.parent
    while node is not None and node.name not in ("body", "html", "[document]"):
        if sum(1 for anc in strong_ancestors if id(node) in anc) >= 3:
            return node
        node = node.parent
    return top


def _climb(top: Tag, scorer: Scorer) -> Tag:
    """Move up while the parent holds the same text (a wrapper) or scores better."""
    top_st = scorer.stats[id(top)]
    last = _final_score(top, scorer)
    threshold = last / 3
    node = top
    parent = node.parent
    while parent is not None and parent.name not in ("body", "html", "[document]"):
        pst = scorer.stats.get(id(parent))
        if pst is None:
            break
        if pst.text <= top_st.text * 1.05 + 20:
            node = parent  # a wrapper around the same text
            parent = node.parent
            continue
        if not pst.scored:
            break
        score = _final_score(parent, scorer)
        if score < threshold:
            break
        if score > last:
            node = parent
            break
        last = score
        parent = parent.parent
    return node


def peers(top: Tag, chosen: list[Tag], scorer: Scorer) -> list[Tag]:
    """Other parts of the same story elsewhere in the page: same tag and class as the top
    candidate (CMSs split long stories into sections between figures and ads)."""
    classes = top.get("class")
    if not classes:
        return chosen
    top_score = _final_score(top, scorer)
    inside = {id(n) for n in chosen}
    extra: list[Tag] = []
    for node in scorer.candidates:
        if node is top or node.name != top.name or node.get("class") != classes:
            continue
        if _final_score(node, scorer) < max(5.0, 0.1 * top_score):
            continue
        if any(id(a) in inside for a in node.parents) or any(id(a) == id(node) for n in chosen for a in n.parents):
            continue
        extra.append(node)
    if not extra:
        return chosen
    merged = chosen + extra
    merged.sort(key=lambda n: scorer.stats[id(n)].order)
    return merged


def with_siblings(top: Tag, scorer: Scorer) -> list[Tag]:
    """The top candidate plus siblings that look like more of the same article."""
    parent = top.parent
    if parent is None:
        return [top]
    top_score = _final_score(top, scorer)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class") or ""
    chosen: list[Tag] = []
    for sib in parent.children:
        if not isinstance(sib, Tag) or id(sib) in scorer.removed:
            continue
        if sib is top:
            chosen.append(sib)
            continue
        st = scorer.stats.get(id(sib))
        if st is None or st.text == 0:
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0.0
        if st.scored and _final_score(sib, scorer) + bonus >= threshold:
            chosen.append(sib)
        elif sib.name == "p":
            density = link_density(st)
            if st.text > 80 and density < 0.25:
                chosen.append(sib)
            elif 0 < st.text <= 80 and density == 0 and sib.get_text().rstrip().endswith((".", "!", "?", "\u201d", '"')):
                chosen.append(sib)
    return chosen

