"""The claims stage: decide which sentences are claims, and split them into clauses.

A heading, question, dateline, byline, call to action or boilerplate line is not a claim; it
keeps its kind in the sentence list. A statement splits at contrastive and concessive joints
("X, though Y", "Although X, Y", "X; Y") when both sides are clauses.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Optional

from claimcheck.records import Sentence
from claimcheck.rulebook import Joints, Rulebook

# Heading blocks keep the kind "heading" unless a rule finds something more specific.
_SPECIFIC_OVER_HEADING = frozenset({"dateline", "byline", "boilerplate", "call_to_action"})
_OPENERS = "([{“‘"
_CLOSERS = ")]}”’"
_TRIM = " \t\n,;:—–-"
_QUOTES = "“\"‘"
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely)\b", re.IGNORECASE)
# Three words (runs of word characters, apostrophes and hyphens), read without backtracking.
_THREE_WORDS = re.compile(r"(?:[^\w’'-]*+[\w’'-]++){3}")
_STRUCTURE = re.compile(r"[()\[\]{}“”‘\",;]|’(?![^\W\d_])")


def classify(sentence: Sentence, book: Rulebook) -> Sentence:
    """Give the sentence its kind: statement, heading, question, dateline, ..."""
    for rule in book.kinds:
        if rule.pattern.search(sentence.text):
            if sentence.block_kind == "heading" and rule.kind not in _SPECIFIC_OVER_HEADING:
                break
            return replace(sentence, kind=rule.kind)
    if sentence.block_kind == "heading":
        return replace(sentence, kind="heading")
    return sentence


def classify_all(sentences: Iterable[Sentence], book: Rulebook) -> tuple[Sentence, ...]:
    """Classify every sentence."""
    return tuple(classify(s, book) for s in sentences)


def split_clauses(text: str, joints: Joints) -> list[tuple[int, int]]:
    """Split one sentence into claim spans (offsets relative to text) at clause joints."""
    pieces: list[tuple[int, int]] = []
    parts = _Parts(text, joints)
    for start, end in _split_semicolons(parts):
        pieces.extend(_split_piece(parts, start, end))
    return [span for span in (_trim(text, s, e) for s, e in pieces) if span[1] > span[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _three_words(text: str, start: int, end: int) -> bool:
    return _THREE_WORDS.match(text, start, end) is not None


class _Parts:
    """One sentence, with where its clause markers and "not only" stand, found once: every test
    of a part of it is then a lookup, so a run-on sentence of thousands of parts stays linear.
    Parts begin and end at joints, commas and semicolons, never inside a word, so a marker
    found in the whole sentence is one found in the part."""

    def __init__(self, text: str, joints: Joints) -> None:
        self.text, self.joints = text, joints
        self._markers: Optional[tuple[list[int], list[int]]] = None
        self._not_only: Optional[tuple[list[int], list[int]]] = None

    def is_clause(self, start: int, end: int) -> bool:
        """True when text[start:end] looks like a clause: three words or more and a verb signal
        (one of the joints' clause markers)."""
        if self._markers is None:
            self._markers = _starts_and_ends(self.joints.clause_markers, self.text)
        return _three_words(self.text, start, end) and _holds(self._markers, start, end)

    def not_only(self, start: int, end: int) -> bool:
        """Whether text[start:end] says "not only" (or just, merely): "X, but Y" is one claim."""
        if self._not_only is None:
            self._not_only = _starts_and_ends(_NOT_ONLY, self.text)
        return _holds(self._not_only, start, end)


def _starts_and_ends(pattern: re.Pattern, text: str) -> tuple[list[int], list[int]]:
    spans = [m.span() for m in pattern.finditer(text)]
    return [a for a, _ in spans], [b for _, b in spans]


def _holds(found: tuple[list[int], list[int]], start: int, end: int) -> bool:
    # Matches do not overlap: the first one starting in the part ends first.
    starts, ends = found
    at = bisect_left(starts, start)
    return at < len(starts) and ends[at] <= end


def _depth_zero_positions(text: str, start: int, end: int, char: str) -> list[int]:
    """Positions of char in text[start:end] that are outside quotes and brackets."""
    positions, depth, straight = [], 0, False
    # Only the characters that matter are visited; an apostrophe (’s, n’t) closes nothing.
    for m in _STRUCTURE.finditer(text, start, end):
        c = m.group()
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth = max(0, depth - 1)
        elif c == '"':
            straight = not straight
        elif c == char and depth == 0 and not straight:
            positions.append(m.start())
    return positions


def _split_semicolons(parts: _Parts) -> list[tuple[int, int]]:
    text = parts.text
    if ";" not in text:  # most sentences
        return [(0, len(text))]
    spans, start = [], 0
    for pos in _depth_zero_positions(text, 0, len(text), ";"):
        if parts.is_clause(start, pos) and parts.is_clause(pos + 1, len(text)):
            spans.append((start, pos))
            start = pos + 1
    spans.append((start, len(text)))
    return spans


def _starts_with(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    lowered = text[pos : pos + 20].lower()
    for word in _longest_first(words):
        if lowered.startswith(word) and not (len(lowered) > len(word) and lowered[len(word)].isalnum()):
            return word
    return None


@lru_cache(maxsize=16)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _split_piece(parts: _Parts, start: int, end: int) -> list[tuple[int, int]]:
    text, joints = parts.text, parts.joints
    lead = start
    while lead < end and not text[lead].isalnum():
        lead += 1
    spans: list[tuple[int, int]] = []
    if _starts_with(text, lead, joints.leading):
        # "Although X, Y": the first comma after which X is a clause and Y is substantial.
        for comma in _depth_zero_positions(text, lead, end, ","):
            if text[comma + 1 : comma + 3].lstrip()[:1] in _QUOTES:
                continue  # "While fans sang, “Go team,” ...": the comma opens a quotation
            if parts.is_clause(lead, comma) and _three_words(text, comma + 1, end):
                spans.append((start, comma))
                start = comma + 1
                break
    return spans + _split_inner(parts, start, end)


def _split_inner(parts: _Parts, start: int, end: int) -> list[tuple[int, int]]:
    """Split "X, though Y" and "X but Y" wherever both sides are clauses."""
    text, joints = parts.text, parts.joints
    spans, left = [], start
    for cut, after in _joint_candidates(text, start, end, joints):
        # The words right after the joint (a bounded slice: the pattern reads only the first).
        if joints.no_split_before.match(text[after : min(end, after + 200)]) or not parts.is_clause(after, end):
            continue
        if not parts.is_clause(left, cut) or parts.not_only(left, cut):
            continue
        # An auxiliary ends the left side within its last few characters.
        if text[after : after + 1] == "," and joints.no_split_after.search(text, max(left, cut - 64), cut):
            continue  # "Members have, however, approved ...": a parenthetical joint in a clause
        spans.append((left, cut))
        left = cut
    spans.append((left, end))
    return spans


def _joint_candidates(text: str, start: int, end: int, joints: Joints) -> list[tuple[int, int]]:
    """(where the new claim starts, where its words after the joint start) for each joint."""
    found = []
    commas = _depth_zero_positions(text, start, end, ",") if text.find(",", start, end) >= 0 else ()
    for comma in commas:
        pos = comma + 1
        while pos < end and text[pos] == " ":
            pos += 1
        word = _starts_with(text, pos, joints.inner)
        if word:
            found.append((comma + 1, pos + len(word)))
    for m in joints.bare_pattern.finditer(text, start, end):
        found.append((m.start(1), m.end(1)))
    return sorted(set(found))
