"""Find the structural blocks of plain text: paragraphs, headings and list items.

Paragraphs are separated by blank lines. Inside one, each line boundary is
either a hard wrap (prose running on: join) or the end of a unit (a heading, a
one-paragraph-per-line file, a list item: cut). Sentences never cross a block.
"""
from __future__ import annotations

import re

from claimcheck.records import Block

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_LINE = re.compile(r"[^\n]*")
_LIST_ITEM = re.compile(r"\s*(?:[-*•‣◦▪–]|\d{1,3}[.)])\s+\S")
# Sentence-final punctuation, with the quotes and brackets that may close it.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\Z")
_CONTINUES = re.compile(
    r"(?:[,\-–—(/&]|\b(?:a|an|the|and|or|but|nor|of|to|in|on|at|by|for|with|from|as|that|than|"
    r"his|her|its|their|our|my|your|is|are|was|were|be|been|has|have|had))\Z"
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_MINOR_WORDS = frozenset(
    "a an the and or but nor of for to in on at by with from as via vs per into onto over up is".split()
)
# A line longer than this is prose, never a heading or a label.
_MAX_UNIT_CHARS = 100
_MAX_HEADING_WORDS = 14
# Lines no longer than this can be a hard-wrapped paragraph (Gutenberg wraps at ~70);
# nobody wraps prose narrower than the minimum, so shorter lines are units of their own.
_MAX_WRAP_WIDTH = 100
_MIN_WRAP_WIDTH = 40


def blocks_from_text(text: str) -> tuple[Block, ...]:
    """The blocks of plain text (newlines already \\n), trimmed, in order, covering all its non-space text."""
    blocks: list[Block] = []
    start = 0
    for gap in _BLANK_LINES.finditer(text):
        blocks.extend(_paragraph_blocks(text, start, gap.start()))
        start = gap.end()
    blocks.extend(_paragraph_blocks(text, start, len(text)))
    return tuple(blocks)


def is_title_like(line: str) -> bool:
    """True when most content words of a short line are capitalised, as in a headline."""
    words = _WORD.findall(line)
    if not words or len(words) > _MAX_HEADING_WORDS:
        return False
    content = [w for w in words if w.lower() not in _MINOR_WORDS] or words
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised * 4 >= len(content) * 3


def _paragraph_blocks(text: str, start: int, end: int) -> list[Block]:
    lines = [m.span() for m in _LINE.finditer(text, start, end) if m.group().strip()]
    if not lines:
        return []
    stripped = [text[a:b].strip() for a, b in lines]
    narrow = [len(line) for line in stripped if len(line) <= _MAX_WRAP_WIDTH]
    # Mostly narrow lines: a hard-wrapped paragraph (a few long ones, e.g. URLs, do not count).
    width = max(narrow, default=0)
    wrapped = len(lines) > 1 and width >= _MIN_WRAP_WIDTH and len(narrow) * 5 >= len(lines) * 3
    blocks = []
    first = 0
    for i in range(1, len(lines) + 1):
        if i < len(lines) and _joins(stripped, i, width, wrapped):
            continue
        blocks.append(_block(text, lines[first][0], lines[i - 1][1], stripped[first:i]))
        first = i
    return blocks


def _joins(lines: list[str], i: int, width: int, wrapped: bool) -> bool:
    """Whether line i continues the unit that line i - 1 belongs to."""
    before, line = lines[i - 1], lines[i]
    after = lines[i + 1] if i + 1 < len(lines) else None
    if _LIST_ITEM.match(line):
        return False
    if _TERMINAL.search(before) and _heading_line(line, after, width if wrapped else None):
        return False  # a heading right after a finished paragraph line
    if line[0].islower() or _CONTINUES.search(before):
        return True
    if not wrapped:
        return False  # one unit a line
    if _TERMINAL.search(before):
        return _full(before, line, width)  # a sentence ended where the line was full anyway
    return len(before) * 5 >= width * 3 and not is_title_like(before)


def _heading_line(line: str, after: str | None, width: int | None) -> bool:
    """A short title-like line (a question or exclamation allowed) that the next line does not continue.

    width is the wrap width of a hard-wrapped paragraph, None when lines are not wrapped.
    """
    if len(line) > _MAX_UNIT_CHARS or not is_title_like(line):
        return False
    if _TERMINAL.search(line) and line[-1] not in "?!":
        return False
    if after is None:
        return True
    return not (after[0].islower() or (width is not None and _full(line, after, width)))


def _full(before: str, line: str, width: int) -> bool:
    # Greedy wrapping would have put the next word on this line had it fitted.
    first_word = line.split(None, 1)[0]
    return len(before) + 1 + len(first_word) > width


def _block(text: str, start: int, end: int, lines: list[str]) -> Block:
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    if _LIST_ITEM.match(lines[0]):
        kind = "list_item"
    elif len(lines) == 1 and _heading_line(lines[0], None, None):
        kind = "heading"
    else:
        kind = "paragraph"
    return Block(start, end, kind)
