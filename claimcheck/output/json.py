"""The `json` and `jsonl` formats: the ledger's documented, versioned JSON shape, in pieces.

The shape is written once, as the (key, value) pairs of ``_json_fields``: ``ledger_to_dict``
makes them a dict, and the renderers write them as they come, sentences and claims a few at a
time, so a long ledger is never held whole as one string.
"""
from __future__ import annotations

import itertools
import json
import math
from json.encoder import encode_basestring as _encode_string  # C-accelerated
from typing import Iterable, Iterator, Optional, Sequence

from claimcheck.output import common
from claimcheck.output.common import Style
from claimcheck.records import Claim, Ledger, Sentence

SCHEMA_VERSION = "2"

_SLICE = 1 << 16  # characters of a long string encoded at a time
_EMPTY = object()


def ledger_to_dict(ledger: Ledger) -> dict:
    """The JSON form of one ledger (the documented, versioned schema)."""
    return {
        key: list(value.items) if isinstance(value, _LazyArray) else value
        for key, value in _json_fields(ledger, claims_only=False)
    }


def schema() -> dict:
    """The JSON Schema of one ledger in the json/jsonl formats."""
    from importlib import resources

    return json.loads(resources.files("claimcheck").joinpath("schema/ledger.schema.json").read_text("utf-8"))


def json_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `json` format, in pieces: the bytes of ``json.dumps(..., ensure_ascii=False, indent=2)``
    of the ledgers' dicts, written a few sentences or claims at a time."""
    value = _LazyObject(_json_fields(ledgers[0], style.claims_only)) if len(ledgers) == 1 else _LazyArray(
        _LazyObject(_json_fields(lg, style.claims_only)) for lg in ledgers
    )
    yield from _json_pieces(value, 2, 0)
    yield "\n"


def jsonl_pieces(ledgers: Sequence[Ledger], style: Style) -> Iterator[str]:
    """The `jsonl` format, in pieces: ``json.dumps(..., ensure_ascii=False)`` of each ledger's dict."""
    for ledger in ledgers:
        yield from _json_pieces(_LazyObject(_json_fields(ledger, style.claims_only)), None, 0)
        yield "\n"


class _LazyObject:
    """A JSON object whose (key, value) pairs are made as they are written."""

    def __init__(self, fields: Iterable[tuple[str, object]]) -> None:
        self.fields = fields


class _LazyArray:
    """A JSON array whose items are made as they are written."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


def _json_fields(ledger: Ledger, claims_only: bool) -> Iterator[tuple[str, object]]:
    """The ledger's pairs in order, sentences and claims made one at a time (with --claims-only,
    only the sentences that hold a claim)."""
    yield "schema_version", SCHEMA_VERSION
    yield "source", ledger.document.source.to_dict()
    yield "text", ledger.document.text
    yield "summary", dict(ledger.summary)
    sentences: Iterable = ledger.sentences
    if claims_only:
        holding = {c.sentence for c in ledger.claims}
        sentences = (s for s in sentences if s.index in holding)
    yield "sentences", _LazyArray(_sentence_to_dict(s) for s in sentences)
    yield "claims", _LazyArray(_claim_to_dict(c) for c in ledger.claims)
    yield "quotes", _LazyArray(q.to_dict() for q in ledger.quotes)
    yield "sources", _LazyArray(s.to_dict() for s in ledger.sources)


def _sentence_to_dict(s: Sentence) -> dict:
    return {"index": s.index, "start": s.start, "end": s.end, "text": s.text, "is_claim": s.is_claim, "kind": s.kind}


def _claim_to_dict(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "level": claim.level,
        "hedged": claim.hedged,
        "confidence": claim.confidence,
        "attribution": claim.attribution.to_dict(),
        "cues": [
            {"text": c.text, "start": c.start, "end": c.end, "kind": c.kind, "rule": c.rule, "effect": c.effect}
            for c in claim.cues
        ],
        "flags": list(claim.flags),
        "check_worthiness": claim.check_worthiness,
        "negated": claim.negated,
    }


def _indented(value: object, indent: int, depth: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` as written at nesting depth.

    The standard library indents in pure Python, a generator per level; this builds the same
    text from the C string encoder, several times faster on a ledger's claims."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if value is None or kind is bool:
        return "null" if value is None else "true" if value else "false"
    if (kind is dict and all(type(key) is str for key in value)) or kind is list or kind is tuple:
        if not value:
            return "{}" if kind is dict else "[]"
        inner = "\n" + " " * (indent * (depth + 1))
        if kind is dict:
            parts = [_encode_string(k) + ": " + _indented(v, indent, depth + 1) for k, v in value.items()]
        else:
            parts = [_indented(item, indent, depth + 1) for item in value]
        opening, closing = ("{", "}") if kind is dict else ("[", "]")
        return opening + inner + ("," + inner).join(parts) + "\n" + " " * (indent * depth) + closing
    text = json.dumps(value, ensure_ascii=False, indent=indent)  # anything else, as the library writes it
    return text.replace("\n", "\n" + " " * (indent * depth)) if depth else text


def _streamed(value: object) -> bool:
    """True for what is written in pieces of its own: lazy objects and arrays, long strings
    (the document's text)."""
    return isinstance(value, (_LazyObject, _LazyArray)) or (isinstance(value, str) and len(value) > _SLICE)


def _json_pieces(value: object, indent: Optional[int], depth: int) -> Iterator[str]:
    """The JSON of value at nesting depth, in pieces, exactly as json.dumps writes it (with
    ``indent``, or compact when None; ensure_ascii off)."""
    if isinstance(value, str) and len(value) > _SLICE:
        yield '"'
        for at in range(0, len(value), _SLICE):
            yield json.dumps(str.__getitem__(value, slice(at, at + _SLICE)), ensure_ascii=False)[1:-1]
        yield '"'
        return
    if not isinstance(value, (_LazyObject, _LazyArray)):
        yield json.dumps(value, ensure_ascii=False) if indent is None else _indented(value, indent, depth)
        return
    is_object = isinstance(value, _LazyObject)
    items = iter(value.fields if is_object else value.items)
    first = next(items, _EMPTY)
    if first is _EMPTY:
        yield "{}" if is_object else "[]"
        return
    if indent is None:
        opening, separator, closing = "", ", ", ""
    else:
        opening = "\n" + " " * (indent * (depth + 1))
        separator = "," + opening
        closing = "\n" + " " * (indent * depth)
    limit = common.BATCH
    batch = ["{" if is_object else "[", opening]
    for number, item in enumerate(itertools.chain((first,), items)):
        if number:
            batch.append(separator)
        if is_object:
            key, item = item
            batch.append(json.dumps(key, ensure_ascii=False) + ": ")
        if _streamed(item):
            yield "".join(batch)
            batch = []
            yield from _json_pieces(item, indent, depth + 1)
        else:
            batch.extend(_json_pieces(item, indent, depth + 1))
        if len(batch) >= limit:
            yield "".join(batch)
            batch = []
    batch += [closing, "}" if is_object else "]"]
    yield "".join(batch)
