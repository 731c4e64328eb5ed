"""Golden files: each sample article in samples/ and the ledger it must produce.

After a deliberate change in behaviour, review the diff and rewrite them with
`pytest tests/test_golden.py --update-golden`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck import analyze
from claimcheck.records import SourceInfo
from claimcheck.output import ledger_to_dict
from claimcheck.sources import document_from_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ARTICLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))


def test_there_are_samples() -> None:
    assert len(ARTICLES) >= 2


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_sample_matches_its_golden_ledger(article: Path, update_golden: bool) -> None:
    document = document_from_bytes(article.read_bytes(), SourceInfo(kind="file", name=article.name), article.name)
    got = ledger_to_dict(analyze(document))
    golden = article.with_suffix(".ledger.json")
    if update_golden:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: run pytest --update-golden and review it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert [(c["level"], c["text"]) for c in got["claims"]] == [(c["level"], c["text"]) for c in expected["claims"]]
    assert got == expected
