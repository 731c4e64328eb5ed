"""The markdown, csv and html formats, and -o FILE; nothing here touches the network."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import analyze
from claimcheck.errors import ExitCode
from claimcheck.output import CSV_COLUMNS, RENDERERS, Style
from claimcheck.output import json as json_format
from claimcheck.output.common import source_label

ROOT = Path(__file__).resolve().parents[1]
RECALL = ROOT / "samples" / "plant-recall.txt"

HOSTILE = (
    "<script>alert('x')</script> The mayor said the budget | would \"rise\" 4%, & more.\n\n"
    "=SUM(A1:A9) may be a formula, officials said.\n"
)


@pytest.fixture(scope="module")
def recall():
    return analyze(RECALL.read_text(encoding="utf-8"), name=str(RECALL))


@pytest.fixture(scope="module")
def hostile():
    return analyze(HOSTILE, name="<b>bold</b>.txt")


def test_every_format_is_registered_by_name() -> None:
    assert {"table", "json", "jsonl", "markdown", "csv", "html"} <= set(RENDERERS)


def test_markdown_has_a_section_summary_and_a_row_per_claim(recall) -> None:
    out = RENDERERS["markdown"].render([recall], Style())
    assert out.startswith("## ")
    rows = [line for line in out.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == len(recall.claims)
    assert "| confirmed | 0.95 |" in out
    assert "**the company announced**" in out  # cue words in bold
    assert "**13 claims: 2 confirmed" in out


def test_markdown_escapes_table_and_markup_characters(hostile) -> None:
    out = RENDERERS["markdown"].render([hostile], Style())
    assert "\\<script\\>" in out and "<script>" not in out
    assert "budget \\| would" in out


def test_csv_is_one_row_per_claim_with_the_documented_columns(recall) -> None:
    out = RENDERERS["csv"].render([recall], Style())
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(recall.claims)
    first = rows[0]
    assert first["level"] == "confirmed" and first["confidence"] == "0.95" and first["hedged"] == "false"
    assert first["claim_id"] == recall.claims[0].id
    assert "[attribution:" in first["cues"]
    anonymous = [r for r in rows if r["attribution_type"] == "anonymous"]
    assert anonymous and all(r["hedged"] == "true" for r in anonymous)


def test_csv_says_which_claims_are_negated() -> None:
    ledger = analyze("Nobody was hurt in the fire. The plant reopened on Monday.", name="fire.txt")
    rows = list(csv.DictReader(io.StringIO(RENDERERS["csv"].render([ledger], Style()))))
    assert [(r["text"], r["negated"]) for r in rows] == [
        ("Nobody was hurt in the fire.", "true"),
        ("The plant reopened on Monday.", "false"),
    ]


def test_csv_quotes_text_and_defuses_formulas(hostile) -> None:
    rows = list(csv.DictReader(io.StringIO(RENDERERS["csv"].render([hostile], Style()))))
    texts = [r["text"] for r in rows]
    assert any('"rise" 4%, & more' in t for t in texts)  # commas and quotes survive the round trip
    assert any(t.startswith("'=SUM(A1:A9)") for t in texts)


def test_html_is_self_contained_and_escapes_the_article(hostile) -> None:
    page = RENDERERS["html"].render([hostile], Style())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page  # the article's script is text, and the page has none of its own
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;.txt" in page  # the source name too
    for external in ("src=", "<link", "@import", "url("):
        assert external not in page
    assert '<meta name="viewport"' in page and "@media print" in page and "@media (max-width" in page


def test_html_highlights_claims_underlines_cues_and_draws_legend_and_chart(recall) -> None:
    page = RENDERERS["html"].render([recall], Style())
    marks = re.findall(r'<mark class="claim lv-(\w+)', page)
    assert len(marks) == len(recall.claims)
    assert set(marks) == {c.level for c in recall.claims}
    assert '<u class="cue" data-rule="attribution:' in page
    assert 'class="legend"' in page and page.count('class="swatch lv-') == 8
    assert page.count('<g class="bar" data-level=') == 8
    tip = re.search(r'data-tip="([^"]*)"', page).group(1)
    assert "confidence 0.95" in tip and "source:" in tip and "rules: attribution:" in tip


def test_html_of_several_sources_has_a_table_of_contents(recall, hostile) -> None:
    page = RENDERERS["html"].render([recall, hostile], Style())
    assert '<nav class="toc"' in page
    assert 'href="#s1"' in page and 'href="#s2"' in page
    assert 'id="s1"' in page and 'id="s2"' in page


def test_claims_only_leaves_the_article_out_of_html_and_json(recall) -> None:
    page = RENDERERS["html"].render([recall], Style(claims_only=True))
    assert "<mark" not in page and "<table>" in page
    data = json.loads(RENDERERS["json"].render([recall], Style(claims_only=True)))
    assert {s["index"] for s in data["sentences"]} == {c.sentence for c in recall.claims}
    assert len(data["claims"]) == len(recall.claims)


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "html", "table"])
def test_output_file_takes_the_output_instead_of_stdout(cli, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = cli(str(RECALL), "-f", fmt, "-o", str(target))
    assert result.code == ExitCode.OK, result.err
    assert result.out == ""
    written = target.read_text(encoding="utf-8")
    assert "Northfield" in written


def test_output_file_in_a_missing_folder_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli(str(RECALL), "-o", str(tmp_path / "nowhere" / "out.html"), "-f", "html")
    assert result.code == ExitCode.USAGE
    assert "cannot write" in result.err and "Traceback" not in result.err


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(JSON_VALUES, st.integers(min_value=0, max_value=3))
def test_fast_indented_json_is_json_dumps(value: object, depth: int) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)
    assert json_format._indented(value, 2, depth) == expected


def test_a_block_quote_with_no_speaker_reads_as_an_unattributed_quote() -> None:
    html = (
        "<html><body><article><p>The mayor spoke for an hour about the budget and the new bridge.</p>"
        "<blockquote>We will build it by May.</blockquote></article></body></html>"
    )
    ledger = analyze(html, name="page.html")
    assert [source_label(c) for c in ledger.claims] == ["author", "unattributed quote"]
    assert "unattributed quote" in RENDERERS["table"].render([ledger], Style(width=100))
