"""The attribution stage: whose word each claim is, read in the context of the whole article.

The cue rules find reporting frames, a source and a verb ("the mayor said"); the level stage
picks the frame that governs a claim. This stage reads that choice against the article:

* the speaker of an appositive chain is its head: in "Jane Doe, a fellow at the institute in
  Munich, Germany, and co-author of the study, said", Jane Doe speaks, not Germany;
* a transcript line ("SMITH: We will win.") is its speaker's words;
* a short name or a pronoun ("Doe said", "she said") keeps the name as written and adds the
  full name it refers to (``resolved``): the last person so named, or for a pronoun the last
  person who spoke;
* a quotation whose speaker cannot be found is an *unattributed quote* (type ``unknown``,
  verb ``quoted``), never the author's own assertion;
* at the end, the article's quotations and its distinct sources, with what rests on each.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import Iterator, Optional, Sequence

from claimcheck.analysis.quotes import quotation_runs
from claimcheck.records import Attribution, Claim, Cue, Quote, Source

# A capitalised word of a name ("O'Neill", "McCain", "Jean-Luc"); "Gov." and "Dr." too.
_CAPWORD = r"(?:[A-Z][a-z]*\.|[A-Z][\w’'-]*[\w])"
# A person's full name: two to four capitalised words on one line, the small words names carry allowed.
_FULL_NAME = re.compile(rf"\b{_CAPWORD}(?:[^\S\n]+(?:(?:de|van|von|der|al|bin|da|del|la|le)[^\S\n]+)?{_CAPWORD}){{1,3}}\b")
# Words that open a sentence or a title, not a name: "The", "But", "On Monday".
_NOT_NAME_START = frozenset(
    """the a an this that these those but and or so then however also in on at for if as when while after
    before although though meanwhile still yet now indeed it he she they we i you according last next
    this from with by to of mr mrs ms dr gov sen rep president""".split()
)
# Words that end a name only as an organisation's ("Microsoft Corp", "State Department").
_ORGANISATION_WORDS = frozenset(
    """department ministry agency office party campaign committee council court post times news journal
    press association institute university college school hospital group company corp corporation inc
    ltd co bank union commission board administration house senate congress government police service
    foundation center centre network media poll polls""".split()
)
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GENDER = {"he": "he", "him": "he", "she": "she", "her": "she"}
# Titles before a name: kept in the name as written, left out of the full name it resolves to.
_TITLES = frozenset(
    """mayor senator sen governor gov president minister judge justice chief coach dr mr mrs ms prof
    professor general gen secretary rep representative speaker detective officer sergeant sgt captain
    capt lt commissioner chancellor ambassador pope king queen prince princess sir dame lord lady rev
    reverend father sister former""".split()
)
# "SMITH: ...", "Sen. JANE DOE: ...": a transcript line's speaker, in capitals, before a colon.
_TRANSCRIPT = re.compile(r"""^\s*["“]?\s*(?P<name>(?:[A-Z][a-z]{0,3}\.\s+)?[A-Z][A-Z’'.-]+(?:\s+[A-Z][A-Z’'.-]+){0,3}):\s+\S""")
# An aside between commas right before a speaker's verb: "Jane Doe, the city's lawyer, ...".
_APPOSITIVE_OPENERS = re.compile(
    r"(?:a|an|the|who|whose|his|her|their|its|one|chief|senior|former|deputy|assistant|associate|co-)\b", re.IGNORECASE
)


# After a quotation's closing mark, the speaker it is followed by: "” ― Jane Doe" (a dash and a
# name, as in vox pops), or a frame of its own in the next few words: "” Doe said." / "” said Doe.".
_GAP = r"[^\S\n]"  # a space within a line (a no-break space too)
_NAME_AFTER = rf"(?P<name>{_CAPWORD}(?:{_GAP}+(?:(?:de|van|von|der|al|bin|da|del|la|le){_GAP}+)?{_CAPWORD}){{0,3}})"
_DASH_SPEAKER = re.compile(rf"{_GAP}*(?:[―—–]|--){_GAP}*{_NAME_AFTER}")
_NEXT_FRAME = re.compile(
    rf"{_GAP}*(?:{_NAME_AFTER}{_GAP}+(?P<verb>said|says|added|adds|wrote|writes|continued|explained|noted|told{_GAP}+\w+)"
    rf"|(?P<verb2>said|says|added|wrote|continued){_GAP}+{_NAME_AFTER.replace('?P<name>', '?P<name2>')}){_GAP}*[.,]"
)


_PARTICLES = frozenset({"de", "van", "von", "der", "al", "bin", "da", "del", "la", "le"})


@lru_cache(maxsize=4096)
def is_person_name(name: str) -> bool:
    """True when name reads as a person's full name: capitalised words, not an organisation's
    ("Microsoft Corp"), not a title alone."""
    words = name.split()
    if len(words) < 2 or words[0].lower().rstrip(".") in _NOT_NAME_START - {"gov", "sen", "rep", "dr"}:
        return False
    if not all(word[:1].isupper() for word in words if word.lower() not in _PARTICLES):
        return False
    return words[-1].lower().strip(".,") not in _ORGANISATION_WORDS


def transcript_speaker(paragraph: str) -> Optional[str]:
    """The speaker a transcript line names before its colon ("WALLACE: ..."), if it is one."""
    found = _TRANSCRIPT.match(paragraph)
    if found is None:
        return None
    name = found.group("name")
    letters = [ch for ch in name if ch.isalpha()]
    # At least two capital letters, and no lower-case word: "Q: ..." and "Note: ..." are not speakers.
    if len(letters) < 2 or any(ch.islower() for ch in name.split()[-1]):
        return None
    return name


def appositive_head(text: str, source_start: int, source_end: int) -> Optional[tuple[int, int]]:
    """The span of the head of an appositive chain that ends in the found source, if any.

    In "Jane Doe, a fellow at the institute in Munich, Germany, and co-author, said", a rule
    may take "Germany" for the source; the chain of asides between commas goes back to "Jane
    Doe", at the start of the clause, and it is she who speaks."""
    if source_start < 2 or text[source_start - 2 : source_start] != ", ":
        return None
    clause_start = max(text.rfind(mark, 0, source_start) for mark in ('”', '"', ";", ":", "—")) + 1
    head = text[clause_start:source_start]
    lead = head.lstrip(" ,")
    offset = clause_start + len(head) - len(lead)
    first_comma = lead.find(",")
    if first_comma <= 0:
        return None
    candidate = lead[:first_comma]
    aside = lead[first_comma + 1 :].lstrip()
    if not _FULL_NAME.fullmatch(candidate) or not _APPOSITIVE_OPENERS.match(aside):
        return None
    return offset, offset + first_comma


def speaker_after(text: str, end: int) -> Optional[tuple[str, Optional[str]]]:
    """(speaker, verb) named right after a quotation that ends at end, in the same paragraph."""
    found = _DASH_SPEAKER.match(text, end)
    if found is not None and is_person_name(found.group("name")) or found is not None and found.group("name").isupper():
        return found.group("name"), None
    found = _NEXT_FRAME.match(text, end)
    if found is not None:
        name = found.group("name") or found.group("name2")
        if name.split()[0].lower() not in _NOT_NAME_START:
            return name, (found.group("verb") or found.group("verb2")).split()[0].lower()
    return None


_NOT_NAME_OR_TITLE = _NOT_NAME_START | _TITLES


@lru_cache(maxsize=4096)
def _untitled(name: str) -> str:
    """name without the titles and sentence openers before it: "Mayor Jane Smith" -> "Jane Smith"."""
    words = name.split()
    while words and words[0].lower().rstrip(".") in _NOT_NAME_OR_TITLE:
        words = words[1:]
    return " ".join(words)


def _without_possessive(name: str) -> str:
    name = name.strip(".,")
    return name[:-2] if name.endswith(("’s", "'s")) else name


class Speakers:
    """What the article has said so far about who speaks: the names mentioned, the last person
    to speak, and transcript speakers; asked once per claim, in text order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scanned = 0  # names are known up to here
        self.full_names: dict[str, str] = {}  # a last name -> the full name it was last part of
        self.last_speaker: Optional[str] = None  # the last person (full name) to speak, if a person
        self.someone_else = False  # another person was named after the last speaker spoke
        self.since_spoke = 0  # claims read since the last speaker spoke
        self.their_pronoun: Optional[str] = None  # "he" or "she", once a pronoun named them
        self.turn_speaker: Optional[str] = None  # the speaker of the transcript turn being read
        self.turn_paragraph = self.turn_end = -1  # where its latest paragraph starts and ends
        runs = quotation_runs(text)
        self.run_starts = [start for start, _ in runs]
        self.runs = runs

    def transcript_speaker_at(self, at: int) -> Optional[str]:
        """The speaker of the transcript turn holding offset at: a paragraph that opens with
        "WALLACE: ...", and the paragraphs after it that open with a quotation mark."""
        start = self.text.rfind("\n", 0, at) + 1
        if start != self.turn_paragraph:
            paragraph = self._paragraph(at)
            named = transcript_speaker(paragraph)
            if named is not None:
                self.turn_speaker = named
            elif not paragraph.lstrip().startswith(('"', "“")) or not self._follows(start):
                self.turn_speaker = None
            self.turn_paragraph, self.turn_end = start, start + len(paragraph)
        return self.turn_speaker

    def _follows(self, start: int) -> bool:
        # The paragraph at start comes right after the last one seen (blank lines between).
        return self.turn_end >= 0 and not self.text[self.turn_end : start].strip()

    def resolve(
        self, attribution: Attribution, start: int, speaker_line: Optional[str] = None, own_source: bool = False
    ) -> Attribution:
        """The attribution of the claim at start, read in the article's context (speaker_line:
        the claim's transcript speaker, if any; own_source: a frame in the claim names its source)."""
        self._learn_names(start)
        self.since_spoke += 1
        if not own_source:
            # A transcript turn, or a credit right after the quotation ("” ― Ana Ruiz"), names
            # the speaker of words that carry no frame of their own.
            if speaker_line is not None:
                return self._spoke(self._with_full_name(Attribution("named", speaker_line, "said")))
            after = self._speaker_after_quotation(start)
            if after is not None:
                return self._spoke(self._with_full_name(Attribution("named", after[0], after[1])))
        return self._spoke(self._with_full_name(attribution))

    def whole_quotations(self, claims: Sequence[Claim]) -> list[Claim]:
        """claims, the unattributed ones inside a quotation given the speaker its frame names
        elsewhere in it: in "“We lost. We were tired,” Smith said." the first sentence, read on
        its own, names no one, but the quotation is Smith's from its first word to its last."""
        out = list(claims)
        for _, _, members in claims_in_runs(out, self.runs):
            speaker = next((out[i].attribution for i in members if out[i].attribution.type in ("named", "anonymous")), None)
            if speaker is None:
                continue
            for i in members:
                if out[i].attribution.type == "unknown":
                    out[i] = replace(out[i], attribution=speaker)
        return out

    def quotes_and_sources(self, claims: Sequence[Claim]) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
        """The article's quotations and sources (see quotes_and_sources), once every claim is known."""
        return quotes_and_sources(claims, self.runs)

    def _speaker_after_quotation(self, at: int) -> Optional[tuple[str, Optional[str]]]:
        position = bisect_right(self.run_starts, at) - 1
        if position < 0:
            return None
        start, end = self.runs[position]
        return speaker_after(self.text, end) if start <= at < end else None

    def _spoke(self, attribution: Attribution) -> Attribution:
        """Note who spoke: a later "he" or "she" refers to them while no one else is named."""
        if attribution.type in ("named", "anonymous"):
            full = _untitled(attribution.resolved or attribution.name or "")
            speaker = full if attribution.type == "named" and is_person_name(full) else None
            if speaker != self.last_speaker:
                self.their_pronoun = None
            self.last_speaker, self.someone_else, self.since_spoke = speaker, False, 0
        return attribution

    def _with_full_name(self, attribution: Attribution) -> Attribution:
        name = attribution.name
        if attribution.type != "named" or not name or attribution.resolved:
            return attribution
        words = name.split()
        if name.lower() in _PRONOUNS:
            full = self._pronoun_refers_to(_GENDER[name.lower()])
        elif len(words) == 1 and words[0][:1].isupper():
            full = self.full_names.get(_without_possessive(words[0]).title())
        else:
            return attribution
        if full is None or full == name:
            return attribution
        return Attribution(attribution.type, name, attribution.verb, full)

    def _pronoun_refers_to(self, gender: str) -> Optional[str]:
        # Only when it cannot be anyone else (a wrong name is worse than none): the last person
        # who spoke, in the claim just before, no one named since, and never "he" for a
        # speaker called "she" before.
        if self.last_speaker is None or self.someone_else or self.since_spoke > 2:
            return None
        if self.their_pronoun not in (None, gender):
            return None
        self.their_pronoun = gender
        return self.last_speaker

    def _learn_names(self, upto: int) -> None:
        if upto <= self.scanned:
            return
        for found in _FULL_NAME.finditer(self.text, self.scanned, upto):
            words = _untitled(found.group()).split()
            if len(words) < 2:
                continue
            name, last = _without_possessive(" ".join(words)), _without_possessive(words[-1])
            if is_person_name(name):
                self.full_names[last.title()] = name
                if self.last_speaker is not None and not self.last_speaker.endswith(last):
                    self.someone_else = True
        self.scanned = upto

    def _paragraph(self, at: int) -> str:
        start = self.text.rfind("\n", 0, at) + 1
        end = self.text.find("\n", at)
        return self.text[start : end if end != -1 else len(self.text)]


# The head words of a document that speaks: "the statement read", "court records show".
_DOCUMENT_WORDS = frozenset(
    """statement letter release post memo email e-mail tweet note notice filing filings complaint lawsuit
    ruling order message report records record documents document data figures poll polls survey study
    transcript transcripts minutes audit analysis paper""".split()
)


# Roles only a person holds: "the city attorney", "a company spokeswoman".
_PERSON_ROLES = _TITLES | frozenset(
    """attorney lawyer spokesman spokeswoman spokesperson official director manager analyst economist
    senator governor mayor minister lawmaker congressman congresswoman ceo founder owner coach doctor
    nurse teacher witness resident researcher scientist author candidate nominee""".split()
)


@lru_cache(maxsize=4096)
def source_kind(attribution: Attribution) -> str:
    """What kind of source an attribution names: person, organisation, document, anonymous,
    named (a name that could be either), writer or unknown (an unattributed quote)."""
    if attribution.type == "author":
        return "writer"
    if attribution.type in ("anonymous", "unknown"):
        return attribution.type
    name = attribution.resolved or attribution.name or ""
    words = _untitled(name).split() or name.split()
    if not words:
        return "named"
    if words[-1].lower().strip(".,’'s") in _DOCUMENT_WORDS or words[-1].lower() in _DOCUMENT_WORDS:
        return "document"
    if name.lower() in _PRONOUNS or is_person_name(_untitled(name)) or words[-1].lower() in _PERSON_ROLES:
        return "person"
    if words[0].lower() in ("the", "a", "an") or words[-1].lower().strip(".,") in _ORGANISATION_WORDS:
        return "organisation"
    return "named"


def claims_in_runs(
    claims: Sequence[Claim], runs: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, int, list[int]]]:
    """(start, end, positions of the claims overlapping it) for each quotation run; one pass
    over both, as both are in text order."""
    position = 0
    for start, end in runs:
        while position < len(claims) and claims[position].end <= start:
            position += 1
        members = []
        scan = position
        while scan < len(claims) and claims[scan].start < end:
            members.append(scan)
            scan += 1
        yield start, end, members


def quotes_and_sources(claims: Sequence[Claim], runs: Sequence[tuple[int, int]]) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
    """The article's quotations (direct ones from their marks, indirect ones from the claims a
    frame attributes) and its distinct sources with the claims and quotations resting on each."""
    quotes: list[Quote] = []
    in_run: set[int] = set()
    for start, end, members in claims_in_runs(claims, runs):
        if not members:
            continue  # a quoted title or scare quotes inside a heading: no claim rests on it
        in_run.update(members)
        inside = [claims[i] for i in members]
        speaker = next((c.attribution for c in inside if c.attribution.type not in ("author", "unknown")), inside[0].attribution)
        if speaker.type == "author":
            speaker = Attribution("unknown", None, "quoted")
        quotes.append(Quote(start, end, True, speaker, _frame_cue(inside), tuple(c.id for c in inside)))
    for index, claim in enumerate(claims):
        if index not in in_run and claim.attribution.type in ("named", "anonymous"):
            quotes.append(Quote(claim.start, claim.end, False, claim.attribution, _frame_cue([claim]), (claim.id,)))
    quotes.sort(key=lambda q: q.start)
    return tuple(quotes), _sources(claims, quotes)


def _frame_cue(claims: Sequence[Claim]) -> Optional[Cue]:
    for claim in claims:
        for cue in claim.cues:
            if cue.kind in ("attribution", "anonymous", "denial"):
                return cue
    return None


def _sources(claims: Sequence[Claim], quotes: Sequence[Quote]) -> tuple[Source, ...]:
    groups: dict[tuple[str, str], list] = {}  # (kind, name key) -> [name, claim ids, quote positions]
    for claim in claims:
        key, name = _source_key(claim.attribution)
        groups.setdefault(key, [name, [], []])[1].append(claim.id)
    for number, quote in enumerate(quotes):
        key, name = _source_key(quote.speaker)
        groups.setdefault(key, [name, [], []])[2].append(number)
    return tuple(Source(name, kind, tuple(ids), tuple(numbers)) for (kind, _), (name, ids, numbers) in groups.items())


@lru_cache(maxsize=4096)
def _source_key(attribution: Attribution) -> tuple[tuple[str, str], Optional[str]]:
    kind = source_kind(attribution)
    if kind in ("writer", "unknown"):
        return (kind, ""), None
    name = attribution.resolved or attribution.name
    # "Mayor Elena Ortiz" and "Elena Ortiz" are one person.
    key = _untitled(name or "") if kind == "person" else name or ""
    return (kind, key.lower()), name
