"""The pipeline: Document -> sentences -> claims with cues and levels -> Ledger.

``analyze`` is the library's entry point; it does no I/O of its own.
"""
from __future__ import annotations

import hashlib
import re
from typing import Optional, Sequence, Union

from .claims import classify_all, split_clauses
from .cues import Match, find_matches
from .levels import decide, is_attribution
from .records import Claim, Document, Ledger, Sentence, SourceInfo
from .rulebook import LEVELS, Rulebook, load_rulebook
from .segment import split_document
from .worth import load_worth

_NORMALISE = re.compile(r"[\W_]+")
_END_PUNCT = re.compile(r"^[\s.!?…\"'”’)\]]*$")


def analyze(source: Union[str, Document], *, rules: Optional[Rulebook] = None, name: str = "text") -> Ledger:
    """The claim ledger of a Document, or of a text string (plain text or HTML)."""
    if isinstance(source, Document):
        document = source
    else:
        from .sources import document_from_text

        document = document_from_text(source, SourceInfo(kind="text", name=name), where=name)
    book = rules if rules is not None else load_rulebook()
    sentences = classify_all(split_document(document), book)
    run = _Pass(document, book)
    claims: list[Claim] = []
    for sentence in sentences:
        if sentence.is_claim:
            claims.extend(run.claims_of(sentence))
    return Ledger(document=document, sentences=sentences, claims=tuple(claims), summary=summarize(claims))


def analyze_text(text: str, *, rules: Optional[Rulebook] = None, name: str = "text") -> Ledger:
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

    def __init__(self, document: Document, book: Rulebook) -> None:
        self.document = document
        self.book = book
        self.worth = load_worth()
        # One scan of the whole text for the words rules and signals need, not one per sentence.
        self.cue_hits = book.triggers.scan(document.text)
        self.worth_hits = self.worth.triggers.scan(document.text)
        self.author = document.source.authors[0] if document.source.authors else None
        self.origin = document.source.url or document.source.name
        self.seen_ids: dict[str, int] = {}

    def claims_of(self, sentence: Sentence) -> list[Claim]:
        """The claims in one sentence, each with its level, cues and id."""
        text, book = self.document.text, self.book
        matches = find_matches(sentence, book, self.cue_hits)
        spans = [(sentence.start + s, sentence.start + e) for s, e in split_clauses(sentence.text, book.joints)]
        shared = _sentence_wide_attribution(sentence, matches) if len(spans) > 1 else None
        claims = []
        for start, end in spans:
            own = [m for m in matches if start <= m.start < end]
            decisive = own if shared is None or any(is_attribution(m) for m in own) else own + [shared]
            verdict = decide(
                decisive, _embedded_from(text, start, end, book), self.author, quoted=sentence.block_kind == "quote"
            )
            claim_text = text[start:end]
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
                    attribution=verdict.attribution,
                    cues=tuple(m.cue(text) for m in sorted(decisive, key=lambda m: m.start)),
                    flags=verdict.flags,
                    check_worthiness=self.worth.score(
                        claim_text, verdict.level, self.worth_hits.candidates(start, end)
                    ),
                    negated=verdict.negated,
                )
            )
        return claims

    def _claim_id(self, claim_text: str) -> str:
        """Stable: from the source and the claim's normalised text, not its position."""
        normal = _NORMALISE.sub(" ", claim_text.lower()).strip()
        digest = hashlib.sha1(f"{self.origin}\n{normal}".encode("utf-8")).hexdigest()[:12]
        count = self.seen_ids[digest] = self.seen_ids.get(digest, 0) + 1
        return f"c{digest}" if count == 1 else f"c{digest}-{count}"


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
