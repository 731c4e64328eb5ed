"""Whose word each claim is, read in the context of the whole article (analysis/attribution.py)."""
from __future__ import annotations

from claimcheck import analyze
from claimcheck.analysis.attribution import appositive_head, transcript_speaker
from claimcheck.analysis.quotes import quotation_runs


def _who(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(claim text, attribution type, name as written, resolved full name) for each claim."""
    return [(c.text, c.attribution.type, c.attribution.name, c.attribution.resolved) for c in analyze(text).claims]


def test_a_quotation_whose_speaker_is_not_found_is_unattributed_never_the_writers() -> None:
    claims = analyze("The council met on Monday.\n\n“Nobody asked us about the bus cuts.”").claims
    assert [(c.attribution.type, c.attribution.verb, c.level) for c in claims] == [
        ("author", None, "asserted"),
        ("unknown", "quoted", "reported"),
    ]


def test_a_credit_after_the_quotation_names_its_speaker() -> None:
    text = "“We need the bus back. The walk is too long.” ― Ana Ruiz\n\n“It was fine.” ― Tom Lee"
    assert _who(text) == [
        ("“We need the bus back.", "named", "Ana Ruiz", None),
        ("The walk is too long.”", "named", "Ana Ruiz", None),
        ("“It was fine.”", "named", "Tom Lee", None),
    ]
    # The credit line itself is not a claim.
    assert [s.kind for s in analyze(text).sentences if "Ruiz" in s.text and "“" not in s.text] == ["byline"]


def test_a_frame_in_the_next_sentence_names_the_quotations_speaker() -> None:
    assert _who("“We will reopen the line in May.” Smith said.")[0][1:3] == ("named", "Smith")


def test_transcript_turns_belong_to_their_speaker_until_the_writer_speaks_again() -> None:
    text = (
        "WALLACE: Let us start with the debate.\n\n"
        "PENCE: Well, the truth is simple.\n\n"
        "\"We will win this state.\n\n"
        "The debate is on Monday."
    )
    assert [(t, kind, name) for t, kind, name, _ in _who(text)] == [
        ("WALLACE: Let us start with the debate.", "named", "WALLACE"),
        ("PENCE: Well, the truth is simple.", "named", "PENCE"),
        ("\"We will win this state.", "named", "PENCE"),  # his turn goes on in the next paragraph
        ("The debate is on Monday.", "author", None),
    ]
    assert transcript_speaker("Q: What happened?") is None
    assert transcript_speaker("Note: the figures are rounded.") is None


def test_a_short_name_and_a_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Mayor Jane Smith said the bridge would reopen in May.\n\n"
        "She said repairs would cost less than planned. Smith added that the city had the money."
    )
    assert _who(text) == [
        ("Mayor Jane Smith said the bridge would reopen in May.", "named", "Mayor Jane Smith", None),
        ("She said repairs would cost less than planned.", "named", "She", "Jane Smith"),
        ("Smith added that the city had the money.", "named", "Smith", "Jane Smith"),
    ]


def test_a_pronoun_stays_unresolved_when_it_could_be_someone_else() -> None:
    text = "Jane Smith said the talks were over. She met John Roe on Friday. He said the plan was dead."
    assert _who(text)[-1][2:] == ("He", None)


def test_the_head_of_an_appositive_chain_speaks() -> None:
    text = (
        "“The results paid off,” Dylan Nelson, a fellow at the institute in Munich, Germany, "
        "and co-author of the study, said in a statement."
    )
    assert _who(text)[0][1:3] == ("named", "Dylan Nelson")
    # An opening phrase is no appositive: Trump speaks, not "At the White House".
    assert _who("At the White House, Trump said the plan worked.")[0][2] == "Trump"
    assert appositive_head("In Washington, Smith said no.", 15, 20) is None


def test_a_lawmakers_party_tag_is_part_of_the_source() -> None:
    assert _who("“They may not want to answer,” Rep. John Mica (R-Fla.) said.")[0][2] == "Rep. John Mica (R-Fla.)"


def test_the_one_who_speaks_is_the_source_not_the_one_whose_belief_is_reported() -> None:
    claim = analyze("Fowler said he expects the senator to recover quickly.").claims[0]
    assert (claim.attribution.name, claim.level) == ("Fowler", "likely")


def test_a_question_inside_a_quotation_does_not_end_it() -> None:
    text = "He said:\n\n\"We have a problem. Is this a war zone? We have to stop the violence.\""
    assert [name for _, _, name, _ in _who(text)] == ["He", "He", "He"]


def test_quotation_runs_go_on_into_a_paragraph_that_opens_with_a_mark() -> None:
    text = "“One thing.\n\n“Another thing,” she said.\n\nNot quoted."
    assert quotation_runs(text) == [(0, 29)]
    assert text[slice(*quotation_runs(text)[0])].endswith("”")


def test_unnamed_sources_read_as_anonymous_in_their_common_forms() -> None:
    passages = {
        "An insider told the magazine that the deal was off.": "An insider",
        "The road will reopen next week, say officials.": "officials",
        "Hospital bosses said the ward would close.": "Hospital bosses",
        "White House officials said the meeting went well.": "White House officials",  # the institution kept
        "The plan was accused by critics of favouring the rich.": "critics",
        "The escort was cancelled, the source added.": "the source",
    }
    for text, name in passages.items():
        claim = analyze(text).claims[0]
        assert (claim.attribution.type, claim.attribution.name, claim.level) == ("anonymous", name, "unverified"), text


def test_words_that_only_look_like_reporting_verbs_frame_nothing() -> None:
    for text in ("U.S. states are suing the company.", "The index added 20 points on Friday.", "He responded quickly to the fire."):
        claim = analyze(text).claims[0]
        assert (claim.attribution.type, claim.level) == ("author", "asserted"), text


def test_both_halves_of_a_split_sentence_keep_the_frame_that_covers_them() -> None:
    claims = analyze("The office said 30 were injured, but added that the circumstances remained unclear.").claims
    assert [(c.attribution.name, c.level) for c in claims] == [("The office", "reported"), ("The office", "unclear")]


def test_participial_nominal_and_colon_frames_name_their_source() -> None:
    passages = {
        "The council approved the budget, saying it would protect jobs.": ("The council", "saying"),
        "“We will not back down,” the statement read.": ("the statement", "read"),
        "The mayor's statement continued: the city would appeal.": ("The mayor's statement", "continued"),
        "She called the report a sham.": ("She", "called"),
        "He described the deal as a disaster.": ("He", "described"),
        "By her own account, she left the firm in 2019.": ("her", "account"),
        "Jones: “We will appeal.”": ("Jones", None),
    }
    for text, (name, verb) in passages.items():
        claim = analyze(text).claims[0]
        assert (claim.attribution.type, claim.attribution.name, claim.attribution.verb) == ("named", name, verb), text
    # Not frames: a call, a reading, all accounts.
    for text in ("She called the police.", "He read the statement aloud.", "By all accounts, the plant was unsafe."):
        assert analyze(text).claims[0].attribution.type == "author", text


def test_the_ledger_lists_quotations_and_a_sourcing_profile() -> None:
    text = (
        "Mayor Jane Smith said the bridge would reopen in May. “We have the money,” Smith said.\n\n"
        "Officials said the repairs were late. The bridge was built in 1932.\n\n"
        "“Nobody asked us.”"
    )
    ledger = analyze(text)
    direct = [(ledger.document.text[q.start : q.end], q.speaker.type, q.speaker.resolved or q.speaker.name) for q in ledger.quotes if q.direct]
    assert direct == [("“We have the money,”", "named", "Jane Smith"), ("“Nobody asked us.”", "unknown", None)]
    indirect = [(q.speaker.name, q.cue.text if q.cue else None) for q in ledger.quotes if not q.direct]
    assert indirect == [("Mayor Jane Smith", "Mayor Jane Smith said"), ("Officials", "Officials said")]
    profile = {(s.kind, s.name): len(s.claims) for s in ledger.sources}
    # Mayor Jane Smith and Smith are one person; the quotation without a speaker stands apart.
    assert profile == {("person", "Mayor Jane Smith"): 2, ("anonymous", "Officials"): 1, ("writer", None): 1, ("unknown", None): 1}
    every = sorted(i for s in ledger.sources for i in s.claims)
    assert every == sorted(c.id for c in ledger.claims)  # every claim rests on exactly one source


def test_no_source_is_made_of_words_that_are_not_one() -> None:
    # Each once named a "source": a plural noun read as a verb, an adverb taken into the name,
    # a participle opening the sentence, a clause between commas taken for an appositive.
    for text in (
        "In each of the five states, about half of voters say they prefer an outsider.",
        "The presidential candidate often mentions her granddaughter in speeches.",
        "Having announced that he would not send me to prison, Judge Berman read the sentence.",
    ):
        assert all(c.attribution.name not in ("the five", "Having") for c in analyze(text).claims), text
    assert analyze("The candidate often mentions her granddaughter.").claims[0].attribution.type == "author"
    claim = analyze("Without a strong showing in Ohio, the campaign may struggle, said the pollster.").claims[-1]
    assert claim.attribution.name == "the pollster"
    assert _who("Jane Doe, 42, said the road would reopen.")[0][2] == "Jane Doe"


def test_two_apostrophes_and_backquotes_are_quotation_marks_too() -> None:
    text = "Mr. Putin spoke on Friday.\n\n''It is all lies. He is a leader,'' Mr. Putin said. ``We will see.''"
    claims = analyze(text).claims
    assert [(c.attribution.type, c.attribution.name) for c in claims[1:]] == [
        ("named", "Mr. Putin"), ("named", "Mr. Putin"), ("named", "Mr. Putin")
    ]
    assert text[slice(*quotation_runs(text)[0])] == "''It is all lies. He is a leader,''"


def test_a_verb_then_a_comma_and_a_quotation_is_a_frame() -> None:
    assert _who("He concluded, “There is not a single case like it.”")[0][1:3] == ("named", "He")
    assert _who("He concluded the meeting early.")[0][1] == "author"


def test_a_quotation_is_its_speakers_from_its_first_word_to_its_last() -> None:
    text = "The game ended late.\n\n“We lost. We were tired. Next week we win,” Smith said."
    assert [(kind, name) for _, kind, name, _ in _who(text)] == [
        ("author", None), ("named", "Smith"), ("named", "Smith"), ("named", "Smith")
    ]


def test_a_pronoun_resolves_only_close_to_its_speaker_and_never_across_genders() -> None:
    names = [c.attribution.resolved for c in analyze(
        "Jane Smith said the plan works. She said it would cost less. He said it was late."
    ).claims]
    assert names == [None, "Jane Smith", None]  # "he" is not the Jane Smith "she" referred to
    far = analyze(
        "Jane Smith said the plan works. The road is long. The bridge is old. The port is busy. She said it was late."
    ).claims
    assert far[-1].attribution.resolved is None  # too far from her words to be sure


def test_a_short_source_and_a_verb_after_a_closing_quotation_mark_is_a_frame() -> None:
    assert _who("“SLS is not being used for what it was designed to do,” he continued.")[0][1:3] == ("named", "he")
    assert _who("He continued to work on the plan.")[0][1] == "author"
    # "a cost estimate" is a noun: no one estimates there.
    claim = analyze("The firm must get a cost estimate for a cargo version of the rocket.").claims[0]
    assert claim.attribution.type == "author"
