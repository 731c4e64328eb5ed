"""The first stage: turn what the user named (a path, ``-`` or a URL) into a Document.

This module and the renderers are the only places that do I/O.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import BinaryIO, Optional

from .errors import SourceError
from .records import Document, SourceInfo
from .structure import blocks_from_text

# Bytes that never occur in text files; a few of them in the first KiB mean binary input.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
_SNIFF = 4096


@dataclass(frozen=True)
class SourceOptions:
    """How to read sources: fetch limits for URLs (see claimcheck.fetch)."""

    timeout: float = 30.0
    max_bytes: int = 10_000_000
    user_agent: Optional[str] = None


def is_url(name: str) -> bool:
    """True when the source names an http(s) URL."""
    lower = name[:8].lower()
    return lower.startswith("http://") or lower.startswith("https://")


def load(name: str, options: SourceOptions = SourceOptions(), stdin: Optional[BinaryIO] = None) -> Document:
    """Read one source: ``-`` is stdin, a URL is fetched, anything else is a path."""
    if is_url(name):
        from .fetch import fetch_document  # requests is heavy: import only for URLs

        return fetch_document(name, options)
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read()
        return document_from_bytes(data, SourceInfo(kind="stdin", name="-"), where="stdin")
    return document_from_bytes(_read_file(name), SourceInfo(kind="file", name=name), where=name)


def _read_file(path: str) -> bytes:
    if os.path.isdir(path):
        raise SourceError(f"{path}: is a directory, not a file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, where: str) -> tuple[str, tuple[str, ...]]:
    """Decode bytes as text (UTF-8, BOMs honoured); refuse binary input with a clear error."""
    head = data[:_SNIFF]
    if head.startswith(b"%PDF-"):
        raise SourceError(f"{where}: this is a PDF, not text or HTML; convert it to text first")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ()
    if head and sum(head.count(b) for b in _BINARY_BYTES) > max(1, len(head) // 100):
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
    from .encoding import decode_html, looks_like_html

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
    from .encoding import looks_like_html

    if looks_like_html(text):
        from .extract import document_from_html

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
