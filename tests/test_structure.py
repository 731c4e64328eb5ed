"""Blocks found in plain text: paragraphs, headings, list items and hard-wrapped prose."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claimcheck.records import Block
from claimcheck.sources.plain import blocks_from_text

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
ARTICLE = SHARED / "examples" / "ai-researcher-move.txt"


def texts(text: str, blocks: tuple[Block, ...]) -> list[str]:
    return [text[b.start : b.end] for b in blocks]


def assert_covers(text: str, blocks: tuple[Block, ...]) -> None:
    """Blocks are trimmed, in order, non-overlapping and hold every non-space character."""
    previous_end = 0
    for block in blocks:
        assert block.start >= previous_end
        piece = text[block.start : block.end]
        assert piece and piece == piece.strip()
        assert not text[previous_end : block.start].strip()
        previous_end = block.end
    assert not text[previous_end:].strip()


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE.is_file():
        pytest.skip(f"shared example not found at {ARTICLE} (set CLAIMCHECK_SHARED to the shared/ folder)")
    return ARTICLE.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_article_headings_are_their_own_blocks(article: str) -> None:
    blocks = blocks_from_text(article)
    headings = [article[b.start : b.end] for b in blocks if b.kind == "heading"]
    for title in ("Shaping the Future of AI", "OpenAI Expands Its Talent Pool", "What’s Next for AGI?"):
        assert title in headings


def test_article_last_updated_line_is_its_own_block(article: str) -> None:
    blocks = blocks_from_text(article)
    last = blocks[-1]
    assert article[last.start : last.end] == "Last Updated on November 7, 2024 2:34 pm CET"
    assert last.kind in ("paragraph", "heading")


def test_article_one_paragraph_a_line(article: str) -> None:
    blocks = blocks_from_text(article)
    lines = [line.strip() for line in article.split("\n") if line.strip()]
    assert texts(article, blocks) == lines
    assert_covers(article, blocks)


def test_paragraphs_split_on_blank_lines() -> None:
    text = "First paragraph here.\nStill the first.\n\n  \nSecond paragraph.\n"
    blocks = blocks_from_text(text)
    assert texts(text, blocks)[-1] == "Second paragraph."
    assert_covers(text, blocks)


def test_hard_wrapped_prose_is_not_cut_at_line_ends() -> None:
    text = (
        "To Sherlock Holmes she was always the woman. I have seldom heard him\n"
        "mention her under any other name. In his eyes she eclipsed and\n"
        "predominated the whole of her sex. It was not that he felt any emotion\n"
        "akin to love for Irene Adler. All emotions were abhorrent to his cold,\n"
        "precise but admirably balanced mind.\n\n"
        "I had seen little of Holmes lately. My marriage had drifted us away\n"
        "from each other. He remained in our lodgings in Baker Street, buried\n"
        "among his old books, and alternating from week to week between cocaine\n"
        "and ambition.\n"
    )
    blocks = blocks_from_text(text)
    assert len(blocks) == 2
    assert all(b.kind == "paragraph" for b in blocks)
    assert texts(text, blocks)[1].endswith("cocaine\nand ambition.")


def test_hard_wrapped_line_ending_a_sentence_still_joins() -> None:
    text = (
        "The committee met on Monday to review the proposal from the city.\n"
        "Members asked for more data on costs before any vote could be held\n"
        "on the plan.\n"
    )
    assert len(blocks_from_text(text)) == 1


def test_heading_inside_wrapped_text_without_blank_lines() -> None:
    text = (
        "The chief executive said on Tuesday that the deal with the\n"
        "regulator would close soon. He added that it was already approved.\n"
        "Market Reaction\n"
        "Shares rose 4% in early trading after the announcement was made\n"
        "public by the company.\n"
    )
    blocks = blocks_from_text(text)
    assert [(b.kind, text[b.start : b.end]) for b in blocks][1] == ("heading", "Market Reaction")
    assert len(blocks) == 3


def test_list_items() -> None:
    text = "Key points:\n- Revenue rose 5%\n* Costs fell\n1. Hiring resumes\n2) Dividends stay\nThat is all."
    blocks = blocks_from_text(text)
    kinds = [(b.kind, text[b.start : b.end]) for b in blocks]
    assert kinds[1:5] == [
        ("list_item", "- Revenue rose 5%"),
        ("list_item", "* Costs fell"),
        ("list_item", "1. Hiring resumes"),
        ("list_item", "2) Dividends stay"),
    ]
    assert kinds[-1][1] == "That is all."


def test_wrapped_list_item_continues() -> None:
    text = "- a long bullet point that wraps\n  onto an indented line\n- next point"
    assert texts(text, blocks_from_text(text)) == [
        "- a long bullet point that wraps\n  onto an indented line",
        "- next point",
    ]


def test_lowercase_line_continues_the_previous_one() -> None:
    text = "Officials said the plan, which passed narrowly on Monday night,\nwill take effect in May.\nA new paragraph starts."
    assert texts(text, blocks_from_text(text)) == [
        "Officials said the plan, which passed narrowly on Monday night,\nwill take effect in May.",
        "A new paragraph starts.",
    ]


def test_question_title_is_a_heading_but_a_question_sentence_is_not() -> None:
    text = "What Comes Next for Rates?\nWhy does this matter so much to savers?\nBecause rates drive returns."
    blocks = blocks_from_text(text)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph"]


def test_empty_and_blank_text() -> None:
    assert blocks_from_text("") == ()
    assert blocks_from_text(" \n\n\t\n") == ()


def test_coverage_on_mixed_text() -> None:
    text = "\n\n  Title Line  \n\nBody text. More body\ntext here.\n\n\n- item one\n- item two\n\nEnd."
    assert_covers(text, blocks_from_text(text))


def test_offsets_point_into_the_text() -> None:
    text = "Heading Here\nThe body starts here. It goes on.\n"
    for block in blocks_from_text(text):
        assert re.fullmatch(r"\S(.*\S)?", text[block.start : block.end], re.S)
