"""Extraction on pages written for this project (tests/pages/): blocks, kinds and metadata."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.sources.encoding import decode_html, looks_like_html
from claimcheck.sources.html import document_from_html, parse_date
from claimcheck.records import Document, SourceInfo

PAGES = Path(__file__).parent / "pages"


def extract(name: str, url: str | None = None) -> Document:
    html = (PAGES / name).read_text(encoding="utf-8")
    return document_from_html(html, SourceInfo(kind="file", name=name, url=url))


def blocks(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]


def test_jsonld_page_blocks_in_order_without_boilerplate() -> None:
    doc = extract("jsonld_article.html")
    got = blocks(doc)
    assert got[0] == ("heading", "Harbour council approves tidal barrier")
    kinds = [k for k, _ in got]
    assert kinds == [
        "heading", "paragraph", "paragraph", "caption", "heading", "paragraph", "quote",
        "paragraph", "list_item", "list_item", "list_item", "paragraph",
    ]
    assert ("heading", "Why now?") in got
    assert ("quote", "We have waited long enough, and the water will not wait for us.") in got
    assert ("caption", "An artist's impression of the barrier at high tide.") in got
    assert got[-1][1].startswith("Work could begin next spring")
    for furniture in ("cookies", "Home", "Share on", "Advertisement", "Related stories", "About time too",
                      "Copyright", "By Mara", "var published"):
        assert furniture not in doc.text


def test_jsonld_metadata() -> None:
    src = extract("jsonld_article.html").source
    assert src.title == "Harbour council approves tidal barrier"
    assert src.authors == ("Mara Quist", "Tomas Feld")  # "By " cleaned from the JSON-LD name
    assert src.published == "2024-03-05T09:30:00+00:00"
    assert src.modified == "2024-03-05T14:10:00+00:00"
    assert src.site == "The Coastal Ledger"
    assert src.language == "en-GB"
    assert src.description == "The council voted 7-2 to fund a tidal barrier after two winters of flooding."
    assert src.canonical_url == "https://ledger.example/news/tidal-barrier"
    assert src.kind == "file" and src.name == "jsonld_article.html"


def test_text_and_offsets_agree() -> None:
    doc = extract("jsonld_article.html")
    assert doc.text == "\n\n".join(doc.text[b.start : b.end] for b in doc.blocks)
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        assert piece == piece.strip() and "  " not in piece and "\n" not in piece


def test_opengraph_only_page() -> None:
    doc = extract("opengraph_only.html")
    src = doc.source
    assert src.title == "Library extends opening hours"
    assert src.site == "Northfield Gazette"
    assert src.authors == ("Priya Nandakumar",)
    assert src.published == "2023-05-17T08:00:00-04:00"
    assert src.modified == "2023-05-18T10:15:00-04:00"
    assert src.language == "en-US"
    assert src.canonical_url == "https://gazette.example/2023/05/library-hours"
    assert [k for k, _ in blocks(doc)] == ["heading", "paragraph", "paragraph", "paragraph"]
    assert "newsletter" not in doc.text and "Subscribe" not in doc.text and "Mill Street" not in doc.text


def test_byline_only_page() -> None:
    doc = extract("byline_only.html")
    src = doc.source
    assert src.title == "Neue Brücke eröffnet"
    assert src.authors == ("Lena Vogt",)
    assert src.published == "2022-09-01T07:45:00+02:00"
    assert src.language == "de"
    assert src.site is None and src.modified is None and src.description is None
    got = blocks(doc)
    assert got[0] == ("heading", "Neue Brücke eröffnet")
    assert [k for k, _ in got[1:]] == ["paragraph", "paragraph"]
    assert "Endlich" not in doc.text and "Lokales" not in doc.text and "September 2022" not in doc.text


def test_page_without_metadata_guesses_nothing() -> None:
    doc = extract("no_metadata.html")
    src = doc.source
    for field in ("title", "published", "modified", "site", "language", "description", "canonical_url"):
        assert getattr(src, field) is None, field
    assert src.authors == ()
    assert [k for k, _ in blocks(doc)] == ["paragraph"] * 3
    assert doc.text.startswith("The river rose by almost two metres overnight")


def test_json_ld_graph_with_type_list() -> None:
    doc = extract("graph.html")
    src = doc.source
    assert src.title == "Le marché couvert rouvre ses portes"
    assert src.authors == ("Camille Roux",)
    assert src.published == "2021-11-02"
    assert src.site == "Le Petit Quotidien"
    assert src.language == "fr"
    assert src.canonical_url == "https://quotidien.example/marche"
    assert len(doc.blocks) == 3


def test_page_without_article_gives_empty_text() -> None:
    doc = extract("no_article.html")
    assert doc.text == "" and doc.blocks == ()


def test_dates_from_scripts_are_never_used() -> None:
    html = (
        "<html><head><script>var datePublished='2001-01-01'; var author='Menu';</script></head><body>"
        "<div><p>A paragraph long enough to count as article text for the extractor to keep.</p>"
        "<p>A second paragraph, also long enough, with a comma, to be scored as article text.</p></div>"
        "</body></html>"
    )
    src = document_from_html(html, SourceInfo(kind="stdin", name="-")).source
    assert src.published is None and src.authors == ()


def test_nested_lists_and_preformatted() -> None:
    html = (
        "<html><body><article><p>Intro paragraph that is long enough to be counted as article text here.</p>"
        "<ol><li>First point, with a comma, in the list</li><li>Second point<ul><li>Nested point under the second</li></ul></li></ol>"
        "<pre>code   block\n  kept</pre><p>Closing paragraph that is also long enough to count as text.</p>"
        "</article></body></html>"
    )
    got = blocks(document_from_html(html, SourceInfo(kind="stdin", name="-")))
    assert ("list_item", "Second point") in got
    assert ("list_item", "Nested point under the second") in got
    assert ("preformatted", "code block kept") in got


def test_json_ld_article_body_is_the_fallback() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "Article", "headline": "Only in JSON",'
        ' "articleBody": "First paragraph of the body.\\nSecond paragraph of the body."}</script></head>'
        "<body><div id='app'></div></body></html>"
    )
    doc = document_from_html(html, SourceInfo(kind="stdin", name="-"))
    assert blocks(doc) == [
        ("heading", "Only in JSON"),
        ("paragraph", "First paragraph of the body."),
        ("paragraph", "Second paragraph of the body."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "\ufeff  <html lang='en'><head><title>t</title></head></html>",
        "<p>Just a paragraph of markup.</p>",
        "<div class='a'>text</div>",
        "<!-- saved page -->\n<html><body>hi</body></html>",
        "<meta charset='utf-8'><title>x</title><p>y</p>",
    ],
)
def test_looks_like_html_true(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain text about the vote: 7 < 9 and 3 > 2, nothing more.",
        "If x <y then we stop.\nAnother line of prose.",
        "Email me at <jane@example.org> about it.",
        "A headline\n\nA paragraph mentioning <html> once in passing.",
    ],
)
def test_looks_like_html_false(text: str) -> None:
    assert not looks_like_html(text)


def test_parse_date_is_strict() -> None:
    assert parse_date("2019-11-19T05:00:00-0500") == "2019-11-19T05:00:00-05:00"
    assert parse_date("2019-11-19 05:00:00") == "2019-11-19T05:00:00"
    assert parse_date("Tue, 19 Nov 2019 10:00:00 GMT") == "2019-11-19T10:00:00+00:00"
    assert parse_date("last Tuesday") is None
    assert parse_date("19/11/2019") is None


def test_decode_html_rules() -> None:
    assert decode_html("café".encode("utf-8"), "ISO-8859-1") == ("café", "utf-8")
    assert decode_html("“quoted” café".encode("cp1252"), "ISO-8859-1")[0] == "“quoted” café"
    meta = '<meta charset="shift_jis"><p>日本語の記事</p>'.encode("shift_jis")
    assert decode_html(meta)[0].endswith("日本語の記事</p>")
    assert decode_html(b"\xef\xbb\xbfhello", "latin-1") == ("hello", "utf-8")


def test_html_nested_100000_deep_keeps_its_text() -> None:
    body = (
        "<p>The deal closed in May after months of talks between the two companies.</p>"
        "<p>Shares rose 4% on the news, and analysts said the merger could face scrutiny.</p>"
    )
    html = "<html><body>" + "<div>" * 100_000 + body + "</div>" * 100_000 + "</body></html>"
    doc = document_from_html(html, SourceInfo(kind="file", name="deep.html"))
    assert "The deal closed in May" in doc.text and "Shares rose 4%" in doc.text


def test_an_html_fragment_with_no_article_container_keeps_its_paragraphs() -> None:
    doc = document_from_html("<p>The deal closed in May.</p><p>Shares <b>rose</b> 4%.</p>", SourceInfo(kind="stdin", name="-"))
    assert doc.text == "The deal closed in May.\n\nShares rose 4%."
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_an_empty_or_dropped_block_between_text_still_breaks_the_line() -> None:
    # Some sites break lines with an empty <div>; a browser shows the text on two lines, and
    # the sentence splitter must not see "Wednesday.The".
    html = (
        "<html><body><article><div>The council met on Wednesday and voted to raise fares by ten percent."
        '<div class="fake-br"></div>The increase takes effect in March, the transit agency said in a statement.'
        '<div class="share-links"><a href="/x">Share</a></div>Riders groups said they would fight the change.'
        "</div></article></body></html>"
    )
    doc = document_from_html(html, SourceInfo(kind="stdin", name="-"))
    assert doc.text.split("\n\n") == [
        "The council met on Wednesday and voted to raise fares by ten percent.",
        "The increase takes effect in March, the transit agency said in a statement.",
        "Riders groups said they would fight the change.",
    ]
