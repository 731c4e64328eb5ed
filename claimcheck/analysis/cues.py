"""The cue stage: find the words that show how firmly a sentence commits, and who backs it.

Every cue rule runs over the sentence; when matches overlap, the longer one wins (then the
higher priority), so "could not be independently verified" beats "could".
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from dataclasses import replace
from typing import Iterator, Optional, Sequence

from claimcheck.analysis.attribution import appositive_head
from claimcheck.analysis.quotes import QUOTE_MARK, quote_marks
from claimcheck.records import Cue, Sentence
from claimcheck.rulebook import CueRule, Rulebook
from claimcheck.analysis.prefilter import Plan, anchored_matches, index_of

_EDGES = " ,;:'’\"”“"
_SENTENCE_END = re.compile(r"[\s\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Match:
    """A cue rule's match in the document, before it is assigned to a claim."""

    rule: CueRule
    start: int
    end: int
    source: Optional[str]  # the source a pattern names in (?P<source>...)
    verb: Optional[str]
    quoted: bool = False  # inside quotation marks: part of someone's quoted words

    def cue(self, text: str) -> Cue:
        """The public Cue record for this match."""
        return Cue(
            text=text[self.start : self.end],
            start=self.start,
            end=self.end,
            kind=self.rule.kind,
            rule=self.rule.ref,
            effect=self.rule.level or self.rule.flag or "",
        )


def find_matches(sentence: Sentence, book: Rulebook, plan: Optional[Plan] = None) -> list[Match]:
    """Every cue in the sentence, overlaps resolved, in text order.

    plan: the sentence's rules and where they may start, from a document-wide trigger scan
    (see prefilter.py); without it the sentence is scanned on its own.
    """
    text, offset = sentence.text, sentence.start
    rules, starts = plan if plan is not None else (index_of(book).candidates(text), {})
    candidates = []
    cues = book.cues
    for index in rules:
        rule = cues[index]
        groups = rule.pattern.groupindex
        has_source, has_verb = "source" in groups, "verb" in groups
        for m in rule_matches(rule, text, starts.get(index)):
            source = _source_words(m, text) if has_source else None
            verb = _group_words(m, "verb", text) if has_verb else None
            start, end = _words(text, *m.span())
            candidates.append(Match(rule, offset + start, offset + end, source, verb))
    if candidates and QUOTE_MARK.search(text):
        candidates = _mark_quoted(candidates, text, offset)
    return _resolve_overlaps(candidates)


def rule_matches(rule: CueRule, text: str, starts: Optional[Sequence[int]] = None) -> Iterator[re.Match]:
    """Matches of one cue rule in text, with its context vetoes applied.

    starts: where matches can begin, when the prefilter knows (see prefilter.py)."""
    pattern = rule.pattern
    found = pattern.finditer(text) if starts is None else anchored_matches(pattern.match, text, starts)
    not_before, not_after = rule.not_before, rule.not_after
    if not_before is None and not_after is None:  # most rules: no vetoes to check
        for m in found:
            if m.end() != m.start():
                yield m
        return
    for m in found:
        start, end = m.span()
        if end == start:
            continue
        if not_before is not None and not_before.search(text, max(0, start - 60), start):
            continue
        if not_after is not None and not_after.match(text, end):
            continue
        yield m


def rule_fires(rule: CueRule, sentence: str) -> bool:
    """True when the rule (with its context vetoes) matches somewhere in the sentence."""
    return next(rule_matches(rule, sentence), None) is not None


def _mark_quoted(candidates: list[Match], text: str, offset: int) -> list[Match]:
    spans, start = [], None
    for at, opens in quote_marks(text):
        if opens:
            start = at if start is None else start
        elif start is not None:
            spans.append((start, at))
            start = None
        elif not spans:  # a first mark that closes: the sentence began inside the quotation
            spans.append((0, at))
    if start is not None:
        spans.append((start, len(text)))
    starts = [a for a, _ in spans]  # in order and apart: one lookup a match, however long the text
    marked = []
    for m in candidates:
        at = bisect_right(starts, m.start - offset) - 1
        marked.append(replace(m, quoted=True) if at >= 0 and m.start - offset < spans[at][1] else m)
    return marked


def _words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the punctuation around its words (patterns may anchor on it: ",
    suggesting") nor the sentence's own final period ("..., said Hill.")."""
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    if end > start and text[end - 1] == "." and _SENTENCE_END.match(text, end):
        end -= 1
    return start, end


def _group_words(m: re.Match, name: str, text: str) -> Optional[str]:
    if not m.group(name):
        return None
    start, end = _words(text, *m.span(name))
    return text[start:end]


def _source_words(m: re.Match, text: str) -> Optional[str]:
    # A rule may take the last aside of an appositive chain for the source ("Jane Doe, a fellow
    # at the institute in Munich, Germany, and co-author, said"): the chain's head speaks.
    if not m.group("source"):
        return None
    start, end = _words(text, *m.span("source"))
    head = appositive_head(text, start, end)
    return text[head[0] : head[1]] if head is not None else text[start:end]


def _resolve_overlaps(candidates: list[Match]) -> list[Match]:
    if len(candidates) < 2:
        return candidates  # nothing can overlap
    chosen: list[Match] = []
    spans: list[tuple[int, int]] = []  # the chosen (start, end), in order: they never overlap
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.rule.priority, c.start)):
        # Of the chosen spans starting before this one ends, only the last can reach into it:
        # one lookup, so a sentence with thousands of cues is not quadratic.
        at = bisect_left(spans, (cand.end, -1)) - 1
        if at < 0 or spans[at][1] <= cand.start:
            spans.insert(at + 1, (cand.start, cand.end))
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)
