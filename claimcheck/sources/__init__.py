"""The first stage: turn what the user named (a path, ``-`` or a URL) into a Document.

This module and the renderers are the only places that do I/O.
"""
from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Optional, Sequence, TextIO

from claimcheck.defaults import FILE_LIMIT, MAX_BYTES, TIMEOUT
from claimcheck.sources.encoding import HTML_TYPES, is_pdf, looks_binary
from claimcheck.errors import SourceError
from claimcheck.records import Document, SourceInfo
# redact_url and shown_name are re-exported: batch and the CLI name sources with them.
from claimcheck.sources.names import printable_name, redact_url, shown_name  # noqa: F401
from claimcheck.sources.plain import blocks_from_text

if TYPE_CHECKING:
    from claimcheck.sources.http import FetchOptions, FetchResult

# Bytes that never occur in text files; a few of them in the first KiB mean binary input.
_SNIFF = 4096
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a directory source contributes: its files with these endings (any case), by name.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class SourceOptions:
    """How to read sources: fetch limits for URLs (see claimcheck.sources.http)."""

    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    user_agent: Optional[str] = None
    allow_private: bool = True  # False (--no-private): refuse loopback, private and reserved addresses


def is_url(name: str) -> bool:
    """True when the source names an http(s) URL."""
    lower = name[:8].lower()
    return lower.startswith("http://") or lower.startswith("https://")


@dataclass(frozen=True)
class Entry:
    """One source to read, or why a name on the command line or in a list gave none."""

    name: str
    error: Optional[str] = None  # set: this entry is a failure to report, not a source


def expand_sources(names: Sequence[str], lists: Sequence[str] = (), stdin: Optional[TextIO] = None) -> list[Entry]:
    """The sources the user named, in order: each SOURCE (a directory stands for its article
    files, sorted), then the lines of each ``--from-file`` list (``-``: stdin)."""
    entries: list[Entry] = []
    for name in names:
        entries.extend(_expand_one(name))
    for listing in lists:
        try:
            lines = _read_list(listing, stdin)
        except SourceError as exc:
            entries.append(Entry(listing, str(exc)))
            continue
        for line in lines:
            entries.extend(_expand_one(line))
    return entries


def _expand_one(name: str) -> list[Entry]:
    if name == "-" or is_url(name) or not os.path.isdir(name):
        return [Entry(name)]
    try:
        children = sorted(os.listdir(name))
    except OSError as exc:
        return [Entry(name, f"{printable_name(name)}: cannot list the directory: {exc.strerror or exc}")]
    found = [
        os.path.join(name, child)
        for child in children
        if child.lower().endswith(ARTICLE_SUFFIXES) and os.path.isfile(os.path.join(name, child))
    ]
    if not found:
        return [Entry(name, f"{printable_name(name)}: is a directory with no {', '.join(ARTICLE_SUFFIXES)} files")]
    return [Entry(path) for path in found]


def _read_list(listing: str, stdin: Optional[TextIO]) -> list[str]:
    """The sources a list file names: one a line; blank lines and lines starting # skipped."""
    if listing == "-":
        text = (stdin if stdin is not None else sys.stdin).read()
    else:
        # A pipe is fine here: --from-file <(find ...) names one, with its writer running.
        text, _ = decode(read_file(listing, FILE_LIMIT, special_ok=True), printable_name(listing))
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def load(name: str, options: SourceOptions = SourceOptions(), stdin: Optional[BinaryIO] = None) -> Document:
    """Read one source: ``-`` is stdin, a URL is fetched, anything else is a path."""
    if is_url(name):
        return fetch_document(name, options)
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = read_limited(stream, options.max_bytes, "stdin")
        return document_from_bytes(data, SourceInfo(kind="stdin", name="-"), where="stdin")
    shown = printable_name(name)
    return document_from_bytes(read_file(name, options.max_bytes), SourceInfo(kind="file", name=shown), where=shown)


def fetch_document(url: str, options: "FetchOptions") -> Document:
    """Fetch ``url`` and return its article (HTML) or text (text/plain) as a Document."""
    from claimcheck.sources.http import fetch  # requests is heavy: import only for URLs

    return document_from_page(url, fetch(url, options))


def document_from_page(url: str, result: "FetchResult") -> Document:
    """The article (HTML) or text (text/plain) of a fetched page as a Document."""
    url = redact_url(url)
    info = SourceInfo(
        kind="url",
        name=url,
        url=url,
        final_url=result.final_url,
        status=result.status,
        content_type=result.content_type,
        encoding=result.encoding,
        fetched_at=result.fetched_at,
        warnings=tuple(result.warnings),
    )
    if not result.text.strip():
        raise SourceError(f"{url}: no article text found (the page is empty)")
    if result.content_type in HTML_TYPES:
        from claimcheck.sources.html import document_from_html

        doc = document_from_html(result.text, info)
    else:
        doc = plain_document(result.text, info)
    if not doc.text.strip():
        raise SourceError(f"{url}: no article text found on the page")
    return doc


def read_limited(stream: BinaryIO, limit: int, where: str) -> bytes:
    """All of a stream, or a clear error once it passes limit bytes (never reads much more)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceError(_too_large(where, limit))
    return data


def _too_large(where: str, limit: int) -> str:
    return f"{where}: larger than the {limit:,}-byte limit; raise --max-bytes to read it"


def read_file(path: str, limit: int, what: str = "file", special_ok: bool = False) -> bytes:
    """A file's bytes, or one clear SourceError (what: how to name it, e.g. "gold file").

    A FIFO, socket or device is refused unless ``special_ok``: opening a FIFO with no writer
    blocks for ever, and a device may never end.
    """
    shown = printable_name(path)
    if os.path.isdir(path):
        raise SourceError(f"{shown}: is a directory, not a {what}")
    special = _special_kind(path)
    if special is not None and not special_ok:
        raise SourceError(f"{shown}: is a {special}, not a regular {what} (pipe text to stdin with - instead)")
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise SourceError(_too_large(shown, limit))
            return read_limited(handle, limit, shown)
    except FileNotFoundError:
        raise SourceError(f"{shown}: no such {what}") from None
    except PermissionError:
        raise SourceError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None


def _special_kind(path: str) -> Optional[str]:
    """What a path that is no regular file is (FIFO, socket, device), or None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # open() reports it
    for test, kind in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device")):
        if test(mode):
            return kind
    return None


def decode(data: bytes, where: str) -> tuple[str, tuple[str, ...]]:
    """Decode bytes as text (UTF-8, BOMs honoured); refuse binary input with a clear error."""
    head = data[:_SNIFF]
    if is_pdf(head):
        raise SourceError(f"{where}: this is a PDF, not text or HTML; convert it to text first")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ()
    if looks_binary(head):
        raise SourceError(f"{where}: looks like binary data, not text or HTML")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd")
        warning = (
            f"{where}: not valid UTF-8 (first bad byte at offset {exc.start}); "
            f"{bad} undecodable byte(s) shown as U+FFFD"
        )
        return text, (warning,)


def document_from_bytes(data: bytes, info: SourceInfo, where: str) -> Document:
    """Decode, recognise HTML by its content, and build the Document."""
    from claimcheck.sources.encoding import decode_html, looks_like_html

    if looks_like_html(data[:_SNIFF].decode("latin-1")):
        # A saved page says its own encoding (<meta charset>), as it did to the browser.
        text, codec = decode_html(data)
        return document_from_text(text, _with(info, encoding=codec), where)
    text, warnings = decode(data, where)
    if warnings:
        info = _with(info, warnings=info.warnings + warnings)
    return document_from_text(text, info, where)


def document_from_text(text: str, info: SourceInfo, where: str = "text") -> Document:
    """Build a Document from text that may be HTML or plain text."""
    if _SURROGATE.search(text):
        # Lone surrogates (only a library caller can pass them) cannot be encoded anywhere;
        # U+FFFD keeps every offset where it was.
        text = _SURROGATE.sub("\ufffd", text)
        info = _with(info, warnings=info.warnings + (f"{where}: lone surrogate code points shown as U+FFFD",))
    from claimcheck.sources.encoding import looks_like_html

    if looks_like_html(text):
        from claimcheck.sources.html import document_from_html

        doc = document_from_html(text, info)
    else:
        doc = plain_document(text, info)
    if not doc.text.strip():
        raise SourceError(f"{where}: no article text found (the input is empty)")
    return doc


def plain_document(text: str, info: SourceInfo) -> Document:
    """A Document from plain text: newlines normalised, structure found from lines."""
    # Normalise newlines so offsets match what every consumer of the JSON sees.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(text=text, blocks=blocks_from_text(text), source=info)


def _with(info: SourceInfo, **changes) -> SourceInfo:
    from dataclasses import replace

    return replace(info, **changes)
