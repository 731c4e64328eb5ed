"""The whole pipeline on real article text: levels, non-claims, offsets, ids and the schema."""
from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck import analyze
from claimcheck.output import ledger_to_dict, schema


def claims_in(ledger, fragment: str):
    """The claims of the sentence that contains fragment, in order."""
    sentence = next(s for s in ledger.sentences if fragment in s.text)
    return [c for c in ledger.claims if c.sentence == sentence.index]


@pytest.fixture(scope="module")
def example(example_text):
    return analyze(example_text, name="ai-researcher-move.txt")


@pytest.mark.parametrize(
    "fragment, levels",
    [
        ("Microsoft confirmed his departure", ["confirmed"]),
        ("hasn’t updated his LinkedIn", ["confirmed", "unverified"]),
        ("it’s likely to focus", ["unclear", "likely"]),
        ("may create a gap at Microsoft", ["possible", "asserted"]),
        ("Indeed, Microsoft listed OpenAI as a rival", ["asserted"]),
        ("It’s clear, however, that his shift", ["asserted"]),
        ("Bubeck had served as the Vice President", ["asserted"]),
    ],
)
def test_example_levels(example, fragment: str, levels: list[str]) -> None:
    assert [c.level for c in claims_in(example, fragment)] == levels


def test_example_unsupported_certainty(example) -> None:
    (claim,) = claims_in(example, "It’s clear, however")
    assert "unsupported_certainty" in claim.flags


def test_example_suggesting_gives_a_possible_claim(example) -> None:
    claims = claims_in(example, "suggesting the model shows early glimpses")
    assert "possible" in [c.level for c in claims]
    assert any(cue.text == "suggesting" for c in claims for cue in c.cues)


def test_example_confirmed_claim_names_its_source(example) -> None:
    (claim,) = claims_in(example, "Microsoft confirmed his departure")
    assert (claim.attribution.type, claim.attribution.name, claim.attribution.verb) == ("named", "Microsoft", "confirmed")
    assert claim.hedged is False


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Shaping the Future of AI", "heading"),
        ("OpenAI Expands Its Talent Pool", "heading"),
        ("What’s Next for AGI?", "heading"),
        ("Last Updated on November 7, 2024 2:34 pm CET", "dateline"),
    ],
)
def test_example_non_claims(example, text: str, kind: str) -> None:
    (sentence,) = [s for s in example.sentences if s.text == text]
    assert (sentence.is_claim, sentence.kind) == (False, kind)
    assert not [c for c in example.claims if c.sentence == sentence.index]


def test_offsets_index_the_document_text(example) -> None:
    text = example.document.text
    for s in example.sentences:
        assert text[s.start : s.end] == s.text
    for c in example.claims:
        sentence = example.sentences[c.sentence]
        assert text[c.start : c.end] == c.text
        assert sentence.start <= c.start < c.end <= sentence.end
        for cue in c.cues:
            assert text[cue.start : cue.end] == cue.text


def test_sentences_cover_every_non_space_character(example) -> None:
    text = example.document.text
    covered = [False] * len(text)
    last_end = 0
    for s in example.sentences:
        assert s.start >= last_end, "sentences overlap or go backwards"
        last_end = s.end
        for i in range(s.start, s.end):
            covered[i] = True
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def test_json_validates_against_the_shipped_schema(example) -> None:
    data = json.loads(json.dumps(ledger_to_dict(example)))
    jsonschema.validate(data, schema())
    assert data["summary"]["confirmed"] == 2
    assert sum(data["summary"].values()) == len(data["claims"])


def test_schema_rejects_a_wrong_level(example) -> None:
    data = ledger_to_dict(example)
    data["claims"][0]["level"] = "sort of true"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_claim_ids_follow_text_not_position() -> None:
    first = analyze("The bridge opened in 1932. The mayor said it was safe.", name="story")
    moved = analyze("A new paragraph came first.\n\nThe bridge opened in 1932. The mayor said it was safe.", name="story")
    ids_first = {c.text: c.id for c in first.claims}
    ids_moved = {c.text: c.id for c in moved.claims}
    assert ids_first["The bridge opened in 1932."] == ids_moved["The bridge opened in 1932."]
    assert len(set(ids_moved.values())) == len(ids_moved)
    other_source = analyze("The bridge opened in 1932.", name="another story")
    assert other_source.claims[0].id != ids_first["The bridge opened in 1932."]


def test_repeated_claims_get_distinct_ids() -> None:
    ledger = analyze("Prices rose.\n\nPrices rose.")
    assert len({c.id for c in ledger.claims}) == 2


def test_questions_and_calls_to_action_are_not_claims() -> None:
    ledger = analyze("Will the deal close? Subscribe to our newsletter for updates. The deal closed in May.")
    kinds = [(s.kind, s.is_claim) for s in ledger.sentences]
    assert kinds == [("question", False), ("call_to_action", False), ("statement", True)]
    assert [c.text for c in ledger.claims] == ["The deal closed in May."]


def test_polarity_is_in_the_json_and_the_schema() -> None:
    ledger = analyze("The pier has not reopened since the storm. The ferry resumed service on Monday.")
    data = ledger_to_dict(ledger)
    jsonschema.validate(data, schema())
    assert [(c["level"], c["negated"]) for c in data["claims"]] == [("asserted", True), ("asserted", False)]
    [cue] = data["claims"][0]["cues"]
    assert (cue["kind"], cue["text"], data["text"][cue["start"]:cue["end"]]) == ("negation", "not reopened", "not reopened")


def _sources(text: str) -> list[tuple[str, str, str | None]]:
    return [(c.text, c.level, c.attribution.name) for c in analyze(text).claims]


def _attributions(text: str) -> list[tuple[str, str, str | None]]:
    return [(c.level, c.attribution.type, c.attribution.name) for c in analyze(text).claims]


def test_a_quotation_that_goes_on_keeps_its_speaker() -> None:
    text = (
        "“Fares will rise next year,” the mayor said. “We have no choice. Costs went up.”\n\n"
        "“And the buses are old.”\n\n"
        "The council was founded in 1923. “It was a good year.”"
    )
    assert _sources(text) == [
        ("“Fares will rise next year,” the mayor said.", "reported", "the mayor"),
        ("“We have no choice.", "reported", "the mayor"),  # a quotation over two sentences
        ("Costs went up.”", "reported", "the mayor"),
        ("“And the buses are old.”", "reported", "the mayor"),  # the next paragraph goes on quoting
        ("The council was founded in 1923.", "asserted", None),  # the writer again: the run ends
        ("“It was a good year.”", "reported", None),  # someone's words, no speaker since: an unattributed quote
    ]


def test_a_quotation_left_open_ends_with_its_paragraph() -> None:
    # Mixed straight and curly marks, and a paragraph that never closes its quotation.
    text = (
        '"Who pays for it?” asked Lee. "It was never settled\n\n'
        "The hearing resumed on Tuesday. Its last witness spoke for an hour."
    )
    assert [source for _, _, source in _sources(text)] == ["Lee", "Lee", None, None]


def test_a_quoted_sentence_with_words_outside_the_marks_is_not_a_continuation() -> None:
    text = "“We won,” Smith said. “Stay. Play” is the motto of the club."
    assert _sources(text)[-1] == ("Play” is the motto of the club.", "asserted", None)


def test_the_first_person_in_a_quotation_is_the_speaker() -> None:
    assert _sources("“I think we will win,” Smith said. “We won the cup. I still think we can win again.”") == [
        ("“I think we will win,” Smith said.", "likely", "Smith"),
        ("“We won the cup.", "reported", "Smith"),
        ("I still think we can win again.”", "likely", "Smith"),  # Smith hedging, Smith's words
    ]
    # The writer's own first person: the writer's hedged claim, resting on the author.
    assert [(c.level, c.attribution.type) for c in analyze("I think the deal will close.").claims] == [("likely", "author")]


def test_a_source_name_does_not_keep_the_sentence_s_period() -> None:
    text = "The deal closed, said Hill. The Walt Disney Co. said it grew."
    assert _sources(text) == [
        ("The deal closed, said Hill.", "reported", "Hill"),
        ("The Walt Disney Co. said it grew.", "reported", "The Walt Disney Co."),
    ]
    assert [cue.text for claim in analyze(text).claims for cue in claim.cues] == ["said Hill", "The Walt Disney Co. said"]


def test_a_source_phrase_starts_at_a_word() -> None:
    # "than we expect" once gave the source "an we" (the article "an" inside "than"); the
    # writer's "we" is the writer's own word.
    assert [cue.text for cue in analyze("It grew faster than we expect.").claims[0].cues] == ["we expect"]


def test_a_source_inside_a_quotation_speaks_in_the_quoted_speaker_s_words() -> None:
    assert _sources('"The company said it would pay," Smith said. “They think the vote was rigged,” he said.') == [
        ('"The company said it would pay," Smith said.', "reported", "Smith"),
        ("“They think the vote was rigged,” he said.", "likely", "he"),  # the hedge stays; the source is he
    ]
    assert _sources("The company said it would pay.")[0][2] == "The company"  # no quotation: its own source


def test_a_source_granted_anonymity_is_anonymous_even_between_commas() -> None:
    text = (
        "An official, who spoke on condition of anonymity, said the plan was dead. "
        "The talks stalled, said an aide who was not authorized to speak publicly. "
        "Jane Doe, a spokeswoman for the city, said the road would reopen."
    )
    assert _attributions(text) == [
        ("unverified", "anonymous", "An official"),
        ("unverified", "anonymous", "an aide"),
        ("reported", "named", "Jane Doe"),
    ]


def test_people_familiar_with_the_matter_are_anonymous_however_they_are_introduced() -> None:
    text = (
        "The deal is close, said a person familiar with the talks. "
        "The deal is close, according to two people with knowledge of the matter. "
        "The plan, first reported by the Tribune, would cut 500 jobs."
    )
    assert _attributions(text) == [
        ("unverified", "anonymous", "a person familiar with the talks"),
        ("unverified", "anonymous", "two people with knowledge of the matter"),
        ("reported", "named", "the Tribune"),
    ]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12), st.integers(0, 3)), max_size=40))
def test_overlapping_cues_resolve_as_longest_first_then_priority(raw: list[tuple[int, int, int]]) -> None:
    from types import SimpleNamespace

    from claimcheck.analysis.cues import Match, _resolve_overlaps

    candidates = [Match(SimpleNamespace(priority=p), s, s + n, None, None) for s, n, p in raw]
    chosen: list = []  # the rule, spelled out: longest first, then priority, then position
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.rule.priority, c.start)):
        if all(cand.end <= kept.start or cand.start >= kept.end for kept in chosen):
            chosen.append(cand)
    assert _resolve_overlaps(candidates) == sorted(chosen, key=lambda c: c.start)

