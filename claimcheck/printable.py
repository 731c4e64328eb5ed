"""Text from outside (an article, a page's title, a file name) made safe to print where a
terminal or a Markdown viewer reads it: no control character reaches the screen raw.

A page's ESC, BEL or C1 characters could otherwise retitle a reader's terminal, move its
cursor or rewrite what it shows. Each such character is shown escaped (ESC as ``\\x1b``), so
the rest of a sequence is inert text; whitespace controls become a space. JSON, CSV and the
html report do not use this: they keep the text exact, escaped in their own way.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = frozenset("\t\n\r\x0b\x0c")


def printable(text: str, keep: str = "") -> str:
    """text with every C0/C1 control character (but those in keep) escaped, whitespace ones as a space."""
    if _CONTROL.search(text) is None:
        return text  # the usual case, at the cost of one scan
    return _CONTROL.sub(lambda found: _shown(found.group(), keep), text)


def _shown(char: str, keep: str) -> str:
    if char in keep:
        return char
    if char in _SPACES:
        return " "
    return f"\\x{ord(char):02x}"
