"""`claimcheck eval`: scoring the ledger against a small gold file with answers worked out by hand."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from claimcheck.errors import SourceError
from claimcheck.evaluate import GoldRow, Prediction, pearson, read_gold, score


def pred(hedged: bool, level: str, claim: bool, confidence: float | None, worth: float = 0.0) -> Prediction:
    return Prediction(hedged=hedged, level=level, claim=claim, worth=worth, confidence=confidence)


# Four rows, their labels, and what the ledger is made to predict for them.
ROWS = [
    GoldRow(1, "a", hedged=True, level="possible", claim=False, score=2.0),
    GoldRow(2, "b", hedged=False, level="asserted", claim=True, score=5.0),
    GoldRow(3, "c", hedged=True, claim=True, score=4.0),
    GoldRow(4, "d", hedged=False, level="asserted", claim=False, score=3.0),
    GoldRow(5, "e"),  # no labels at all: counted in rows, in no figure
]
PREDICTIONS = [
    pred(True, "possible", False, 0.45, 0.2),  # hedged TP, level right, claim TN
    pred(False, "asserted", True, 0.85, 0.9),  # hedged TN, level right, claim TP
    pred(False, "asserted", False, 0.85, 0.3),  # hedged FN, claim FN
    pred(True, "likely", True, 0.60, 0.7),  # hedged FP, level wrong, claim FP
    pred(False, "asserted", False, 0.85),
]


def test_hedged_precision_recall_f1_by_hand() -> None:
    report = score(ROWS, PREDICTIONS)
    # tp 1 (row 1), fp 1 (row 4), fn 1 (row 3): P = 1/2, R = 1/2, F1 = 1/2.
    assert report.hedged == {"rows": 4, "precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1}


def test_claim_detection_by_hand() -> None:
    report = score(ROWS, PREDICTIONS)
    # tp 1 (row 2), fp 1 (row 4), fn 1 (row 3), row 1 a true negative.
    assert (report.claim["tp"], report.claim["fp"], report.claim["fn"]) == (1, 1, 1)
    assert report.claim["f1"] == 0.5 and report.claim["rows"] == 4


def test_level_accuracy_and_confusion_matrix_by_hand() -> None:
    report = score(ROWS, PREDICTIONS)
    # Rows 1, 2 and 4 carry a level; rows 1 and 2 are right: 2/3.
    assert report.level["rows"] == 3
    assert report.level["accuracy"] == round(2 / 3, 4)
    assert report.level["labels"] == ["asserted", "likely", "possible"]
    assert report.level["confusion"] == {
        "asserted": {"asserted": 1, "likely": 1, "possible": 0},
        "possible": {"asserted": 0, "likely": 0, "possible": 1},
    }


def test_pearson_of_confidence_against_score_by_hand() -> None:
    report = score(ROWS, PREDICTIONS)
    # x = confidences (.45, .85, .85, .60), y = scores (2, 5, 4, 3).
    # means: x 0.6875, y 3.5; deviations x (-.2375, .1625, .1625, -.0875), y (-1.5, 1.5, .5, -.5)
    # sxy = .35625 + .24375 + .08125 + .04375 = .725; sxx = .116875; syy = 5.
    expected = 0.725 / math.sqrt(0.116875 * 5)
    assert report.score["rows"] == 4
    assert report.score["pearson_r"] == pytest.approx(expected, abs=1e-4)
    assert pearson([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # no variance: undefined, not a crash


def test_errors_list_the_worst_misses_first() -> None:
    report = score(ROWS, PREDICTIONS, errors=2)
    # Row 4 is wrong on hedged, level and claim; row 3 on hedged and claim.
    assert [e["line"] for e in report.errors] == [4, 3]
    assert report.errors[0]["gold"]["level"] == "asserted"
    assert report.errors[0]["predicted"]["level"] == "likely"


def test_labels_absent_from_every_row_give_no_figure() -> None:
    report = score([GoldRow(1, "x", hedged=True)], [pred(True, "likely", False, 0.6)])
    assert report.level is None and report.claim is None and report.score is None
    assert report.hedged["f1"] == 1.0


GOLD = [
    {"text": "The harbour authority may raise mooring fees next spring.", "hedged": True, "level": "possible",
     "score": 2},
    {"text": "The harbour authority raised mooring fees by 12 percent in 2023.", "hedged": False,
     "level": "asserted", "claim": True, "score": 5},
    {"text": "Thank you all for coming tonight.", "claim": False},
    {"text": "It is unclear whether the ferry will run in winter.", "hedged": True, "level": "unclear", "score": 1},
]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in GOLD), encoding="utf-8")
    return path


def test_eval_command_end_to_end_json(cli, gold: Path) -> None:
    result = cli("eval", str(gold), "-f", "json", "--errors", "3")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["rows"] == 4
    # Every hedged row is found and the plain fact is not hedged: P = R = F1 = 1.
    assert report["hedged"] == {"rows": 3, "precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 2, "fp": 0, "fn": 0}
    assert report["level"]["accuracy"] == 1.0
    assert report["claim"] == {"rows": 2, "precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    # unclear < possible < asserted in confidence, like the ratings 1 < 2 < 5.
    assert report["score"]["rows"] == 3 and report["score"]["pearson_r"] > 0.9


def test_eval_command_table(cli, gold: Path) -> None:
    result = cli("eval", str(gold), "--errors", "1")
    assert result.code == 0, result.err
    for words in ("hedged", "P 1.000", "level", "accuracy 1.000", "Pearson r", "gold \\ predicted"):
        assert words in result.out


@pytest.mark.parametrize(
    "body, where, words",
    [
        ('{"text": "Fine."}\n{"text": "broken"\n', ":2:", "not valid JSON"),
        ('{"text": "Fine."}\n\n{"hedged": true}\n', ":3:", 'no "text" field'),
        ('["a list"]\n', ":1:", "JSON object"),
        ('{"text": "Fine.", "level": "sure"}\n', ":1:", '"level" must be one of'),
        ('{"text": "Fine.", "score": "high"}\n', ":1:", '"score" must be a number'),
    ],
)
def test_a_bad_gold_file_is_one_line_naming_file_and_line(cli, tmp_path: Path, body: str, where: str, words: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(body, encoding="utf-8")
    result = cli("eval", str(path))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: ")
    assert f"bad.jsonl{where}" in lines[0] and words in lines[0]
    assert "Traceback" not in result.err


def test_a_missing_gold_file(cli, tmp_path: Path) -> None:
    result = cli("eval", str(tmp_path / "nowhere.jsonl"))
    assert result.code == 1
    assert result.err.strip() == f"claimcheck: {tmp_path / 'nowhere.jsonl'}: no such gold file"


def test_read_gold_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('\n{"text": "One.", "hedged": false}\n\n{"text": "Two.", "score": 3}\n', encoding="utf-8")
    rows = read_gold(path)
    assert [(r.line, r.text, r.hedged, r.score) for r in rows] == [(2, "One.", False, None), (4, "Two.", None, 3.0)]
    with pytest.raises(SourceError):
        read_gold(tmp_path / "absent.jsonl")
