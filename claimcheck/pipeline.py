"""The pipeline: Document -> sentences -> claims with cues and levels -> Ledger.

``analyze`` is the library's entry point; it does no I/O of its own.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from typing import Optional, Sequence, Union

from claimcheck.analysis.clauses import classify_all, split_clauses
from claimcheck.analysis.cues import Match, find_matches, quote_marks
from claimcheck.analysis.levels import decide, is_attribution, is_own_source
from claimcheck.records import Attribution, Claim, Document, Ledger, Sentence, SourceInfo
from claimcheck.rulebook import Rulebook
from claimcheck.ruleset import RuleSet, load_ruleset
from claimcheck.vocabulary import LEVELS
from claimcheck.analysis.segment import split_document
from claimcheck.analysis.prefilter import Plan, index_of, split_plan, windowed_hits

_NORMALISE = re.compile(r"[\W_]+")
_END_PUNCT = re.compile(r"^[\s.!?…\"'”’)\]]*$")


def analyze(source: Union[str, Document], *, rules: Optional[RuleSet] = None, name: str = "text") -> Ledger:
    """The claim ledger of a Document, or of a text string (plain text or HTML).

    rules: every rule in force (``claimcheck.ruleset.load_ruleset``); the shipped ones by default.
    """
    if isinstance(source, Document):
        document = source
    else:
        from claimcheck.sources import document_from_text

        document = document_from_text(source, SourceInfo(kind="text", name=name), where=name)
    ruleset = rules if rules is not None else load_ruleset()
    sentences = classify_all(split_document(document, ruleset.segmentation), ruleset.book)
    run = _Pass(document, ruleset)
    claims: list[Claim] = []
    for sentence in sentences:
        if sentence.is_claim:
            claims.extend(run.claims_of(sentence))
    return Ledger(document=document, sentences=sentences, claims=tuple(claims), summary=summarize(claims))


def analyze_text(text: str, *, rules: Optional[RuleSet] = None, name: str = "text") -> Ledger:
    """The claim ledger of a text string (plain text or HTML)."""
    return analyze(text, rules=rules, name=name)


def summarize(claims: Sequence[Claim]) -> dict[str, int]:
    """Claims per level, every level present (zero when none)."""
    counts = {level: 0 for level in LEVELS}
    for claim in claims:
        counts[claim.level] += 1
    return counts


class _Pass:
    """One pass over a document: what every sentence's claims share, computed once."""

    def __init__(self, document: Document, rules: RuleSet) -> None:
        self.document = document
        self.book = book = rules.book
        self.worth = rules.worth
        # One scan of the text for the words cue rules and check-worthiness signals need, not
        # one per sentence: a window of it at a time, so that the hits of a long text are never
        # all held at once. Rules are numbered first, then signals (see split_plan).
        self.rule_count = len(book.trigger_list)
        self.hits = windowed_hits(index_of(book, self.worth), document.text)
        self.author = document.source.authors[0] if document.source.authors else None
        self.origin = document.source.url or document.source.name
        self.seen_ids: dict[str, int] = {}  # claim id (its first use) -> how often its text came
        self.quotes = _QuoteRun(document.text)
        self.attributions: dict[Attribution, Attribution] = {}  # one record per distinct value

    def claims_of(self, sentence: Sentence) -> list[Claim]:
        """The claims in one sentence, each with its level, cues and id."""
        text, book = self.document.text, self.book
        cue_plan, worth_plan = split_plan(self.hits.plan(sentence.start, sentence.end), self.rule_count)
        matches = find_matches(sentence, book, cue_plan)
        spans = [self._span(sentence, s, e) for s, e in split_clauses(sentence.text, book.joints)]
        shared = self.quotes.speaker_of(sentence, matches)
        if shared is None and len(spans) > 1:
            shared = _sentence_wide_attribution(sentence, matches)
        claims = []
        starts = [m.start for m in matches]  # matches come in text order
        for start, end in spans:
            own = matches[bisect_left(starts, start) : bisect_left(starts, end)]
            decisive = own if shared is None or any(map(is_own_source, own)) else own + [shared]
            embedded = _embedded_from(text, start, end, book) if decisive else None  # only cues care
            verdict = decide(decisive, embedded, self.author, quoted=sentence.block_kind == "quote")
            # Most claims are their whole sentence: share its text rather than copy it.
            whole = (start, end) == (sentence.start, sentence.end)
            claim_text = sentence.text if whole else text[start:end]
            attribution = self.attributions.setdefault(verdict.attribution, verdict.attribution)
            claims.append(
                Claim(
                    id=self._claim_id(claim_text),
                    sentence=sentence.index,
                    start=start,
                    end=end,
                    text=claim_text,
                    level=verdict.level,
                    hedged=verdict.hedged,
                    confidence=verdict.confidence,
                    attribution=attribution,
                    cues=tuple(m.cue(text) for m in sorted(decisive, key=lambda m: m.start)),
                    flags=verdict.flags,
                    check_worthiness=self.worth.score(
                        claim_text, verdict.level, worth_plan if whole else self._worth_plan(start, end)
                    ),
                    negated=verdict.negated,
                )
            )
        return claims

    @staticmethod
    def _span(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
        # A claim that is its whole sentence shares the sentence's offsets rather than new ints
        # (a long text holds hundreds of thousands of them).
        if start == 0 and end == len(sentence.text):
            return sentence.start, sentence.end
        return sentence.start + start, sentence.start + end

    def _worth_plan(self, start: int, end: int) -> Plan:
        return split_plan(self.hits.plan(start, end), self.rule_count)[1]

    def _claim_id(self, claim_text: str) -> str:
        """Stable: from the source and the claim's normalised text, not its position."""
        normal = _NORMALISE.sub(" ", claim_text.lower()).strip()
        first = "c" + hashlib.sha1(f"{self.origin}\n{normal}".encode("utf-8")).hexdigest()[:12]
        # Keyed by the id itself, which the first claim keeps: the key costs no extra string.
        count = self.seen_ids[first] = self.seen_ids.get(first, 0) + 1
        return first if count == 1 else f"{first}-{count}"


class _QuoteRun:
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

    def speaker_of(self, sentence: Sentence, matches: Sequence[Match]) -> Optional[Match]:
        """The attribution this sentence takes from the one before, if it continues a quotation."""
        follows = sentence.index == self.last + 1
        open_before = follows and self.open and "\n" not in self.text[self.end : sentence.start]
        all_quoted, self.open = _quoting(sentence.text, open_before)
        # "I think" or "they said" inside a quotation is the speaker's words, not a new speaker.
        own = next(filter(is_own_source, matches), None)
        taken = self.speaker if follows and all_quoted and own is None else None
        self.speaker = own or taken
        self.last, self.end = sentence.index, sentence.end
        return taken


_WORD_CHAR = re.compile(r"\w")


def _quoting(text: str, open_before: bool) -> tuple[bool, bool]:
    """(every word of text is inside quotation marks, a quotation is still open at its end)."""
    inside, outside_words, pos = open_before, False, 0
    for at, opens in quote_marks(text):
        if not inside and _WORD_CHAR.search(text, pos, at):
            outside_words = True
        inside, pos = opens, at + 1
    if not inside and _WORD_CHAR.search(text, pos):
        outside_words = True
    return not outside_words and (pos > 0 or open_before), inside


def _sentence_wide_attribution(sentence: Sentence, matches: Sequence[Match]) -> Optional[Match]:
    """An attribution that frames the whole sentence: "According to X, ..." or "..., X said."."""
    for m in matches:
        if not is_attribution(m):
            continue
        local_start, local_end = m.start - sentence.start, m.end - sentence.start
        opens = local_start <= 1 and sentence.text[local_start:local_start + 12].lower().startswith("according to")
        closes = _END_PUNCT.match(sentence.text[local_end:]) is not None
        if opens or closes:
            return m
    return None


def _embedded_from(text: str, start: int, end: int, book: Rulebook) -> Optional[int]:
    found = book.joints.embedders.search(text, start, end)
    return found.start() if found else None
