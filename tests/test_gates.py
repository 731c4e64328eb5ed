"""--fail-on (exit 3 after printing), and the filters that narrow what is shown."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
RECALL = str(ROOT / "samples" / "plant-recall.txt")  # 13 claims: 2 confirmed, …, 4 unverified, 1 disputed
PLAIN = "The bridge opened in 1932. The council confirmed the repairs."


def test_a_matching_gate_exits_3_after_printing_the_ledger(cli) -> None:
    result = cli(RECALL, "-f", "json", "--fail-on", "unverified,disputed")
    assert result.code == ExitCode.GATE
    data = json.loads(result.out)  # the whole ledger was printed first
    assert len(data["claims"]) == 13
    assert result.err.strip() == "claimcheck: --fail-on disputed,unverified: 1 disputed, 4 unverified (in 1 source)"


def test_a_gate_nothing_matches_exits_0(cli) -> None:
    result = cli(RECALL, "--fail-on", "likely")
    assert result.code == ExitCode.OK
    assert result.err == ""


def test_a_flag_can_be_gated(cli, standin_text: str) -> None:
    result = cli("-f", "jsonl", "--fail-on", "unsupported_certainty", stdin=standin_text)
    assert result.code == ExitCode.GATE
    flagged = sum("unsupported_certainty" in c["flags"] for c in json.loads(result.out)["claims"])
    assert flagged and f"{flagged} unsupported_certainty" in result.err


def test_a_failed_source_wins_over_the_gate(cli, tmp_path: Path) -> None:
    result = cli(RECALL, str(tmp_path / "missing.txt"), "-f", "jsonl", "--fail-on", "disputed")
    assert result.code == ExitCode.INPUT_ERROR
    assert "no such file" in result.err and "1 disputed" in result.err
    assert len(result.out.splitlines()) == 1


@pytest.mark.parametrize("option", ["--fail-on", "--only"])
def test_an_unknown_word_is_a_usage_error_naming_it(cli, option: str) -> None:
    result = cli(RECALL, option, "unverified,dubious")
    assert result.code == ExitCode.USAGE
    assert "'dubious'" in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_only_takes_levels_not_flags(cli) -> None:
    result = cli(RECALL, "--only", "unsupported_certainty")
    assert result.code == ExitCode.USAGE and "'unsupported_certainty'" in result.err


def test_only_narrows_the_claims_but_the_summary_counts_all(cli) -> None:
    everything = json.loads(cli(RECALL, "-f", "json").out)["claims"]
    data = json.loads(cli(RECALL, "-f", "json", "--only", "unverified, disputed").out)
    assert data["claims"] == [c for c in everything if c["level"] in ("unverified", "disputed")]
    assert sum(data["summary"].values()) == 13
    table = cli(RECALL, "--only", "disputed").out
    assert "13 claims: 2 confirmed" in table and "(1 shown)" in table


def test_min_confidence_narrows_the_claims(cli) -> None:
    data = json.loads(cli(RECALL, "-f", "json", "--min-confidence", "0.9").out)
    assert data["claims"] and all(c["confidence"] >= 0.9 for c in data["claims"])
    assert sum(data["summary"].values()) == 13


def test_the_gate_sees_claims_the_filters_hide(cli) -> None:
    result = cli(RECALL, "-f", "json", "--only", "confirmed", "--fail-on", "disputed")
    assert result.code == ExitCode.GATE
    assert {c["level"] for c in json.loads(result.out)["claims"]} == {"confirmed"}


def test_claims_only_drops_the_metadata_lines_of_the_table(cli) -> None:
    out = cli("--claims-only", stdin=PLAIN).out
    assert out.splitlines()[0] == "== - =="
    assert "confirmed" in out


def test_help_lists_exit_code_3(cli) -> None:
    assert "3 a claim matched --fail-on" in cli("--help").out
