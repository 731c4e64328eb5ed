"""One sentence in, the level a careful reader would give it out."""
from __future__ import annotations

import pytest

from claimcheck import analyze
from claimcheck.vocabulary import BANDS, LEVELS


def levels_of(text: str) -> list[str]:
    return [c.level for c in analyze(text).claims]


@pytest.mark.parametrize(
    "text, level",
    [
        # confirmed: a named source on the record, or a document
        ("Microsoft confirmed his departure.", "confirmed"),
        ("The ministry acknowledged the error on Tuesday.", "confirmed"),
        ("Court records show the company paid the fine in 2019.", "confirmed"),
        ("According to a filing with regulators, the company lost $4 million.", "confirmed"),
        ("The club announced the signing on Friday.", "confirmed"),
        ("The mayor admitted the city had missed the deadline.", "confirmed"),
        # asserted: the writer's own unhedged statement
        ("The deal closed in May.", "asserted"),
        ("Bubeck had served as Vice President of Generative AI Research.", "asserted"),
        # reported: a named source, neutral verb
        ("The senator said the bill would pass.", "reported"),
        ("According to the coach, the team is healthy.", "reported"),
        ("Smith told reporters the plant would reopen.", "reported"),
        ("Bubeck wrote in a blog post that he was leaving.", "reported"),
        # likely
        ("The vote will likely be delayed.", "likely"),
        ("The company is expected to report a loss.", "likely"),
        ("The painting appears to be a forgery.", "likely"),
        ("The deal is almost certainly dead.", "likely"),
        # possible
        ("The ruling may be appealed.", "possible"),
        ("Prices might rise next year.", "possible"),
        ("The strike could spread to other plants.", "possible"),
        ("The data suggest that prices rose.", "possible"),
        ("If approved, the plan would cut taxes.", "possible"),
        ("The minister did not rule out a tax rise.", "possible"),
        ("Perhaps the plan will work.", "possible"),
        # unverified: hearsay, anonymous sourcing, evidence gaps
        ("The chief executive reportedly resigned.", "unverified"),
        ("He is said to be furious.", "unverified"),
        ("People familiar with the matter said the talks had stalled.", "unverified"),
        ("The claim could not be independently verified.", "unverified"),
        ("The ministry has not confirmed the figure.", "unverified"),
        ("Bubeck hasn't updated his LinkedIn to reflect the change.", "unverified"),
        ("Microsoft did not respond to a request for comment.", "unverified"),
        ("The company declined to comment.", "unverified"),
        # unclear
        ("It's unclear whether the bridge will reopen.", "unclear"),
        ("Further research is needed to confirm the link.", "unclear"),
        ("Whether the plan works remains to be seen.", "unclear"),
        ("The cause of the fire is still unknown.", "unclear"),
        # disputed
        ("The company denied the allegations.", "disputed"),
        ("Microsoft disputed the figures.", "disputed"),
        ("The ministry rejected the report as false.", "disputed"),
        ("He refuted the claim in court.", "disputed"),
        # judgements held by unnamed others, accusations, speculation
        ("The harbour is widely considered the safest on the coast.", "likely"),
        ("The ferry was deemed unfit to sail.", "likely"),
        ("The survey data indicate that rents have stopped rising.", "likely"),
        ("The treasurer was accused of moving funds between accounts.", "unverified"),
        ("Many traders fear the port will lose its licence.", "unverified"),
        ("Analysts speculated that the chain would sell its stores.", "possible"),
    ],
)
def test_level(text: str, level: str) -> None:
    assert levels_of(text) == [level]


@pytest.mark.parametrize(
    "text",
    [
        "The deal closed in May.",  # a month, not a modal
        "Theresa May said nothing.",
        "He could not attend the hearing.",  # a past fact
        "She appears in three films.",
        "The insurer processed 4,000 claims last year.",
        "She suggested a new name for the team.",
        "The court denied bail.",
        "The council rejected the budget.",
        "Reply as soon as possible.",
        "He pushed with all his might.",
        "The sign was clearly marked.",
        "Divers found a previously unknown wreck off the cape.",  # attributive, not a doubt
        "Fares rise no matter whether the line is extended.",  # both alternatives granted
        "The firm settled its trademark dispute with the label.",  # the noun, not a denial
        "Inspectors found no evidence of tampering.",  # a negative finding, stated firmly
        "By noon it was not possible to reach the summit.",  # an impossibility, not a doubt
        "The motion was considered by the committee on Tuesday.",  # deliberation, not judgement
        "More research is needed in this area.",  # a recommendation: no open question named
        "The index has not closed above 8,000 since February.",  # negated, and still asserted
    ],
)
def test_ambiguous_words_hedge_nothing(text: str) -> None:
    ledger = analyze(text)
    assert [c.hedged for c in ledger.claims] == [False], [(c.level, c.cues) for c in ledger.claims]


def test_booster_without_source_is_flagged() -> None:
    (claim,) = analyze("It's clear that the plan failed.").claims
    assert claim.level == "asserted"
    assert claim.flags == ("unsupported_certainty",)
    assert any(c.kind == "booster" for c in claim.cues)


def test_booster_with_a_source_is_not_flagged() -> None:
    (claim,) = analyze("The plan clearly failed, the auditor said.").claims
    assert claim.flags == ()
    assert claim.attribution.type == "named"


def test_hedge_outranks_a_confirming_source() -> None:
    (claim,) = analyze("Microsoft confirmed that layoffs may follow.").claims
    assert claim.level == "possible"
    assert claim.attribution.name == "Microsoft"


def test_main_clause_hedge_decides_over_embedded_one() -> None:
    (claim,) = analyze("It's likely to focus on areas where OpenAI could explore small models.").claims
    assert claim.level == "likely"
    assert {c.text for c in claim.cues} == {"likely", "could"}


@pytest.mark.parametrize(
    "text, kind, name, verb",
    [
        ("Microsoft confirmed his departure.", "named", "Microsoft", "confirmed"),
        ("The senator said the bill would pass.", "named", "The senator", "said"),
        ("People familiar with the matter said the talks stalled.", "anonymous", "People familiar with the matter", "said"),
        ("The bridge opened in 1932.", "author", None, None),
    ],
)
def test_attribution(text: str, kind: str, name: str | None, verb: str | None) -> None:
    (claim,) = analyze(text).claims
    assert (claim.attribution.type, claim.attribution.name, claim.attribution.verb) == (kind, name, verb)


def test_sentence_final_attribution_covers_every_clause() -> None:
    claims = analyze("Sales rose in May, but profits fell, the company said.").claims
    assert [c.level for c in claims] == ["reported", "reported"]
    assert all(c.attribution.name == "the company" for c in claims)


def test_confidence_bands_order_like_levels() -> None:
    ordered = [BANDS[level] for level in LEVELS]
    for (low, _), (_, next_high) in zip(ordered, ordered[1:]):
        assert next_high <= low
    sample = analyze(
        "Microsoft confirmed the deal. The deal closed in May. The senator said it passed. "
        "It will likely pass. It may pass. It reportedly passed. It's unclear whether it passed. "
        "The company denied the allegations."
    )
    confidences = [c.confidence for c in sample.claims]
    assert [c.level for c in sample.claims] == list(LEVELS)
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= x <= 1.0 for x in confidences)


def test_a_block_quote_is_reported_speech_not_the_writers_claim() -> None:
    html = (
        "<html><body><article><h1>Rail cuts</h1><p>The operator will cut one in ten services from March.</p>"
        "<blockquote><p>We would rather run a smaller timetable reliably.</p></blockquote></article></body></html>"
    )
    ledger = analyze(html)
    quoted = [c for c in ledger.claims if "smaller timetable" in c.text]
    assert [(c.level, c.attribution.type, c.attribution.verb) for c in quoted] == [("reported", "unknown", "quoted")]
    plain = [c for c in ledger.claims if "one in ten" in c.text]
    assert [c.level for c in plain] == ["asserted"]


@pytest.mark.parametrize(
    "text, negated",
    [
        ("The index has not closed above 8,000 since February.", True),
        ("Nobody was hurt in the fire.", True),
        ("No injuries were reported after the crash.", True),
        ("The bill failed to pass the senate.", True),
        ("The index closed above 8,000.", False),
        ("The plan cut not only costs but also jobs.", False),  # focus, not negation
        ("The minister did not rule out a tax rise.", False),  # a possibility left open
        ("The vote is not expected to pass.", False),  # a negated hedge stays a hedge
        ("The firm, which has not paid its staff, opened a store.", False),  # negation in a relative clause
    ],
)
def test_negated_claims_keep_their_level_and_carry_polarity(text: str, negated: bool) -> None:
    [claim] = analyze(text).claims
    assert claim.negated is negated, [(q.text, q.rule) for q in claim.cues]


def test_a_negated_claim_is_asserted_and_its_cue_spans_the_negated_word() -> None:
    [claim] = analyze("The glitch was never reported to regulators.").claims
    assert (claim.level, claim.hedged, claim.negated) == ("asserted", False, True)
    [cue] = [q for q in claim.cues if q.kind == "negation"]
    assert cue.text == "never reported" and cue.effect == "asserted"


def test_a_negated_hedge_keeps_its_hedge() -> None:
    [claim] = analyze("The vote is not expected to pass.").claims
    assert claim.level == "likely"


def test_stacked_hedges_sit_lower_in_their_band() -> None:
    one, two = (analyze(t).claims[0] for t in ("The bridge may close.", "The bridge may possibly close."))
    assert one.level == two.level == "possible"
    assert BANDS["possible"][0] < two.confidence < one.confidence < BANDS["possible"][1]


def test_cue_strength_orders_claims_within_a_level() -> None:
    def confidence(text: str) -> float:
        (claim,) = analyze(text).claims
        assert claim.level == "likely", (text, claim.level)
        return claim.confidence

    strong = confidence("The deal will almost certainly close in May.")
    plain = confidence("The deal will probably close in May.")
    weak = confidence("The deal seems to be closing in May.")
    assert strong > plain > weak
    assert all(0.55 <= x < 0.70 for x in (strong, plain, weak))  # still inside the likely band


def test_a_rule_strength_outside_minus_one_to_one_is_refused(tmp_path) -> None:
    from claimcheck.errors import RuleError
    from claimcheck.rulebook import build_rulebook, default_rule_files

    bad = tmp_path / "mine.toml"
    bad.write_text('kind = "cues"\n[[cue]]\nid = "x"\nkind = "hedge"\nlevel = "possible"\nstrength = 3\n'
                   "pattern = 'maybe'\nmatch = [\"maybe so\"]\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"mine.toml:3: rule 'x': strength must be a number from -1"):
        build_rulebook(default_rule_files() + [bad])
