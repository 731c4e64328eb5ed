"""The sentence stage: split each block of a Document into sentences.

NLTK's Punkt decides the hard cases (abbreviations, initials, numbers, collocations) with
parameters from ``rules/segmentation.toml`` (read by the rulebook wing into
SegmentationRules); nothing is trained or downloaded at run time. Around it sit the rules
Punkt lacks: closing quotes and attributions, ellipses, run-in lists, bullets, parentheses,
times of day and dotted acronyms.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

from claimcheck.records import Document, Sentence
from claimcheck.rulebook import SegmentationRules, load_rule_files

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# A run of sentence-final punctuation (spaced or unspaced ellipses included),
# the closing quotes and brackets that belong to it, and - looked at but not
# consumed, so the next candidate can sit in the next word - what follows (an
# opening quote or bracket may be followed by a stray space: "“ I love it.”").
_CANDIDATE = re.compile(
    r"""(?P<term>(?:\.[ \u00a0]?){2,}\.[.!?]*|…[.!?…]*|[.!?][.!?…]*)
        (?P<close>["'”’»)\]]*)
        (?=\s+(?P<open>["'“‘«(\[¡¿]*)(?:(?<=[“‘«(\[¡¿])[ \u00a0])?(?P<word>\S*)|\s*\Z)""",
    re.VERBOSE,
)
_CLOSING_QUOTES = frozenset("\"'”’»")
_CLOSERS = frozenset("\"'”’»)]")
_WORD_TRIM = "\"'“”‘’«»()[]{},;:.!?*_"
_OPENERS = "\"'“‘«([{¡¿*_"
# What a sentence is when it is nothing but a list marker ("1", "b", "iv", "• 9").
_MARKER_ONLY = re.compile(r"\s*(?:[•⁃▪◦‣*-]\s*)?(?:\d{1,3}|[A-Za-z]|[ivx]{1,5}|[IVX]{1,5})\s*")
# A block that opens a run-in list: "1. ", "a) ", "• 9. ", "2.) ".
_LIST_START = re.compile(r"\s*(?:[•⁃▪◦‣*-]\s*)?(?P<num>\d{1,3}|[a-z])(?P<style>\.\)|\)|\.)\s")
_BULLETS = "•⁃▪◦‣"
_BULLET_INSIDE = re.compile(r"(?<=\s)[•⁃▪◦‣]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")
# Scraped text loses the space between sentences ("the meeting ended.Police arrived"): a
# lower-case word, its period, then a capitalised word.
# Only a period: "!" glues into names ("Yahoo!Mail"). The period comes first in the pattern so
# the engine can skip to it.
_GLUED = re.compile(r"\.(?=[A-Z][a-z])(?<=[a-z]{2}.)")
_TOKEN = re.compile(r"\S*")
_NOT_PROSE = frozenset("./@:")  # a domain, path, address or dotted abbreviation, not a sentence end


def shipped_rules() -> SegmentationRules:
    """The segmentation rules of the shipped rule files (read once)."""
    return load_rule_files().segmentation


@lru_cache(maxsize=8)
def punkt_of(rules: SegmentationRules) -> "PunktSentenceTokenizer":
    """The Punkt tokenizer with these rules' parameters (built, and nltk imported, on first use).

    Built the first time a period needs it: importing nltk is a large part of start-up, and a
    text whose periods the rules settle never pays it. Keyed on the rules object itself."""
    return _punkt_tokenizer(*rules.punkt_words)


def _punkt_tokenizer(
    abbreviations: frozenset[str],
    starters: frozenset[str],
    always_capitalized: frozenset[str],
    collocations: frozenset[tuple[str, str]],
) -> "PunktSentenceTokenizer":
    # Imported here: importing nltk takes ~0.15 s, paid only once a period needs Punkt.
    from nltk.tokenize.punkt import (
        _ORTHO_BEG_UC,
        _ORTHO_MID_LC,
        _ORTHO_MID_UC,
        PunktParameters,
        PunktSentenceTokenizer,
    )

    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    params.sent_starters = set(starters)
    params.collocations = set(collocations)
    for word in starters:
        # Single letters are left out: "J. A. Smith" must not end at "J.".
        if len(word) > 1 and word not in always_capitalized:
            # Seen capitalised only at sentence starts: Punkt's orthographic
            # heuristic then reads a capitalised starter as a new sentence.
            params.add_ortho_context(word, _ORTHO_BEG_UC | _ORTHO_MID_LC)
    for word in always_capitalized:
        params.add_ortho_context(word, _ORTHO_BEG_UC | _ORTHO_MID_UC)
    return PunktSentenceTokenizer(params)


def sentence_spans(
    text: str, start: int = 0, end: Optional[int] = None, rules: Optional[SegmentationRules] = None
) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within text[start:end], trimmed, covering all its non-space text.

    rules: the segmentation rules in force (the shipped ones when not given)."""
    end = len(text) if end is None else end
    piece = text[start:end]
    return _trimmed_spans(piece, _split_points(piece, rules or shipped_rules()), start)


def split_document(doc: Document, rules: Optional[SegmentationRules] = None) -> tuple[Sentence, ...]:
    """The sentences of every block of doc, in order; a heading block is one sentence.

    rules: the segmentation rules in force (the shipped ones when not given)."""
    rules = rules or shipped_rules()
    sentences: list[Sentence] = []
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        points = [] if block.kind == "heading" else _split_points(piece, rules)
        for s, e in _trimmed_spans(piece, points, block.start):
            sentences.append(Sentence(len(sentences), s, e, doc.text[s:e], block_kind=block.kind))
    return tuple(sentences)


def _trimmed_spans(s: str, points: list[int], offset: int) -> list[tuple[int, int]]:
    spans = []
    prev = 0
    for point in points + [len(s)]:
        chunk = s[prev:point]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            spans.append((offset + prev + left, offset + prev + right))
        prev = point
    return spans


def _split_points(s: str, rules: SegmentationRules) -> list[int]:
    """Offsets in s where a new sentence begins (whitespace between is trimmed later)."""
    forced = _forced_points(s, rules)
    parens = [m.span() for m in _PARENTHETICAL.finditer(s)] if "(" in s else []
    points: list[int] = []
    last = 0
    next_forced = 0
    for m in _CANDIDATE.finditer(s):
        while next_forced < len(forced) and forced[next_forced] <= m.start():
            if forced[next_forced] > last:
                last = forced[next_forced]
                points.append(last)
            next_forced += 1
        if m.group("word") is None:
            continue  # the end of the text: nothing to split from
        point = _decide(s, m, last, rules, parens)
        if point is not None and point > last:
            last = point
            points.append(point)
    for point in forced[next_forced:]:
        if point > last:
            last = point
            points.append(point)
    return points


def _forced_points(s: str, rules: SegmentationRules) -> list[int]:
    """Starts of units that need no split decision: paragraphs, bullets, run-in list items, and
    sentences glued to the one before."""
    points: list[int] = _glued_points(s, rules)
    if "\n" in s:
        points.extend(m.end() for m in _PARAGRAPH_BREAK.finditer(s))
    if any(b in s for b in _BULLETS):
        points.extend(m.start() for m in _BULLET_INSIDE.finditer(s))
    first = _LIST_START.match(s)
    if first:
        points.extend(_list_item_points(s, first))
    return sorted(set(points)) if len(points) > 1 else points


def _glued_points(s: str, rules: SegmentationRules) -> list[int]:
    """Where a sentence begins right after the previous one's end, with no space between."""
    points = []
    for m in _GLUED.finditer(s):
        end = m.end()
        left = s[max(0, end - 64) : end - 1].rsplit(None, 1)[-1]  # the word the period ends
        right = _TOKEN.match(s, end).group().rstrip(".!?,;:")
        if not _NOT_PROSE.isdisjoint(left + right) or right.lower() in rules.glued_not_after:
            continue  # a web address, a file name
        if left.lstrip(_OPENERS).lower() not in rules.punkt_words[0]:  # "Inc.The": unsure, kept whole
            points.append(end)
    return points


def _list_item_points(s: str, first: re.Match[str]) -> list[int]:
    # Only the next number or letter in the same style starts an item, so
    # "1. Buy 2. Sell" splits but "1. Buy 2 pens" does not.
    points = []
    num, style, pos = first.group("num"), first.group("style"), first.end()
    while True:
        num = str(int(num) + 1) if num.isdigit() else chr(ord(num) + 1)
        item = re.compile(r"(?<=\s)(?:[%s]\s*)?%s%s\s" % (_BULLETS, re.escape(num), re.escape(style)))
        found = item.search(s, pos)
        if not found:
            return points
        points.append(found.start())
        pos = found.end()


def _decide(
    s: str, m: re.Match[str], last: int, rules: SegmentationRules, parens: list[tuple[int, int]]
) -> Optional[int]:
    """Where the sentence ends at candidate m, or None when it goes on."""
    end = m.end()
    if parens and any(a < end < b for a, b in parens):
        return None  # a parenthetical is part of the sentence around it
    word = m.group("word")
    if word[:1].islower() and not word[1:2].isupper():  # "iPhone" may start a sentence
        return None
    term = m.group("term")
    quoted = bool(m.group("close")) and m.group("close")[-1] in _CLOSING_QUOTES
    if quoted and rules.attribution.match(s, m.start("open")):
        return None
    if "?" in term or "!" in term:
        return end
    dots = term.count(".") + 3 * term.count("…")
    if dots >= 3:
        return _ellipsis_end(s, m, rules)
    if quoted:
        return end  # a period inside closing quotes ends the quoted sentence
    return end if _period_ends(s, m, last, rules) else None


def _ellipsis_end(s: str, m: re.Match[str], rules: SegmentationRules) -> Optional[int]:
    term, start = m.group("term"), m.start()
    if start and s[start - 1] == "[":
        return None  # "[...]" marks words left out of a quotation
    capital = m.group("open") or m.group("word")[:1].isupper()
    if term.count(".") >= 4 and capital:
        # "word. . . . Next": the attached period ends the sentence and the
        # ellipsis opens the next one; "word . . . . Next": ellipsis + period.
        if start and not s[start - 1].isspace() and term[1] in " \u00a0":
            return start + 1
        return m.end()
    next_word = m.group("word").strip(_WORD_TRIM).lower()
    if next_word in rules.starters and next_word not in rules.always_capitalized:
        return m.end()
    return None


def _period_ends(s: str, m: re.Match[str], last: int, rules: SegmentationRules) -> bool:
    start = m.start()
    before = s[max(last, start - 48) : start]
    if not before or before[-1].isspace():
        return True  # a period standing alone: "... with a period . Next"
    if _MARKER_ONLY.fullmatch(s, last, start):
        return False  # "1." or "b." opening a list item
    word = before.rsplit(None, 1)[-1].lstrip(_OPENERS)
    lower = word.lower()
    if lower in rules.never_final:
        return False
    if not word or word[-1] in _CLOSERS:
        return True  # '(AP).' or '"yes".'
    if word == "I" and _follows_lowercase(before):
        return True  # the pronoun ("said I. He"), not an initial ("Albert I. Jones")
    next_word = m.group("word").strip(_WORD_TRIM)
    if lower in rules.times:
        return _time_ends(s, last, start, next_word, rules)
    if _DOTTED_ACRONYM.fullmatch(lower):
        return next_word[:1].isupper() and next_word.lower() in rules.starters
    return _sentbreak(punkt_of(rules), f"{word}. {next_word or m.group('word')}")


@lru_cache(maxsize=1 << 14)
def _sentbreak(punkt: "PunktSentenceTokenizer", text: str) -> bool:
    # The same abbreviation-and-next-word pairs recur throughout a text ("Mr. Holmes"); Punkt's
    # answer depends only on its parameters, which never change once built.
    return punkt.text_contains_sentbreak(text)


def _follows_lowercase(before: str) -> bool:
    words = before.rsplit(None, 2)
    return len(words) > 1 and words[-2][:1].islower()


def _time_ends(s: str, last: int, start: int, next_word: str, rules: SegmentationRules) -> bool:
    if not next_word[:1].isupper() or next_word.lower() in rules.time_followers:
        return False
    so_far = s[last:start].split()
    # "At 5 a.m. Smith left": the time closes an opening phrase, not a sentence.
    opening = so_far[0].lstrip(_OPENERS).lower() in rules.opening_words
    return not (opening and len(so_far) <= rules.opening_max_words)
