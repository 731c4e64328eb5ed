"""HTML to Document: find the article the way a reader sees it, and what the page says about itself.

Two parts, each usable on its own:

* ``read_metadata`` reads title, authors, dates, site, language, description and canonical URL
  from JSON-LD, OpenGraph and other meta tags, ``<time>`` and bylines;
* ``document_from_html`` finds the article body with a content-scoring extractor in the
  readability family and returns it as ordered, typed blocks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from claimcheck.records import Block, Document, SourceInfo

# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------

_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
    "satiricalarticle", "scholarlyarticle", "techarticle", "report", "liveblogposting",
    "socialmediaposting", "discussionforumposting", "posting", "review", "medicalscholarlyarticle",
}
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"}
_BY_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:;|\band\b|&|\|)\s*", re.IGNORECASE)
_URLISH = re.compile(r"^(?:https?:|www\.|/)|\.(?:com|org|net)\b", re.IGNORECASE)
_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE
)


@dataclass
class Metadata:
    """What a page says about itself; every field None/empty when the page does not say."""

    title: Optional[str] = None
    authors: tuple[str, ...] = ()
    published: Optional[str] = None
    modified: Optional[str] = None
    site: Optional[str] = None
    language: Optional[str] = None
    description: Optional[str] = None
    canonical_url: Optional[str] = None
    article_body: Optional[str] = None


class _PageIndex:
    """The elements metadata is read from, gathered in one walk (bs4's find_all is slow)."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.html: Optional[Tag] = None
        self.title: Optional[Tag] = None
        self.article: Optional[Tag] = None
        self.metas: list[Tag] = []
        self.scripts: list[Tag] = []
        self.canonical: Optional[Tag] = None
        self.times: list[Tag] = []
        self.rel_author: list[Tag] = []
        self.itemprop_author: list[Tag] = []
        self.bylines: list[Tag] = []
        for node in soup.descendants:
            if isinstance(node, Tag):
                self._add(node)

    def _add(self, node: Tag) -> None:
        name = node.name
        if name == "meta":
            self.metas.append(node)
        elif name == "script":
            if "ld+json" in str(node.get("type") or "").lower():
                self.scripts.append(node)
            return
        elif name == "time":
            self.times.append(node)
        elif name == "html" and self.html is None:
            self.html = node
        elif name == "title" and self.title is None:
            self.title = node
        elif name == "article" and self.article is None:
            self.article = node
        elif name == "link" and self.canonical is None and "canonical" in str(node.get("rel") or "").lower().split():
            self.canonical = node
        attrs = node.attrs
        if not attrs:
            return
        if "author" in str(attrs.get("rel") or "").lower().split():
            self.rel_author.append(node)
        if attrs.get("itemprop") == "author":
            self.itemprop_author.append(node)
        cls = attrs.get("class")
        if cls and len(self.bylines) < 20 and _BYLINE_HINT.search(str(cls)):
            self.bylines.append(node)


def read_metadata(soup: BeautifulSoup, base_url: Optional[str] = None) -> Metadata:
    """Read the page's own description of itself: JSON-LD first, then meta tags, then markup."""
    index = _PageIndex(soup)
    ld = _json_ld_article(index)
    metas = _meta_tags(index)
    meta = Metadata()
    meta.site = _first(metas.get("og:site_name"), _ld_name(ld.get("publisher")), metas.get("application-name"))
    meta.title = _first(
        _text(ld.get("headline")), metas.get("og:title"), metas.get("twitter:title"),
        metas.get("parsely-title"), metas.get("sailthru.title"), metas.get("dc.title"),
        metas.get("title"), _html_title(index),
    )
    meta.title = _strip_site(meta.title, meta.site)
    meta.authors = _ld_authors(ld.get("author")) or _meta_authors(metas) or byline_authors(index)
    meta.published = _first_date(
        ld.get("datePublished"), metas.get("article:published_time"), metas.get("og:published_time"),
        metas.get("datepublished"), metas.get("parsely-pub-date"), metas.get("sailthru.date"),
        metas.get("dc.date.issued"), metas.get("dcterms.created"), metas.get("dc.date"),
        metas.get("pubdate"), metas.get("publishdate"), metas.get("date"), _time_published(index),
        ld.get("dateCreated"),
    )
    meta.modified = _first_date(
        ld.get("dateModified"), metas.get("article:modified_time"), metas.get("og:updated_time"),
        metas.get("datemodified"), metas.get("dcterms.modified"), metas.get("last-modified"),
    )
    meta.language = _language(index, ld, metas)
    meta.description = _first(
        metas.get("description"), metas.get("og:description"), metas.get("twitter:description"),
        _text(ld.get("description")),
    )
    meta.canonical_url = _canonical_url(index, metas, ld, base_url)
    body = ld.get("articleBody")
    meta.article_body = body if isinstance(body, str) and body.strip() else None
    return meta


def _first(*values: Any) -> Optional[str]:
    for value in values:
        if isinstance(value, str):
            value = _clean(value)
            if value:
                return value
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(value: Any) -> Optional[str]:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None


def _meta_tags(index: _PageIndex) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in index.metas:
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if not key or content is None or isinstance(key, list):
            continue
        key = key.strip().lower()
        # Several author tags are legitimate (one per author); join them for the splitter.
        if key in found and key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            found[key] += "; " + content
        else:
            found.setdefault(key, content)
    return found


def _json_ld_article(index: _PageIndex) -> dict[str, Any]:
    """The first article-like JSON-LD object (or failing that a WebPage), searched through @graph."""
    page: dict[str, Any] = {}
    for script in index.scripts:
        data = _load_json(script.string or script.get_text())
        for item in _ld_items(data):
            types = item.get("@type")
            names = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if names & _ARTICLE_TYPES:
                return item
            if names & _PAGE_TYPES and not page:
                page = item
    # A WebPage can carry the same fields; only its own, never a guessed article's.
    return page


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:].rsplit("-->", 1)[0]
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        # Some CMSs leave a trailing semicolon or comma; one repair attempt, then give up.
        try:
            return json.loads(raw.rstrip(";, \n"), strict=False)
        except ValueError:
            return None


def _ld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_items(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _ld_items(main, depth + 1)


def _ld_name(value: Any) -> Optional[str]:
    name = _text(value)
    return name if name and not _URLISH.search(name) else None


def _ld_authors(value: Any) -> tuple[str, ...]:
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = _text(item)
        if name:
            names.extend(split_names(name))
    return _dedupe(names)


def _meta_authors(metas: dict[str, str]) -> tuple[str, ...]:
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
        value = metas.get(key)
        if value:
            names = split_names(value)
            if names:
                return _dedupe(names)
    return ()


def split_names(text: str) -> list[str]:
    """Person names from a byline string: 'By A, B and C' -> [A, B, C]; junk gives []."""
    text = _BY_PREFIX.sub("", _clean(text))
    parts = [p for p in _NAME_SPLIT.split(text) if p.strip()]
    if len(parts) == 1 and "," in text:
        pieces = [p.strip() for p in text.split(",")]
        # "Jane Doe, John Roe" lists people; "Doe, Jane" or "Jane Doe, Reuters" is one person.
        if all(len(p.split()) >= 2 for p in pieces):
            parts = pieces
        else:
            parts = [pieces[0]]
    return [p for p in (_BY_PREFIX.sub("", x).strip(" ,.-–—") for x in parts) if _plausible_name(p)]


def _plausible_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 60 or _URLISH.search(name):
        return False
    if any(ch.isdigit() for ch in name) or _MONTHS.search(name):
        return False
    return any(ch.isalpha() for ch in name)


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


_BYLINE_HINT = re.compile(r"byline|author|writer|reporter|contributor", re.IGNORECASE)
_BYLINE_SKIP = re.compile(r"bio|avatar|image|photo|img|social|follow|twitter|email|more|about|date|time", re.IGNORECASE)


def byline_authors(index: _PageIndex) -> tuple[str, ...]:
    """Authors from markup: rel=author links, itemprop=author, then byline-like elements."""
    names: list[str] = []
    for link in index.rel_author:
        names.extend(split_names(link.get_text(" ")))
    if names:
        return _dedupe(names)
    for node in index.itemprop_author:
        inner = node.find(attrs={"itemprop": "name"})
        if inner is not None and inner.name == "meta":
            names.extend(split_names(inner.get("content") or ""))
        elif node.name != "meta":
            names.extend(split_names((inner or node).get_text(" ")))
    if names:
        return _dedupe(names)
    for node in index.bylines:
        if node.name in ("body", "html", "article", "img", "script", "style") or _BYLINE_SKIP.search(_attr_text(node)):
            continue
        text = _clean(node.get_text(" "))
        if not text or len(text) > 120:
            continue
        links = [a.get_text(" ") for a in node.find_all("a")]
        found = [n for link in links for n in split_names(link)] if links else split_names(text)
        # A byline element's text must be about the names, not a paragraph that links a person.
        if found and (links or _BY_PREFIX.match(text) or len(text) < 60):
            return _dedupe(found)
    return ()


def _attr_text(node: Tag) -> str:
    return f"{node.get('class') or ''} {node.get('id') or ''}"


def _first_date(*values: Any) -> Optional[str]:
    for value in values:
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str) -> Optional[str]:
    """An ISO 8601 string for a machine-readable date (ISO 8601 or RFC 2822), else None."""
    value = value.strip()
    if not value or not value[:4].isdigit() and not value[:3].isalpha():
        return None
    if _DATE_ONLY.match(value):
        try:
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        except ValueError:
            return None
    candidate = value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", value) else value
    try:
        return datetime.fromisoformat(candidate).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _time_published(index: _PageIndex) -> Optional[str]:
    """A <time datetime> that the markup ties to publication, never any date on the page."""
    for tag in index.times[:40]:
        when = tag.get("datetime")
        if not when:
            continue
        attrs = " ".join([_attr_text(tag), str(tag.get("itemprop") or ""), "pubdate" if tag.has_attr("pubdate") else ""])
        if re.search(r"pub|posted|created|datepublished", attrs, re.IGNORECASE):
            return when
    article = index.article
    if article is not None:
        tag = article.find("time", datetime=True)
        if tag is not None and not re.search(r"updat|modif|comment", _attr_text(tag), re.IGNORECASE):
            return tag.get("datetime")
    return None


def _language(index: _PageIndex, ld: dict[str, Any], metas: dict[str, str]) -> Optional[str]:
    html = index.html
    lang = html.get("lang") or html.get("xml:lang") if html is not None else None
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", lang.strip()):
        return lang.strip().replace("_", "-")
    for value in (_text(ld.get("inLanguage")), metas.get("content-language"), metas.get("og:locale"), metas.get("language")):
        if value and re.match(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", value.strip()):
            return value.strip().replace("_", "-")
    return None


def _canonical_url(index: _PageIndex, metas: dict[str, str], ld: dict[str, Any], base: Optional[str]) -> Optional[str]:
    link = index.canonical
    page = ld.get("mainEntityOfPage")
    candidates = [
        link.get("href") if link is not None else None,
        metas.get("og:url"),
        ld.get("url") if isinstance(ld.get("url"), str) else None,
        page.get("@id") if isinstance(page, dict) else page if isinstance(page, str) else None,
    ]
    for href in candidates:
        if isinstance(href, str) and href.strip():
            url = urljoin(base, href.strip()) if base else href.strip()
            if url.startswith(("http://", "https://")):
                return url
    return None


def _html_title(index: _PageIndex) -> Optional[str]:
    tag = index.title
    if tag is None:
        return None
    return _clean(tag.get_text()) or None


def _strip_site(title: Optional[str], site: Optional[str]) -> Optional[str]:
    """Drop a " | Site" suffix only when the page names that site: no guessing at separators."""
    if title and site:
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
            if title.endswith(sep + site) and len(title) > len(sep + site):
                return title[: -len(sep + site)].strip()
    return title


# --------------------------------------------------------------------------------------------
# Body extraction
# --------------------------------------------------------------------------------------------

# Never article text, whatever their class says.
_DROP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed button input select textarea"
    " option nav footer aside dialog menu head link meta map area audio video source track picture"
    " img math applet frame frameset label".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption"
    " figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section"
    " summary table tbody td tfoot th thead tr ul caption".split()
)
_PARAGRAPH_TAGS = frozenset(("p", "pre", "td"))
_TEXT_BLOCKS = frozenset(("p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "pre", "h1", "h2", "h3", "h4", "h5", "h6"))
def _class_words(whole: str, prefixes: str = "") -> re.Pattern[str]:
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
_NEGATIVE = _class_words(
    "ad|ads|adv|banner|foot|footer|menu|nav|navbar|tag|tags|tool|tools|toolbar|widget|widgets|share"
    "|shares|sharing|print|bio|hide|hidden|modal|overlay|masthead|meta|rss|pager|more|extra"
    "|popular|trending|signup|login|topbar|byline|dateline|timestamp|credit|credits",
    "advert|banner|breadcrumb|combx|comment|community|cookie|consent|disqus|gdpr|newsletter"
    "|outbrain|taboola|pagination|promo|related|recirc|recommend|remark|replies|shoutbox|sidebar"
    "|skyscraper|sponsor|subscri|paywall|jumplink|most-?read|sr-only|visually-hidden|share-?bar"
    "|author-?bio|read-?more|more-?stories|also-?read|read-?next|up-?next|popup",
)
_POSITIVE = _class_words(
    "main|text|copy|prose|post",
    "article|body|content|entry|hentry|h-entry|story|blog|paragraph|rich-?text|post-?content|main-?content",
)
# Elements matching these are removed before scoring unless they also look like content.
_UNLIKELY = _class_words(
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
class _Stats:
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


class _Scorer:
    """One bottom-up pass: prune junk, count text and links, and credit paragraphs to ancestors."""

    def __init__(self) -> None:
        self.stats: dict[int, _Stats] = {}
        self.candidates: list[Tag] = []
        self.removed: set[int] = set()
        # (ancestor chain, score) per paragraph; credited only after pruning has settled.
        self._units: list[tuple[list[Tag], float]] = []

    def run(self, root: Tag) -> None:
        """Score every element under ``root``."""
        self._visit(root, [])
        for chain, unit in self._units:
            self._credit(chain, unit)

    def _visit(self, node: Tag, ancestors: list[Tag]) -> _Stats:
        st = _Stats(order=len(self.stats))
        self.stats[id(node)] = st
        inline_text = 0
        inline_commas = 0
        ancestors.append(node)
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) in _SKIP_STRINGS:
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
            if child.name in _BLOCK_TAGS or cst.has_block:
                st.has_block = True
            else:
                inline_text += cst.text
                inline_commas += cst.commas
        ancestors.pop()
        name = node.name
        if name in _HEADINGS or name in ("a", "li", "dt", "dd", "th"):
            return st
        if inline_text >= 25:
            st.units += 1
            unit = 1 + inline_commas + min(inline_text / 100, 3)
            unit *= 1 - min(_link_density(st), 1.0)
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


def _holds_article(st: _Stats) -> bool:
    """An 'unlikely' wrapper (a sticky sidebar theme class) that in fact holds the story."""
    return st.text - st.links >= 400 and st.units >= 3 and _link_density(st) < 0.5


_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def _class_weight(node: Tag) -> int:
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
    return base + _class_weight(node)


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
    marks = _attr_text(node)
    if len(marks) < 3:
        return False
    return bool(_UNLIKELY.search(marks))


def _link_density(st: _Stats) -> float:
    return st.links / st.text if st.text else 0.0


def _final_score(node: Tag, scorer: _Scorer) -> float:
    st = scorer.stats[id(node)]
    return st.score * (1 - _link_density(st))


def _top_candidate(scorer: _Scorer) -> Optional[Tag]:
    if not scorer.candidates:
        return None
    ranked = sorted(scorer.candidates, key=lambda n: _final_score(n, scorer), reverse=True)
    top = ranked[0]
    top_score = _final_score(top, scorer)
    if top_score <= 0:
        return None
    top = _promote_common_ancestor(top, ranked[1:6], top_score, scorer)
    return _climb(top, scorer)


def _promote_common_ancestor(top: Tag, others: list[Tag], top_score: float, scorer: _Scorer) -> Tag:
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


def _climb(top: Tag, scorer: _Scorer) -> Tag:
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


def _peers(top: Tag, chosen: list[Tag], scorer: _Scorer) -> list[Tag]:
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


def _with_siblings(top: Tag, scorer: _Scorer) -> list[Tag]:
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
            density = _link_density(st)
            if st.text > 80 and density < 0.25:
                chosen.append(sib)
            elif 0 < st.text <= 80 and density == 0 and sib.get_text().rstrip().endswith((".", "!", "?", "\u201d", '"')):
                chosen.append(sib)
    return chosen


@dataclass
class _Piece:
    kind: str
    text: str
    links: int


class _BlockWriter:
    """Walks the chosen elements in document order and writes typed blocks."""

    def __init__(self, scorer: _Scorer) -> None:
        self.scorer = scorer
        self.pieces: list[_Piece] = []
        self._buf: list[str] = []
        self._links = 0

    def write(self, node: Tag, kind: str = "paragraph") -> None:
        """Write ``node``'s text as blocks; ``kind`` is what loose text inside it becomes."""
        name = node.name
        if name in _HEADINGS:
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
                if type(child) not in _SKIP_STRINGS:
                    self._buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if id(child) in self.scorer.removed:
                if name in _BLOCK_TAGS:
                    self._flush(kind)  # gone from the text, but it still ended the line before it
                continue
            if name == "br":
                self._buf.append("\n")
                continue
            if name == "time" and node.name in _BLOCK_TAGS and node.name not in _TEXT_BLOCKS:
                continue  # a date standing alone is the dateline, which the metadata holds
            st = self.scorer.stats.get(id(child))
            if st is None:
                continue
            if name not in _BLOCK_TAGS and not st.has_block:
                self._inline(child)
                continue
            self._flush(kind)  # a block ends the line before it, even one that is left out or empty
            if self._keep(child, st, kind):
                self.write(child, kind)

    def _inline(self, node: Tag) -> None:
        start = len(self._buf)
        for piece in node.descendants:
            if isinstance(piece, NavigableString):
                if type(piece) not in _SKIP_STRINGS and not _inside_removed(piece, node, self.scorer.removed):
                    self._buf.append(str(piece))
            elif piece.name == "br":
                self._buf.append("\n")
        if node.name == "a" or self.scorer.stats[id(node)].links:
            linked = sum(len(s.strip()) for s in self._buf[start:])
            self._links += linked if node.name == "a" else self.scorer.stats[id(node)].links

    def _keep(self, node: Tag, st: _Stats, kind: str) -> bool:
        """Conditional cleaning: drop link lists, promos and empty shells inside the article."""
        if st.text == 0:
            return False
        name = node.name
        if name in _HEADINGS:
            return _link_density(st) < 0.5 and _class_weight(node) >= 0
        if name in ("p", "blockquote", "pre", "figcaption", "li", "dd", "dt", "td", "th", "tr"):
            return True
        weight = _class_weight(node)
        density = _link_density(st)
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


_CAPTION = _class_words("credit|credits", "caption|image-?credit|photo-?credit")


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
        if len(text) < 100 and _BY_PREFIX.match(text) and text[:2] in ("By", "BY") and split_names(text.rstrip(" -|·•")):
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
    scorer = _Scorer()
    scorer.run(root)
    top = _top_candidate(scorer)
    if top is None:
        return []
    writer = _BlockWriter(scorer)
    for node in _peers(top, _with_siblings(top, scorer), scorer):
        if node.name == "p" or node is top:
            writer.write(node, "paragraph")
        elif writer._keep(node, scorer.stats[id(node)], "paragraph"):
            writer.write(node, "paragraph")
    return [(p.kind, p.text) for p in _clean_pieces(writer.pieces, title)]


_LOOSE_KINDS = {"p": "paragraph", "blockquote": "quote", "li": "list_item", "pre": "preformatted", "figcaption": "caption"}
_LOOSE_KINDS.update({f"h{i}": "heading" for i in range(1, 7)})
_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "menu", "script", "noscript"})


def _loose_blocks(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """Every text block outside page chrome: for fragments and short pages no article scores on."""
    pieces = []
    for node in soup.find_all(list(_LOOSE_KINDS)):
        if any(parent.name in _CHROME or parent.name in _LOOSE_KINDS for parent in node.parents):
            continue
        text = _WS.sub(" ", node.get_text(" ")).strip()
        if len(text.split()) >= 3:
            pieces.append((_LOOSE_KINDS[node.name], text))
    return pieces


def _blocks_from_body(body: str) -> list[tuple[str, str]]:
    return [("paragraph", _WS.sub(" ", part).strip()) for part in re.split(r"\n\s*\n|\n", body) if part.strip()]


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


def document_from_html(html: str, info: SourceInfo) -> Document:
    """Extract the article as typed blocks plus the page's metadata; empty text when none is found."""
    soup = parse_html(html)
    meta = read_metadata(soup, info.final_url or info.url)
    pieces = extract_blocks(soup, meta.title) or _loose_blocks(soup)
    body_chars = sum(len(t) for _, t in pieces)
    # The page's own articleBody is the fallback when the markup yields (almost) nothing.
    if meta.article_body and body_chars < 0.3 * len(meta.article_body):
        pieces = _blocks_from_body(meta.article_body)
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
