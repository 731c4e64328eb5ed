"""The frozen records that pass between the pipeline's stages.

source -> Document -> Sentence -> Claim (+ Cue, Attribution) -> Ledger.
Every offset is a Python string index (Unicode code point) into ``Document.text``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from typing import Optional


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where a document came from, and what its page says about itself."""

    kind: str  # "file", "stdin", "url", "text"
    name: str  # the path, "-" or the URL as the user gave it
    url: Optional[str] = None
    final_url: Optional[str] = None
    status: Optional[int] = None
    content_type: Optional[str] = None
    encoding: Optional[str] = None
    fetched_at: Optional[str] = None
    title: Optional[str] = None
    authors: tuple[str, ...] = ()
    published: Optional[str] = None
    modified: Optional[str] = None
    site: Optional[str] = None
    language: Optional[str] = None
    description: Optional[str] = None
    canonical_url: Optional[str] = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The JSON form of this record (tuples become lists); warnings go to stderr, not here."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "warnings"}
        data["authors"] = list(self.authors)
        return data


# Block kinds a source stage may produce. Plain text gives "paragraph" and "heading";
# HTML extraction can also give "list_item", "quote", "caption" and "preformatted".
BLOCK_KINDS = ("paragraph", "heading", "list_item", "quote", "caption", "preformatted")


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the document (paragraph, heading, ...): sentences never cross it."""

    start: int
    end: int
    kind: str = "paragraph"


@dataclass(frozen=True, slots=True)
class Document:
    """The article's text, its structural blocks and its source metadata."""

    text: str
    blocks: tuple[Block, ...]
    source: SourceInfo


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or heading line) with its offsets and what kind of unit it is."""

    index: int
    start: int
    end: int
    text: str
    block_kind: str = "paragraph"
    kind: str = "statement"  # statement, heading, question, call_to_action, dateline, byline, boilerplate

    @property
    def is_claim(self) -> bool:
        """True when this sentence can hold claims."""
        return self.kind == "statement"


@dataclass(frozen=True, slots=True)
class Cue:
    """Words in the text that moved a claim's level, and the rule that found them."""

    text: str
    start: int
    end: int
    kind: str  # hedge, booster, attribution, evidence_gap, negation, condition, unknown, denial, ...
    rule: str  # "<file stem>:<entry id>"
    effect: str = ""  # the level (or flag) this cue argues for

    def __post_init__(self) -> None:
        # A long text has many cues from few rules: one copy of each rule's name serves them all.
        object.__setattr__(self, "rule", sys.intern(self.rule))


@dataclass(frozen=True, slots=True)
class Attribution:
    """On whose authority a claim rests."""

    type: str  # "author", "named", "anonymous", "unknown" (a quotation whose speaker is not found)
    name: Optional[str] = None  # as the article writes it: "Smith", "she", "the company"
    verb: Optional[str] = None
    resolved: Optional[str] = None  # the full name a short name or pronoun refers to, when known

    def to_dict(self) -> dict:
        """The JSON form of this record."""
        return {"type": self.type, "name": self.name, "verb": self.verb, "resolved": self.resolved}


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim with its level, confidence and the cues that decided them."""

    id: str
    sentence: int
    start: int
    end: int
    text: str
    level: str
    hedged: bool
    confidence: float
    attribution: Attribution
    cues: tuple[Cue, ...] = ()
    flags: tuple[str, ...] = ()
    check_worthiness: float = 0.0  # in [0, 1]: how much the claim is worth fact-checking (worth.py)
    negated: bool = False  # the claim's predicate is negated: it asserts that something did not happen


@dataclass(frozen=True, slots=True)
class Quote:
    """Someone's reported words: a direct quotation (between quotation marks) or an indirect
    one (a claim a frame attributes: "the mayor said the bridge would reopen")."""

    start: int  # the quoted words: for a direct quotation, from its opening mark to its closing one
    end: int
    direct: bool
    speaker: Attribution  # type "unknown" when no frame names the speaker
    cue: Optional[Cue]  # the frame that names the speaker, when there is one in the text
    claims: tuple[str, ...]  # ids of the claims inside

    def to_dict(self) -> dict:
        """The JSON form of this record."""
        return {
            "start": self.start, "end": self.end, "direct": self.direct, "speaker": self.speaker.to_dict(),
            "cue": None if self.cue is None else {"text": self.cue.text, "start": self.cue.start, "end": self.cue.end},
            "claims": list(self.claims),
        }


@dataclass(frozen=True, slots=True)
class Source:
    """One distinct source of the article, and what rests on it."""

    name: Optional[str]  # the full name when known, else as first written; None: the writer, or unknown
    kind: str  # person, organisation, document, anonymous, named (undetermined), writer, unknown
    claims: tuple[str, ...]  # ids of the claims resting on it
    quotes: tuple[int, ...] = ()  # positions in Ledger.quotes

    def to_dict(self) -> dict:
        """The JSON form of this record."""
        return {"name": self.name, "kind": self.kind, "claims": list(self.claims), "quotes": list(self.quotes)}


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything claimcheck found in one document."""

    document: Document
    sentences: tuple[Sentence, ...]
    claims: tuple[Claim, ...]
    summary: dict = field(default_factory=dict)
    quotes: tuple[Quote, ...] = ()
    sources: tuple[Source, ...] = ()
