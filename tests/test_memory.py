"""What keeps a long text's memory down leaves the output exactly as it was.

Peak memory itself is measured by bench/speed.py, not here: these tests check that writing in
pieces and scanning a window at a time give the same bytes and the same ledger.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck import analyze
from claimcheck.analysis import prefilter
from claimcheck.analysis.prefilter import index_of
from claimcheck.output import RENDERERS, Style, View, common, ledger_to_dict
from claimcheck.output import json as json_format
from claimcheck.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "samples").glob("*.html"))


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SAMPLES]


@pytest.fixture(scope="module")
def ledgers():
    found = [analyze(text, name=str(i)) for i, text in enumerate(_texts())]
    found.append(analyze("What is it? Who knows?", name="no-claims"))
    return found


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny batches and slices, so every joint between pieces is crossed many times."""
    monkeypatch.setattr(common, "BATCH", 3)
    monkeypatch.setattr(json_format, "_SLICE", 7)


def _whole_json(ledgers, style: Style, indent) -> str:
    data = [ledger_to_dict(lg) for lg in ledgers]
    if style.claims_only:
        for lg, item in zip(ledgers, data):
            holding = {c.sentence for c in lg.claims}
            item["sentences"] = [s for s in item["sentences"] if s["index"] in holding]
    if indent is None:
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in data)
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=indent) + "\n"


@pytest.mark.parametrize("claims_only", [False, True])
def test_json_in_pieces_is_json_dumps_byte_for_byte(ledgers, small_pieces, claims_only: bool) -> None:
    style = Style(claims_only=claims_only)
    for group in [[lg] for lg in ledgers] + [ledgers]:
        assert "".join(RENDERERS["json"].pieces(group, style)) == _whole_json(group, style, 2)
        assert "".join(RENDERERS["jsonl"].pieces(group, style)) == _whole_json(group, style, None)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_pieces_join_to_the_rendered_text(ledgers, fmt: str) -> None:
    style = Style(width=72)
    for view in (View(), View(sort_by="worth"), View(only=frozenset({"possible"}))):
        shown = [view.apply(lg) for lg in ledgers]
        whole = RENDERERS[fmt].render(shown, style)
        pieces = list(RENDERERS[fmt].pieces(shown, style))
        assert all(isinstance(piece, str) for piece in pieces)
        assert "".join(pieces) == whole


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_small_batches_change_nothing(ledgers, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    style = Style(width=72)
    whole = RENDERERS[fmt].render(ledgers, style)
    monkeypatch.setattr(common, "BATCH", 2)
    assert "".join(RENDERERS[fmt].pieces(ledgers, style)) == whole


def test_scanning_a_window_at_a_time_gives_the_same_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n\n".join(_texts()[:2]) * 3
    whole = ledger_to_dict(analyze(text, name="t"))
    monkeypatch.setattr(prefilter, "_WINDOW", 97)  # windows end inside sentences and words
    monkeypatch.setattr(prefilter, "_CONTEXT", 0)
    assert isinstance(prefilter.windowed_hits(index_of(load_rulebook()), text), prefilter._WindowHits)
    windowed = analyze(text, name="t")
    assert ledger_to_dict(windowed) == whole


def test_text_with_context_dependent_lower_case_is_scanned_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "_WINDOW", 50)
    text = "Officials said the plan may fail. " * 10
    for odd in ("\u0130stanbul officials said so.", "ΣΟΦΙΑ may go."):
        scanned = prefilter.windowed_hits(index_of(load_rulebook()), text + odd)
        assert not isinstance(scanned, prefilter._WindowHits)
    assert isinstance(prefilter.windowed_hits(index_of(load_rulebook()), text), prefilter._WindowHits)


def test_a_claim_that_is_its_whole_sentence_shares_the_sentence_text() -> None:
    result = analyze("The deal closed in May. It may reopen, though nobody has said so.")
    sentences = {s.index: s for s in result.sentences}
    whole = [c for c in result.claims if (c.start, c.end) == (sentences[c.sentence].start, sentences[c.sentence].end)]
    assert whole and all(c.text is sentences[c.sentence].text for c in whole)
    assert all(c.text == result.document.text[c.start:c.end] for c in result.claims)


def test_cues_share_their_rule_names() -> None:
    result = analyze("It may rain. It may snow. It may hail.")
    rules = [cue.rule for claim in result.claims for cue in claim.cues]
    assert len(rules) == 3 and rules[0] is rules[1] is rules[2]
