"""Names of sources fit to print: file names with odd characters escaped, URLs without credentials.

Apart from claimcheck.sources so that the fetcher can use them without an import circle.
"""
from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates: printed raw, they reorder what a terminal shows after them.
_BIDI = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def printable_name(name: str) -> str:
    """``name`` safe to print anywhere: control characters and undecodable bytes escaped.

    A file name may hold a newline, a tab or bytes that are not UTF-8 (kept by Python as lone
    surrogates): printed raw they would break a line of output or fail to encode at all.
    """
    if name.isprintable() and _BIDI.isdisjoint(name):
        return name
    return "".join(_printable_char(char) for char in name)


def _printable_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte os.fsdecode could not decode
    if char == " " or (char not in _BIDI and (char.isprintable() or unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp"))):
        return char
    return repr(char)[1:-1] if code < 0x10000 else f"\\U{code:08x}"


def redact_url(url: str) -> str:
    """``url`` fit to show: a password in it masked (``http://user:***@host/``), a bare user too.

    Credentials in a URL are for the request only: never in a message, a ledger or a cache file.
    """
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("@", 1)[-1] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    masked = f"{user}:***" if colon else "***"
    return urlunsplit(parts._replace(netloc=f"{masked}@{host}"))


def shown_name(name: str) -> str:
    """How to print a source's name: a URL without its credentials, a path with odd characters escaped."""
    lower = name[:8].lower()
    return redact_url(name) if lower.startswith(("http://", "https://")) else printable_name(name)
