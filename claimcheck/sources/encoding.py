"""Recognise HTML and decode page bytes the way browsers do.

Kept apart from html.py so that plain text never pays for importing beautifulsoup4.
"""
from __future__ import annotations

import codecs
import re
from typing import Optional

# --------------------------------------------------------------------------------------------
# Recognising HTML
# --------------------------------------------------------------------------------------------

_HTML_SNIFF = 4096
HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))  # media types read as HTML
# Known element names: markup is these, well formed; prose with a "<" in it is not. Not script
# or style: text that merely quotes one ("<script>alert(1)</script> was posted") stays text.
_TAGS = (
    r"html|head|body|meta|title|link|p|div|article|section|header|footer|nav|main|aside"
    r"|h[1-6]|table|thead|tbody|tr|td|th|ul|ol|li|span|a|b|i|em|strong|br|img|figure|figcaption|blockquote"
    r"|time|pre|code|form"
)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_DOCUMENT_START = re.compile(r"<(?:!doctype\s+html|(?:html|head|body)(?:\s[^<>]*)?>)", re.IGNORECASE)
# A well-formed opening tag of a known element: attributes hold no "<" or ">".
_OPEN_TAG = re.compile(rf"<({_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_CLOSE_TAG = re.compile(rf"</({_TAGS})\s*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the start of ``text`` is HTML markup (judged by content, never by file name).

    Only real markup counts: a doctype or an <html>, <head> or <body> tag opening the text, a
    known tag opening it with a known closing tag later, or two known elements opened and
    closed. A lone "<" (``a < b``, ``x<y>z``) is prose: in doubt, text stays text.
    """
    head = text[:_HTML_SNIFF].lstrip("\ufeff \t\r\n")
    while head.startswith("<!--"):
        comment = _COMMENT.match(head)
        if comment is None:
            return False  # an unclosed comment opening the text is no page
        head = head[comment.end():]
    if _DOCUMENT_START.match(head):
        return True
    closed = {name.lower() for name in _CLOSE_TAG.findall(head)}
    if _OPEN_TAG.match(head) and closed:
        return True
    paired = {name.lower() for name in _OPEN_TAG.findall(head)} & closed
    return len(paired) >= 2


# --------------------------------------------------------------------------------------------
# Decoding bytes (browser order: BOM, transport charset, <meta>, detection)
# --------------------------------------------------------------------------------------------

_PRESCAN = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
# Labels browsers map to a superset (WHATWG Encoding Standard): decoding with the narrower
# Python codec would turn bytes real pages use (curly quotes in "ISO-8859-1" pages) into errors.
_SUPERSETS = {
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "tis-620": "windows-874",
    "iso-8859-11": "windows-874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    # A page cannot declare UTF-16 in its own ASCII-compatible bytes: browsers read it as UTF-8.
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}
_LATIN1_FAMILY = {"windows-1252"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def normalise_charset(label: Optional[str]) -> Optional[str]:
    """The codec name a browser would use for a charset label, or None if Python has no codec."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(data: bytes) -> Optional[str]:
    """The charset named by ``<meta charset>`` or http-equiv in the first bytes, if any."""
    match = _META_CHARSET.search(data[:_PRESCAN])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(data: bytes, http_charset: Optional[str] = None, prescan: bool = True) -> tuple[str, str]:
    """Decode a page's bytes as a browser would; returns (text, codec name used).

    Order: BOM, the HTTP charset, ``<meta charset>`` in the first 4 KB (when ``prescan``),
    then UTF-8 if the bytes are valid UTF-8, else detection with charset_normalizer.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec
    for label in (http_charset, meta_charset(data) if prescan else None):
        codec = normalise_charset(label)
        if codec is None:
            continue
        # A Latin-1 label is the classic server default and often wrong. Bytes that are valid
        # UTF-8 *and* hold multibyte sequences are, in practice, never intended as windows-1252
        # (they would read as mojibake such as "Ã©"), so such a page is read as UTF-8.
        if _canonical(codec) in _LATIN1_FAMILY and _is_multibyte_utf8(data):
            return data.decode("utf-8"), "utf-8"
        return data.decode(codec, errors="replace"), codec
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    return _detect(data)


def _canonical(codec: str) -> str:
    return {"cp1252": "windows-1252"}.get(codec, codec)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_multibyte_utf8(data: bytes) -> bool:
    return bool(_NON_ASCII.search(data)) and _is_utf8(data)


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    codec = normalise_charset(best.encoding) if best is not None else None
    codec = codec or "cp1252"
    return data.decode(codec, errors="replace"), codec


_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))  # not tab, newlines or form feed


def is_pdf(head: bytes) -> bool:
    """True when the bytes open a PDF file."""
    return head.startswith(b"%PDF-")


def looks_binary(head: bytes) -> bool:
    """True when more than 1% of the bytes (at least two) are control characters text never has."""
    return bool(head) and sum(head.count(b) for b in _CONTROL_BYTES) > max(1, len(head) // 100)
