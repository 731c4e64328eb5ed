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

from .records import Sentence
from .rulebook import Joints, Rulebook

# Heading blocks keep the kind "heading" unless a rule finds something more specific.
_SPECIFIC_OVER_HEADING = frozenset({"dateline", "byline", "boilerplate", "call_to_action"})
_OPENERS = "([{“‘"
_CLOSERS = ")]}”’"
_TRIM = " \t\n,;:—–-"
_QUOTES = "“\"‘"
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
    for start, end in _split_semicolons(text, joints):
        pieces.extend(_split_piece(text, start, end, joints))
    return [span for span in (_trim(text, s, e) for s, e in pieces) if span[1] > span[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def is_clause(text: str, joints: Joints, start: int = 0, end: Optional[int] = None) -> bool:
    """True when text[start:end] looks like a clause: three words or more and a verb signal.

    Read in place (no slice), so trying every joint of a long run-on sentence stays linear-ish."""
    end = len(text) if end is None else end
    return _three_words(text, start, end) and joints.clause_markers.search(text, start, end) is not None


def _three_words(text: str, start: int, end: int) -> bool:
    return _THREE_WORDS.match(text, start, end) is not None


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


def _split_semicolons(text: str, joints: Joints) -> list[tuple[int, int]]:
    if ";" not in text:  # most sentences
        return [(0, len(text))]
    spans, start = [], 0
    for pos in _depth_zero_positions(text, 0, len(text), ";"):
        if is_clause(text, joints, start, pos) and is_clause(text, joints, pos + 1):
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


def _split_piece(text: str, start: int, end: int, joints: Joints) -> list[tuple[int, int]]:
    lead = start
    while lead < end and not text[lead].isalnum():
        lead += 1
    spans: list[tuple[int, int]] = []
    if _starts_with(text, lead, joints.leading):
        # "Although X, Y": the first comma after which X is a clause and Y is substantial.
        for comma in _depth_zero_positions(text, lead, end, ","):
            if text[comma + 1 : comma + 3].lstrip()[:1] in _QUOTES:
                continue  # "While fans sang, “Go team,” ...": the comma opens a quotation
            if is_clause(text, joints, lead, comma) and _three_words(text, comma + 1, end):
                spans.append((start, comma))
                start = comma + 1
                break
    return spans + _split_inner(text, start, end, joints)


def _split_inner(text: str, start: int, end: int, joints: Joints) -> list[tuple[int, int]]:
    """Split "X, though Y" and "X but Y" wherever both sides are clauses."""
    spans, left = [], start
    markers: Optional[list[int]] = None  # where clause markers start, found once for all joints
    for cut, after in _joint_candidates(text, start, end, joints):
        if markers is None:
            markers = [m.start() for m in joints.clause_markers.finditer(text, start, end)]
        # The right side is the rest of the sentence: a clause if a marker starts in it (one
        # lookup, not a search of the rest for every joint of a long run-on sentence).
        right_is_clause = _three_words(text, after, end) and bisect_left(markers, after) < len(markers)
        # The words right after the joint (a bounded slice: the pattern reads only the first).
        if joints.no_split_before.match(text[after : min(end, after + 200)]) or not right_is_clause:
            continue
        if not is_clause(text, joints, left, cut) or _after_not_only(text, left, cut):
            continue
        if text[after : after + 1] == "," and joints.no_split_after.search(text, left, cut):
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


def _after_not_only(text: str, left: int, cut: int) -> bool:
    return re.search(r"\bnot\s+(?:only|just|merely)\b", text[left:cut], re.IGNORECASE) is not None
