"""`claimcheck URL` end to end: the real command in a subprocess against a page served on 127.0.0.1.

The page is the project's own samples/story.html. Nothing here touches the internet.
"""
from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest
from pytest_httpserver import HTTPServer

from claimcheck.errors import ExitCode
from claimcheck.output import schema

STORY = (Path(__file__).resolve().parents[1] / "samples" / "story.html").read_bytes()
TITLE = "Rail operator confirms timetable cuts as driver shortage bites"
HEADINGS = [TITLE, "How many drivers are missing?", "What happens next"]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # The child process inherits the environment: a developer's proxy must not see loopback fetches.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def story_url(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/story.html").respond_with_data(STORY, content_type="text/html; charset=utf-8")
    return httpserver.url_for("/story.html")


def test_url_table_header_shows_title_authors_and_dates(cli, story_url: str) -> None:
    result = cli(story_url)
    assert result.code == ExitCode.OK, result.err
    assert result.err == ""
    header = result.out.splitlines()[:6]
    assert header == [
        f"== {story_url} ==",
        f"Title: {TITLE}",
        "By: Ines Marlow, Dev Okafor",
        "Published: 2025-02-11T07:30:00+00:00",
        "Modified: 2025-02-11T12:05:00+00:00",
        "Site: Valley Courier",
    ]
    assert "\x1b[" not in result.out  # NO_COLOR


def test_url_json_carries_the_metadata_under_source(cli, story_url: str) -> None:
    result = cli(story_url, "-f", "json")
    assert result.code == ExitCode.OK, result.err
    data = json.loads(result.out)
    jsonschema.validate(data, schema())
    source = data["source"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", source.pop("fetched_at"))
    assert {key: source[key] for key in (
        "kind", "url", "final_url", "status", "content_type", "encoding",
        "title", "authors", "published", "modified", "site", "language",
    )} == {
        "kind": "url",
        "url": story_url,
        "final_url": story_url,
        "status": 200,
        "content_type": "text/html",
        "encoding": "utf-8",
        "title": TITLE,
        "authors": ["Ines Marlow", "Dev Okafor"],
        "published": "2025-02-11T07:30:00+00:00",
        "modified": "2025-02-11T12:05:00+00:00",
        "site": "Valley Courier",
        "language": "en",
    }


def test_url_headings_are_sentences_but_not_claims(cli, story_url: str) -> None:
    data = json.loads(cli(story_url, "-f", "json").out)
    headings = [s for s in data["sentences"] if s["kind"] == "heading"]
    assert [s["text"] for s in headings] == HEADINGS
    assert all(s["is_claim"] is False for s in headings)
    heading_indexes = {s["index"] for s in headings}
    assert data["claims"] and not [c for c in data["claims"] if c["sentence"] in heading_indexes]
    # The page's chrome (cookie notice, navigation, "Most read") is not in the article.
    assert "cookies" not in data["text"] and "Most read" not in data["text"]


def test_a_404_does_not_stop_the_next_url(cli, httpserver: HTTPServer, story_url: str) -> None:
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    gone = httpserver.url_for("/gone.html")
    result = cli(gone, story_url)
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err.splitlines()[0] == f"claimcheck: {gone}: HTTP 404 Not Found"
    assert "claimcheck: 2 sources: 1 read, 1 failed" in result.err  # the closing summary
    assert result.out.startswith(f"== {story_url} ==\nTitle: {TITLE}\n")
    assert gone not in result.out


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A server that accepts connections (the kernel does, from its backlog) and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/story.html"


def test_fetch_errors_are_one_line_each_and_never_a_traceback(
    cli, httpserver: HTTPServer, story_url: str, silent_url: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    httpserver.expect_request("/paper.pdf").respond_with_data(b"%PDF-1.7\n", content_type="application/pdf")
    failures = {
        "http://no-such-host.invalid/story.html": "DNS lookup failed: no such host no-such-host.invalid",
        f"http://127.0.0.1:{closed_port}/story.html": f"connection refused by 127.0.0.1:{closed_port}",
        f"https://127.0.0.1:{httpserver.port}/story.html": "TLS error: ",
        silent_url: "timed out: the fetch took longer than 1 s",
        httpserver.url_for("/paper.pdf"): "unsupported content type application/pdf (claimcheck reads HTML and plain text)",
    }
    # --no-summary: this test is about the error lines; the closing summary has tests of its own.
    result = cli("--timeout", "1", *failures, story_url, "-f", "jsonl", "--no-summary", timeout=30)
    assert result.code == ExitCode.INPUT_ERROR
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = result.err.splitlines()
    assert len(lines) == len(failures), result.err
    for line, (url, message) in zip(lines, failures.items()):
        assert line.startswith(f"claimcheck: {url}: {message}"), line
    assert [json.loads(line)["source"]["url"] for line in result.out.splitlines()] == [story_url]


def _basic_auth_server(httpserver: HTTPServer) -> tuple[str, str]:
    """A story that needs user:s3cret, and a missing page: (the story's URL, the missing one's), both with credentials."""
    from werkzeug.wrappers import Request, Response

    def story(request: Request) -> Response:
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != ("user", "s3cret"):
            return Response("who are you?", status=401, headers={"WWW-Authenticate": 'Basic realm="x"'})
        return Response(STORY, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})

    httpserver.expect_request("/story.html").respond_with_handler(story)
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    base = httpserver.url_for("/")
    with_auth = base.replace("http://", "http://user:s3cret@", 1)
    return with_auth + "story.html", with_auth + "gone.html"


def test_credentials_in_a_url_are_used_but_shown_nowhere(cli, httpserver: HTTPServer, tmp_path: Path) -> None:
    story, gone = _basic_auth_server(httpserver)
    cache = tmp_path / "cache"
    shown = story.replace("user:s3cret@", "user:***@")
    for fmt in ("json", "html", "table"):
        result = cli(story, gone, "-f", fmt, "--summary", "--cache", str(cache), "--jobs", "1")
        assert result.code == ExitCode.INPUT_ERROR, result.err  # the story is read, the missing page fails
        assert "s3cret" not in result.out and "s3cret" not in result.err
        assert TITLE in result.out  # the credentials reached the server
        assert f"claimcheck: {gone.replace('user:s3cret@', 'user:***@')}: HTTP 404 Not Found" in result.err
        if fmt == "json":
            data = json.loads(result.out)
            source = (data[0] if isinstance(data, list) else data)["source"]
            assert source["name"] == source["url"] == shown
            assert "s3cret" not in source["final_url"]
    kept = [path.read_bytes() for path in cache.rglob("*") if path.is_file()]
    assert kept and all(b"s3cret" not in data for data in kept)


def test_no_private_refuses_a_loopback_page_with_one_line(cli, story_url: str) -> None:
    result = cli(story_url, "--no-private")
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err == f"claimcheck: {story_url}: refused: a connection reached the non-public address 127.0.0.1 (--no-private)\n"
    assert cli(story_url, "--allow-private").code == ExitCode.OK
