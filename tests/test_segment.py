"""Sentence splitting: abbreviations, numbers, quotes, ellipses, lists and offsets."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimcheck.errors import RuleError
from claimcheck.records import Block, Document, SourceInfo
from claimcheck.analysis.segment import sentence_spans, shipped_rules, split_document
from claimcheck.rulebook import read_rule_files
from claimcheck.sources import plain_document

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
ARTICLE = SHARED / "examples" / "ai-researcher-move.txt"
RULE_FILE = Path(__file__).resolve().parents[1] / "rules" / "segmentation.toml"


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def assert_partition(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> None:
    """Spans are trimmed, in order, and cover every non-space character exactly once."""
    end = len(text) if end is None else end
    previous = start
    for a, b in spans:
        assert previous <= a < b <= end
        assert text[a:b] == text[a:b].strip()
        assert not text[previous:a].strip()
        previous = b
    assert not text[previous:end].strip()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sen. Elizabeth Warren spoke first. Then the vote began.",
         ["Sen. Elizabeth Warren spoke first.", "Then the vote began."]),
        ("Exports to the U.S. grew by a third. Imports fell.",
         ["Exports to the U.S. grew by a third.", "Imports fell."]),
        ("She moved to the U.S. The move was hard.", ["She moved to the U.S.", "The move was hard."]),
        ("The U.S. Senate voted on Friday.", ["The U.S. Senate voted on Friday."]),
        ("The polls open at 7 a.m. and close at 8 p.m. on Tuesday.",
         ["The polls open at 7 a.m. and close at 8 p.m. on Tuesday."]),
        ("The polls closed at 8 p.m. Turnout was high.", ["The polls closed at 8 p.m.", "Turnout was high."]),
        ("Gate No. 5 was closed. Fans waited outside.", ["Gate No. 5 was closed.", "Fans waited outside."]),
        ("The buyer is Contoso Inc. of Seattle.", ["The buyer is Contoso Inc. of Seattle."]),
        ("The buyer is Contoso Inc. It paid in cash.", ["The buyer is Contoso Inc.", "It paid in cash."]),
        ("Dr. Ruiz and Mr. Okafor met in St. Paul on Jan. 4.", ["Dr. Ruiz and Mr. Okafor met in St. Paul on Jan. 4."]),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_decimals_and_money() -> None:
    assert split("The company lost $4.5 billion in 2023. Its shares fell 12.5%.") == [
        "The company lost $4.5 billion in 2023.",
        "Its shares fell 12.5%.",
    ]


def test_times_of_day() -> None:
    assert split("The meeting began at 10:30 a.m. It ended at 1 p.m. Wednesday.") == [
        "The meeting began at 10:30 a.m.",
        "It ended at 1 p.m. Wednesday.",
    ]
    assert split("At 6 a.m. firefighters reached the scene.") == ["At 6 a.m. firefighters reached the scene."]


def test_initials() -> None:
    assert split("The Hobbit by J. R. R. Tolkien sold well. It still does.") == [
        "The Hobbit by J. R. R. Tolkien sold well.",
        "It still does.",
    ]
    assert split("Ask John F. Kennedy's biographer.") == ["Ask John F. Kennedy's biographer."]


def test_pronoun_i_at_sentence_end_is_not_an_initial() -> None:
    assert split("It was a good team, she and I. A new season starts soon.") == [
        "It was a good team, she and I.",
        "A new season starts soon.",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    assert split('He said, "We will appeal." The court declined.') == [
        'He said, "We will appeal."',
        "The court declined.",
    ]
    assert split("“Prices will rise.” Analysts agreed.") == ["“Prices will rise.”", "Analysts agreed."]


def test_an_opening_quote_with_a_stray_space_starts_a_sentence() -> None:
    assert split("“It is late,” Lee said. “ We go home now.”") == [
        "“It is late,” Lee said.",
        "“ We go home now.”",
    ]


def test_quoted_sentence_followed_by_attribution() -> None:
    assert split('"This is not over!" Jones said. He left.') == ['"This is not over!" Jones said.', "He left."]
    assert split('"Why now?" asked the judge.') == ['"Why now?" asked the judge.']
    assert split("‘It was fine.’ she said.") == ["‘It was fine.’ she said."]


def test_exclamation_and_question_marks() -> None:
    assert split("Wait! Is it true?! Yes.") == ["Wait!", "Is it true?!", "Yes."]
    assert split("He works at Yahoo! in sales.") == ["He works at Yahoo! in sales."]


def test_ellipsis() -> None:
    assert split("I thought... maybe not. Then we left.") == ["I thought... maybe not.", "Then we left."]
    assert split("We waited… The bus never came.") == ["We waited…", "The bus never came."]
    assert split("And then . . . I forgot it.") == ["And then . . . I forgot it."]


def test_parenthetical_sentence_stays_inside() -> None:
    assert split("The law (passed in 2019. It was amended later.) applies to all firms.") == [
        "The law (passed in 2019. It was amended later.) applies to all firms."
    ]


def test_urls_and_emails() -> None:
    assert split("Read it at www.example.com/a.html. Or mail info@example.com. Thanks.") == [
        "Read it at www.example.com/a.html.",
        "Or mail info@example.com.",
        "Thanks.",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The clinic closed at noon.Police arrived at one.", ["The clinic closed at noon.", "Police arrived at one."]),
        ("It rained.Then it snowed.Roads closed.", ["It rained.", "Then it snowed.", "Roads closed."]),
        ("Mrs.Smith and the U.S.Army met.", ["Mrs.Smith and the U.S.Army met."]),  # abbreviations
        ("He works for Acme Inc.The firm is small.", ["He works for Acme Inc.The firm is small."]),  # unsure: kept
        ("See example.Org or www.news.Com for more.", ["See example.Org or www.news.Com for more."]),
        ("He checked Yahoo!Mail all night.", ["He checked Yahoo!Mail all night."]),
        ("Open report.Pdf first.", ["Open report.Pdf first."]),
    ],
)
def test_sentences_glued_without_a_space(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_run_in_numbered_list() -> None:
    assert split("1) Open the box 2) Remove the tray 3) Plug it in") == [
        "1) Open the box",
        "2) Remove the tray",
        "3) Plug it in",
    ]
    # Only the next number starts an item.
    assert split("1. Buy 2 pens and 3 books.") == ["1. Buy 2 pens and 3 books."]


def test_paragraph_break_inside_a_range_is_a_boundary() -> None:
    assert split("A heading without a period\n\nThe body text.") == ["A heading without a period", "The body text."]


def test_hard_wrapped_lines_do_not_split() -> None:
    text = "He was, I take it, the most perfect reasoning and\nobserving machine that the world has seen. He never\nspoke of the softer passions."
    assert split(text) == [
        "He was, I take it, the most perfect reasoning and\nobserving machine that the world has seen.",
        "He never\nspoke of the softer passions.",
    ]


def test_offsets_with_start_and_end() -> None:
    text = "IGNORED. Mr. Lee arrived.  He sat down.   TAIL"
    start, end = 9, len(text) - 4
    spans = sentence_spans(text, start, end)
    assert [text[a:b] for a, b in spans] == ["Mr. Lee arrived.", "He sat down."]
    assert_partition(text, spans, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "No punctuation at all",
        "  Leading and trailing space.  Second one!  \n",
        "Odd... . . . ?! ) ( “ ” ‘ ’ 1. a. • ⁃ end",
        "“Quote.” (Paren.) [Bracket.] 3.14. e.g. Mr. U.S. a.m. p.m. ...",
    ],
)
def test_spans_partition_any_text(text: str) -> None:
    assert_partition(text, sentence_spans(text))


def load_rules(path: Path | None = None):
    """The shipped segmentation rules, or those of one segmentation file read alone."""
    return shipped_rules() if path is None else read_rule_files([path, *OTHER_KINDS]).segmentation


# A rule set needs a joints and a worth file besides the segmentation file under test.
OTHER_KINDS = [RULE_FILE.with_name("joints.toml"), RULE_FILE.with_name("worth.toml")]


def test_every_rule_file_example() -> None:
    examples = load_rules().examples
    assert len(examples) >= 10
    failures = [(text, split(text), list(expected)) for text, expected in examples if split(text) != list(expected)]
    assert not failures


def test_rule_file_examples_include_both_kinds() -> None:
    examples = load_rules().examples
    assert any(len(sentences) == 1 for _, sentences in examples)
    assert any(len(sentences) > 2 for _, sentences in examples)


def test_packaged_rules_are_loaded_once() -> None:
    assert load_rules() is load_rules()


def test_broken_rule_file_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "segmentation.toml"
    broken.write_text('kind = "segmentation"\ndescription = "x"\n[abbreviations\nnever_final = []\n', encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules(broken)
    assert f"{broken}:3:" in str(caught.value)


def test_rule_file_with_wrong_shape_names_the_file(tmp_path: Path) -> None:
    wrong = tmp_path / "segmentation.toml"
    wrong.write_text(RULE_FILE.read_text(encoding="utf-8").replace('kind = "segmentation"', 'kind = "hedges"'), encoding="utf-8")
    with pytest.raises(RuleError, match=str(wrong)):
        load_rules(wrong)


def test_the_shipped_file_loads_through_the_path_loader() -> None:
    assert load_rules(RULE_FILE).examples == load_rules().examples


def test_split_document_headings_are_single_sentences() -> None:
    text = "Markets Rally. Again!\nStocks rose on Monday. Bonds fell."
    doc = Document(text=text, blocks=(Block(0, 21, "heading"), Block(22, len(text))), source=SourceInfo("text", "t"))
    sentences = split_document(doc)
    assert [(s.index, s.text, s.block_kind) for s in sentences] == [
        (0, "Markets Rally. Again!", "heading"),
        (1, "Stocks rose on Monday.", "paragraph"),
        (2, "Bonds fell.", "paragraph"),
    ]
    assert all(s.kind == "statement" for s in sentences)


def test_article_sentences(tmp_path: Path) -> None:
    if not ARTICLE.is_file():
        pytest.skip(f"shared example not found at {ARTICLE} (set CLAIMCHECK_SHARED to the shared/ folder)")
    doc = plain_document(ARTICLE.read_text(encoding="utf-8"), SourceInfo("file", str(ARTICLE)))
    sentences = split_document(doc)
    texts = [s.text for s in sentences]
    for s in sentences:
        assert doc.text[s.start : s.end] == s.text
    # Headings are never glued to the sentence after them.
    headings = [s.text for s in sentences if s.block_kind == "heading"]
    assert {"Shaping the Future of AI", "OpenAI Expands Its Talent Pool", "What’s Next for AGI?"} <= set(headings)
    assert "Microsoft confirmed his departure, which highlights growing competition in AI." in texts
    assert "Indeed, Microsoft listed OpenAI as a rival in August." in texts
    assert texts[-1] == "Last Updated on November 7, 2024 2:34 pm CET"
    assert [s.index for s in sentences] == list(range(len(sentences)))
    covered = "".join(doc.text[s.start : s.end] for s in sentences)
    assert "".join(covered.split()) == "".join(doc.text.split())


def _sentences(result) -> list[str]:
    import json

    assert result.code == 0, result.err
    return [s["text"] for s in json.loads(result.out)["sentences"]]


def test_a_segmentation_file_given_with_rules_changes_splitting(cli, tmp_path: Path) -> None:
    text = "The report went to the Chmn. He read it first."
    mine = tmp_path / "mine.toml"
    mine.write_text('kind = "segmentation"\n[abbreviations]\nnever_final = ["Chmn"]\n', encoding="utf-8")
    assert _sentences(cli("-f", "json", stdin=text)) == ["The report went to the Chmn.", "He read it first."]
    assert _sentences(cli("-f", "json", "--rules", str(mine), stdin=text)) == [text]
    # Added to the shipped lists, not in their place: "Sen." still never ends a sentence.
    assert _sentences(cli("-f", "json", "--rules", str(mine), stdin="Sen. Lopez spoke.")) == ["Sen. Lopez spoke."]


def test_a_segmentation_file_adds_to_the_shipped_lists(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('kind = "segmentation"\n[abbreviations]\nnever_final = ["Chmn"]\n[time_rule]\nopening_max_words = 6\n',
                    encoding="utf-8")
    merged = read_rule_files([RULE_FILE, mine, *OTHER_KINDS]).segmentation
    assert merged.never_final == shipped_rules().never_final | {"chmn"}
    assert merged.opening_max_words == 6 and merged.starters == shipped_rules().starters
    assert merged.files == (str(RULE_FILE), str(mine))


@pytest.mark.parametrize(
    "body, line, words",
    [
        ('kind = "segmentation"\n[abbreviations]\nnever_finals = ["chmn"]\n', 3, "[abbreviations]: unknown key 'never_finals'"),
        ('kind = "segmentation"\n[[example]]\ntext = "A. B."\nsentence = ["A.", "B."]\n', 2, "unknown key 'sentence'"),
        ('kind = "segmentation"\n[collocations]\npairs = [["a"]]\n', 2, "'pairs' must be a list of [word, word] pairs"),
        ('kind = "segmentation"\nattribution = ["said"]\n', 2, "'attribution' must be a table"),
    ],
)
def test_a_broken_segmentation_file_is_refused_with_file_and_line(cli, tmp_path: Path, body: str, line: int, words: str) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(body, encoding="utf-8")
    result = cli("-f", "json", "--rules", str(mine), stdin="It rained.")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"claimcheck: {mine}:{line}: ") and words in result.err, result.err
    assert "Traceback" not in result.err
