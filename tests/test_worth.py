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


def _claims(result) -> list[dict]:
    assert result.code == 0, result.err
    return json.loads(result.out)["claims"]


def test_a_worth_file_given_with_rules_changes_check_worthiness(cli, tmp_path) -> None:
    text = "The ferry sank in the bay. I think the plan is great."
    (tmp_path / "bias.toml").write_text('kind = "worth"\n[worth]\nbias = 99\n', encoding="utf-8")
    (tmp_path / "ferry.toml").write_text(
        'kind = "worth"\n[[signal]]\nid = "ferry"\nweight = -9\npattern = \'\\bferry\\b\'\nmatch = ["The ferry sank."]\n',
        encoding="utf-8",
    )
    before = [c["check_worthiness"] for c in _claims(cli("-f", "json", stdin=text))]
    biased = [c["check_worthiness"] for c in _claims(cli("-f", "json", "--rules", str(tmp_path / "bias.toml"), stdin=text))]
    ferry = [c["check_worthiness"] for c in _claims(cli("-f", "json", "--rules", str(tmp_path / "ferry.toml"), stdin=text))]
    assert all(value < 1.0 for value in before)
    assert biased == [1.0, 1.0]  # the [worth] bias overrides the shipped one
    assert ferry[0] < 0.01 < before[0]  # a signal adds to the shipped ones
    assert ferry[1] == before[1]


def test_a_worth_file_overrides_only_the_keys_it_gives(tmp_path) -> None:
    from claimcheck.ruleset import build_ruleset

    (tmp_path / "w.toml").write_text('kind = "worth"\n[worth]\nthreshold = 0.9\nlevel_weights = { asserted = 2.5 }\n',
                                     encoding="utf-8")
    shipped, mine = load_ruleset().worth, build_ruleset([tmp_path / "w.toml"]).worth
    assert mine.threshold == 0.9 and mine.bias == shipped.bias and mine.short_words == shipped.short_words
    assert mine.level_weights == {**shipped.level_weights, "asserted": 2.5}
    assert [s.id for s in mine.signals] == [s.id for s in shipped.signals]


def test_eval_uses_the_threshold_of_a_worth_file(cli, tmp_path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"text": "The county hired 300 nurses in 2021.", "claim": true}\n', encoding="utf-8")
    (tmp_path / "w.toml").write_text('kind = "worth"\n[worth]\nthreshold = 0.999\n', encoding="utf-8")
    before = json.loads(cli("eval", "-f", "json", str(gold)).out)
    after = json.loads(cli("eval", "-f", "json", "--rules", str(tmp_path / "w.toml"), str(gold)).out)
    assert before["claim"]["recall"] == 1.0
    assert after["claim"]["recall"] == 0.0


def test_a_signal_id_used_twice_is_refused(cli, tmp_path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('kind = "worth"\n[[signal]]\nid = "number"\nweight = 1\npattern = \'\\d\'\n', encoding="utf-8")
    result = cli("rules", "-q", "--rules", str(path))
    assert result.code == 1
    assert result.err.startswith(f"claimcheck: {path}:3: signal 'number': signal id 'number' is already used at ")
    assert "Traceback" not in result.err
