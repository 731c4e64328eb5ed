"""Quotations: where the marks are, which words lie inside them, and how a quotation runs on.

A speaker's words may run past their frame ("“Fares will rise,” the mayor said. “We have no
choice.”"), over several sentences and, by the news convention, into a next paragraph that
opens with a quotation mark. This module finds those runs; whose words they are is the
attribution stage's question (attribution.py).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Iterator, Optional

from claimcheck.records import Sentence

if TYPE_CHECKING:
    from claimcheck.analysis.cues import Match

# A double quotation mark: straight or curly (pages mix the two: "Who pays for it?” asked Lee),
# or typed as two marks, ``like this'' or ''like this'' (wire copy and plain-text archives).
QUOTE_MARK = re.compile("''|``|[\"\u201c\u201d]")


def quote_marks(text: str) -> Iterator[tuple[int, bool]]:
    """(offset, opens) for each double quotation mark in text. A curly mark says which it is;
    a straight one (or two apostrophes) opens after a space, a dash, a colon, a bracket or the
    start when a word follows it, and closes otherwise. A two-character closing mark is given
    at its second character, so that the quotation ends right after the offset."""
    for mark in QUOTE_MARK.finditer(text):
        at, char = mark.start(), mark.group()
        if char in ("\u201c", "\u201d", "``"):
            yield at, char != "\u201d"
            continue
        width = len(char)
        before = text[at - 1] if at else " "
        after = text[at + width : at + width + 1] or " "
        opens = (before.isspace() or before in "([{\u2014\u2013-:") and not after.isspace()
        yield (at if opens else at + width - 1), opens


def quotation_runs(text: str) -> list[tuple[int, int]]:
    """The direct quotations of a document as (start, end) spans, from an opening mark to the
    closing one. A quotation still open at the end of its paragraph goes on when the next
    paragraph opens with a mark (the news convention), and the run ends at its last close."""
    runs: list[tuple[int, int]] = []
    start: Optional[int] = None
    paragraph_end = -1
    for at, opens in quote_marks(text):
        if start is not None and at > paragraph_end >= 0 and not (opens and _opens_paragraph(text, at)):
            runs.append((start, paragraph_end))  # left open and not taken up again: ends with its paragraph
            start = None
        if opens:
            if start is None:
                start = at
        elif start is not None:
            runs.append((start, at + 1))
            start = None
        end = text.find("\n", at)
        paragraph_end = end if end != -1 else len(text)
    if start is not None:
        runs.append((start, paragraph_end))
    return runs


def _opens_paragraph(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    return not text[line_start:at].strip()


class QuoteRun:
    """Who is speaking in a run of quotation: a quoted sentence with no source of its own
    (“We have no choice.” right after “...,” the mayor said.) is the last
    source's, as a reader takes it. The run ends at a sentence outside quotation marks, and a
    quotation left open ends with its paragraph (the next one reopens it if it goes on)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.speaker: Optional[Match] = None  # the attribution of the sentence just before
        self.last = -2  # index of that sentence
        self.end = 0  # where it ends in the text
        self.open = False  # a quotation was still open at its end
        self.open_before = False  # a quotation was open where the current sentence begins
        self.marks: list[tuple[int, bool]] = []  # the quotation marks of the sentence marks_of
        self.mark_offsets: list[int] = []
        self.marks_of = -1

    def speaker_of(self, sentence: Sentence, own: Optional[Match]) -> Optional[Match]:
        """The attribution this sentence takes from the one before, if it continues a quotation
        (own: the frame naming the sentence's own source, if it has one; "I think" or "they
        said" inside a quotation is the speaker's words, not a new speaker)."""
        follows = sentence.index == self.last + 1
        open_before = follows and self.open and "\n" not in self.text[self.end : sentence.start]
        self.open_before = open_before
        all_quoted, self.open = quoting(sentence.text, open_before)
        taken = self.speaker if follows and all_quoted and own is None else None
        self.speaker = own or taken
        self.last, self.end = sentence.index, sentence.end
        return taken

    def covers(self, sentence: Sentence, start: int, end: int) -> bool:
        """True when every word of the document's [start, end), part of sentence, lies inside
        quotation marks (asked after speaker_of for the same sentence)."""
        if not self.open_before and not QUOTE_MARK.search(sentence.text):
            return False
        local_start, local_end = start - sentence.start, end - sentence.start
        if self.marks_of != sentence.index:
            # The sentence's marks, read once: a run-on sentence has thousands of claims, and
            # reading them again for each claim would cost the sentence's length every time.
            self.marks = list(quote_marks(sentence.text))
            self.mark_offsets = [at for at, _ in self.marks]
            self.marks_of = sentence.index
        before = bisect_left(self.mark_offsets, local_start)
        open_at = self.marks[before - 1][1] if before else self.open_before
        quoted, _ = quoting(sentence.text[local_start:local_end], open_at)
        return quoted


_WORD_CHAR = re.compile(r"\w")


def quoting(text: str, open_before: bool) -> tuple[bool, bool]:
    """(every word of text is inside quotation marks, a quotation is still open at its end)."""
    inside, outside_words, pos = open_before, False, 0
    for at, opens in quote_marks(text):
        if not inside and _WORD_CHAR.search(text, pos, at):
            outside_words = True
        inside, pos = opens, at + 1
    if not inside and _WORD_CHAR.search(text, pos):
        outside_words = True
    return not outside_words and (pos > 0 or open_before), inside
