"""The pipeline: Document -> sentences -> claims with cues and levels -> Ledger.

``analyze`` is the library's entry point; it does no I/O of its own.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from typing import Optional, Sequence, Union

from claimcheck.analysis.attribution import Speakers
from claimcheck.analysis.clauses import classify_all, split_clauses
from claimcheck.analysis.cues import Match, find_matches
from claimcheck.analysis.levels import decide, is_attribution, is_own_source
from claimcheck.analysis.quotes import QuoteRun
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
        else:
            # A question inside a quotation ("Is this a war-torn country?") does not end it.
            run.quotes.speaker_of(sentence, None)
    claims = run.speakers.whole_quotations(claims)
    quotes, sources = run.speakers.quotes_and_sources(claims)
    return Ledger(document, sentences, tuple(claims), summarize(claims), quotes, sources)


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
        self.quotes = QuoteRun(document.text)
        self.speakers = Speakers(document.text)
        self.attributions: dict[Attribution, Attribution] = {}  # one record per distinct value

    def claims_of(self, sentence: Sentence) -> list[Claim]:
        """The claims in one sentence, each with its level, cues and id."""
        text, book = self.document.text, self.book
        cue_plan, worth_plan = split_plan(self.hits.plan(sentence.start, sentence.end), self.rule_count)
        matches = find_matches(sentence, book, cue_plan)
        spans = [self._span(sentence, s, e) for s, e in split_clauses(sentence.text, book.joints)]
        shared = self.quotes.speaker_of(sentence, next(filter(is_own_source, matches), None))
        if shared is None and len(spans) > 1:
            shared = _sentence_wide_attribution(sentence, matches)
        claims = []
        starts = [m.start for m in matches]  # matches come in text order
        before: Optional[Match] = None  # the source of the clause before, in this sentence
        for start, end in spans:
            own = matches[bisect_left(starts, start) : bisect_left(starts, end)]
            own_source = next(filter(is_own_source, own), None)
            # "The office said 30 were hurt, but added that ...": the same speaker goes on.
            goes_on = shared is None and own_source is None and before is not None and _GOES_ON.match(text, start) is not None
            covering = before if goes_on else shared
            decisive = own if covering is None or own_source is not None else own + [covering]
            before = own_source or covering
            embedded = _embedded_from(text, start, end, book) if decisive else None  # only cues care
            # Someone else's words: a block quote, a quotation, a transcript line ("SMITH: ...").
            quoted = sentence.block_kind == "quote" or self.quotes.covers(sentence, start, end)
            speaker_line = self.speakers.transcript_speaker_at(start)
            verdict = decide(decisive, embedded, self.author, quoted=quoted or speaker_line is not None)
            # Most claims are their whole sentence: share its text rather than copy it.
            whole = (start, end) == (sentence.start, sentence.end)
            claim_text = sentence.text if whole else text[start:end]
            # A frame of the claim's own (or its clause's, "but added") outranks a credit or a
            # transcript turn; a speaker carried from an earlier sentence does not.
            framed = own_source is not None or goes_on
            found = self.speakers.resolve(verdict.attribution, start, speaker_line, framed)
            attribution = self.attributions.setdefault(found, found)
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


# A clause whose subject is the one before's: "..., but added that", "and also said".
_GOES_ON = re.compile(
    r"(?:but|and|yet|while)\s+(?:also\s+|later\s+|then\s+)?(?:added|said|says|noted|warned|insisted|stressed|"
    r"acknowledged|conceded|admitted|argued|told|wrote|cautioned)\b",
    re.IGNORECASE,
)


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
