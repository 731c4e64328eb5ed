"""Check-worthiness: checkable specifics raise it, opinion and framing lower it."""
from __future__ import annotations

import json

import pytest

from claimcheck import analyze
from claimcheck.analysis.worth import check_worthiness, load_worth
from claimcheck.ruleset import check_examples, load_ruleset


def worth(text: str) -> float:
    (claim,) = analyze(text).claims
    return claim.check_worthiness


def test_every_signal_example_holds() -> None:
    assert [p for p in check_examples(load_ruleset()) if "worth.toml" in p] == []


def test_every_signal_has_examples_both_ways() -> None:
    for signal in load_worth().signals:
        assert signal.match and signal.no_match, signal.id
    for combo in load_worth().combos:
        assert combo.match and combo.no_match, combo.id


@pytest.mark.parametrize(
    "record, promise",
    [
        ("The county hired 300 nurses in 2021.", "We will hire 300 nurses in the next four years."),
        ("The state cut income taxes for 80 percent of households.", "I want to cut income taxes for 80 percent of households."),
    ],
)
def test_a_figure_on_the_record_outranks_the_same_figure_in_a_promise(record: str, promise: str) -> None:
    assert worth(record) > worth(promise)


@pytest.mark.parametrize(
    "record, opinion",
    [
        ("The senator voted against the rail bill twice.", "The senator is a decent man."),
        ("My opponent opposed the clean water rule.", "I believe in clean water."),
        ("Fares have gone up every year since the merger.", "Fares are a bad joke."),
        ("The mayor said that the bridge was safe before it closed.", "I think the bridge is lovely."),
    ],
)
def test_records_without_figures_outrank_opinion(record: str, opinion: str) -> None:
    assert worth(record) > worth(opinion)


@pytest.mark.parametrize(
    "checkable, vague",
    [
        ("The county cut its road budget by 18 percent in 2022.", "The county has always cared about its roads."),
        ("The new terminal is the largest built in Ohio since 1990.", "The new terminal is a wonderful place."),
        ("Flooding closed three schools in Dayton last week.", "We need to do something about flooding."),
        ("The spill was caused by a cracked valve, the report found.", "I think the spill was a disgrace."),
    ],
)
def test_specifics_outrank_opinion(checkable: str, vague: str) -> None:
    assert worth(checkable) > 0.5 > worth(vague)


def test_courtesy_is_not_worth_checking() -> None:
    assert check_worthiness("Thank you, and good evening.") < 0.1


def test_scores_lie_in_the_unit_interval() -> None:
    for text in ("Ok.", "In 2021, 4,000,000 people in 12 states lost $3 billion, the largest loss since 1990."):
        assert 0.0 <= check_worthiness(text) <= 1.0


def test_sort_by_worth_puts_the_most_checkable_claim_first(cli) -> None:
    text = "I think the plan is great. The plan cost $40 million in 2021. The mayor spoke."
    result = cli("-f", "json", "--sort", "worth", stdin=text)
    assert result.code == 0, result.err
    claims = json.loads(result.out)["claims"]
    values = [c["check_worthiness"] for c in claims]
    assert values == sorted(values, reverse=True)
    assert claims[0]["text"].startswith("The plan cost")


def test_sort_by_confidence_and_default_text_order(cli) -> None:
    text = "The vote may slip. The council approved the plan."
    by_conf = json.loads(cli("-f", "json", "--sort", "confidence", stdin=text).out)["claims"]
    assert [c["level"] for c in by_conf] == ["asserted", "possible"]
    default = json.loads(cli("-f", "json", stdin=text).out)["claims"]
    assert [c["level"] for c in default] == ["possible", "asserted"]
