"""What a page says about itself: title, authors, dates, site, language, description and
canonical URL, read from JSON-LD, OpenGraph and other meta tags, ``<time>`` and bylines."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from claimcheck.sources.html.parse import attr_text

_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
    "satiricalarticle", "scholarlyarticle", "techarticle", "report", "liveblogposting",
    "socialmediaposting", "discussionforumposting", "posting", "review", "medicalscholarlyarticle",
}
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"}
BY_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)
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
    text = BY_PREFIX.sub("", _clean(text))
    parts = [p for p in _NAME_SPLIT.split(text) if p.strip()]
    if len(parts) == 1 and "," in text:
        pieces = [p.strip() for p in text.split(",")]
        # "Jane Doe, John Roe" lists people; "Doe, Jane" or "Jane Doe, Reuters" is one person.
        if all(len(p.split()) >= 2 for p in pieces):
            parts = pieces
        else:
            parts = [pieces[0]]
    return [p for p in (BY_PREFIX.sub("", x).strip(" ,.-–—") for x in parts) if _plausible_name(p)]


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
        if node.name in ("body", "html", "article", "img", "script", "style") or _BYLINE_SKIP.search(attr_text(node)):
            continue
        text = _clean(node.get_text(" "))
        if not text or len(text) > 120:
            continue
        links = [a.get_text(" ") for a in node.find_all("a")]
        found = [n for link in links for n in split_names(link)] if links else split_names(text)
        # A byline element's text must be about the names, not a paragraph that links a person.
        if found and (links or BY_PREFIX.match(text) or len(text) < 60):
            return _dedupe(found)
    return ()
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
        attrs = " ".join([attr_text(tag), str(tag.get("itemprop") or ""), "pubdate" if tag.has_attr("pubdate") else ""])
        if re.search(r"pub|posted|created|datepublished", attrs, re.IGNORECASE):
            return when
    article = index.article
    if article is not None:
        tag = article.find("time", datetime=True)
        if tag is not None and not re.search(r"updat|modif|comment", attr_text(tag), re.IGNORECASE):
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

