"""Many sources: directories, --from-file, concurrent polite fetching in input order, streaming,
the page cache, the progress bar and the closing summary. Servers run on 127.0.0.1 only."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from claimcheck.errors import ExitCode
from claimcheck.sources import expand_sources

ROOT = Path(__file__).resolve().parents[1]
PAGES = 12


def page(n: int, extra: str = "") -> str:
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"<p>The council confirmed that {n} roads will close in May. Officials may extend the plan. {extra}</p>"
        "</article></body></html>"
    )


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


# -- expanding sources ------------------------------------------------------------------------
def test_a_directory_gives_its_article_files_sorted(tmp_path: Path) -> None:
    for name in ("b.html", "a.txt", "c.HTM", "notes.md", "image.png"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub.txt").mkdir()  # a folder named like a file is not a file
    entries = expand_sources([str(tmp_path)])
    assert [Path(e.name).name for e in entries] == ["a.txt", "b.html", "c.HTM"]


def test_a_list_file_skips_blanks_and_comments(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# drafts for Monday\n\n  a.txt  \nhttps://example.com/x#frag\n# b.txt\n", encoding="utf-8")
    assert [e.name for e in expand_sources([], [str(listing)])] == ["a.txt", "https://example.com/x#frag"]


def test_from_file_dash_reads_the_list_on_stdin_and_mixes_with_sources(cli, tmp_path: Path) -> None:
    a, b, c = (tmp_path / f"{n}.txt" for n in "abc")
    for path, text in ((a, "The bridge opened in 1932."), (b, "It may reopen."), (c, "Nobody knows.")):
        path.write_text(text, encoding="utf-8")
    result = cli(str(c), "--from-file", "-", "-f", "jsonl", stdin=f"# list\n{a}\n{b}\n")
    assert result.code == ExitCode.OK, result.err
    assert [json.loads(line)["source"]["name"] for line in result.out.splitlines()] == [str(c), str(a), str(b)]


def test_a_missing_list_and_an_empty_folder_fail_but_others_print(cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    story = tmp_path / "s.txt"
    story.write_text("The bridge opened in 1932.", encoding="utf-8")
    result = cli(str(tmp_path / "empty"), str(story), "--from-file", str(tmp_path / "nope.txt"), "-f", "jsonl")
    assert result.code == ExitCode.INPUT_ERROR
    assert "is a directory with no .txt, .html, .htm files" in result.err
    assert "nope.txt: no such file" in result.err
    assert len(result.out.splitlines()) == 1


def test_jobs_2_on_local_files_gives_the_same_output_as_jobs_1(cli) -> None:
    one = cli(str(ROOT / "samples"), "-f", "jsonl", "--jobs", "1")
    two = cli(str(ROOT / "samples"), "-f", "jsonl", "--jobs", "2")
    assert one.code == two.code == ExitCode.OK
    assert one.out == two.out and len(one.out.splitlines()) == 3


# -- concurrent fetching ------------------------------------------------------------------------
class _Site:
    """A threaded loopback server that records how many requests it serves at once."""

    def __init__(self) -> None:
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()
        self.release = threading.Event()  # /wait/… pages answer once it is set
        self.delays: dict[str, float] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                with site.lock:
                    site.active += 1
                    site.most = max(site.most, site.active)
                try:
                    if self.path.startswith("/wait/"):
                        site.release.wait(20)
                    time.sleep(site.delays.get(self.path, 0.15))
                    body = page(int(self.path.rsplit("/", 1)[1])).encode("utf-8")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                finally:
                    # Counted out before the body goes: once the client has it, it may send its
                    # next request before this thread would otherwise get to count.
                    with site.lock:
                        site.active -= 1
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def site() -> Iterator[_Site]:
    s = _Site()
    yield s
    s.release.set()
    s.server.shutdown()
    s.server.server_close()


def test_urls_are_fetched_concurrently_two_per_host_and_printed_in_input_order(cli, site: _Site, tmp_path: Path) -> None:
    urls = [f"{site.base}/p/{n}" for n in range(PAGES)]
    site.delays[urls[0].replace(site.base, "")] = 0.6  # the first is the slowest: order must still hold
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    result = cli("--from-file", str(listing), "-f", "jsonl", "--jobs", "6")
    assert result.code == ExitCode.OK, result.err
    assert [json.loads(line)["source"]["url"] for line in result.out.splitlines()] == urls
    # Two requests were in flight at once (concurrent), and never more (polite to one host).
    assert site.most == 2


def test_jsonl_streams_each_ledger_as_soon_as_it_and_those_before_are_done(site: _Site) -> None:
    urls = [f"{site.base}/p/1", f"{site.base}/wait/2"]
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *urls, "-f", "jsonl", "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )
    try:
        first = proc.stdout.readline()  # arrives while the second page is still held back
        assert json.loads(first)["source"]["url"] == urls[0]
        assert proc.poll() is None
        site.release.set()
        rest = proc.stdout.read()
        assert json.loads(rest)["source"]["url"] == urls[1]
        assert proc.wait(20) == 0
    finally:
        site.release.set()
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()


def test_progress_bar_goes_to_a_terminal_stderr_and_never_into_stdout(site: _Site, tmp_path: Path) -> None:
    urls = [f"{site.base}/p/{n}" for n in range(PAGES)]
    master, slave = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *urls, "-f", "jsonl"],
        stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=env,
    )
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    seen = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0
    assert [json.loads(line)["source"]["url"] for line in out.decode().splitlines()] == urls  # pure JSONL
    terminal = seen.decode("utf-8", "replace")
    assert f"] {PAGES}/{PAGES}" in terminal and "\r" in terminal and "[#" in terminal
    assert f"claimcheck: {PAGES} sources: {PAGES} read, 0 failed" in terminal  # the closing summary


def test_summary_names_failures_and_counts_claims_per_level(cli, site: _Site) -> None:
    result = cli(f"{site.base}/p/1", "http://127.0.0.1:9/p/2", "--summary", "-f", "jsonl")
    assert result.code == ExitCode.INPUT_ERROR
    lines = result.err.splitlines()
    assert "claimcheck: 2 sources: 1 read, 1 failed" in lines
    assert any(line.startswith("claimcheck:   failed: http://127.0.0.1:9/p/2: connection refused") for line in lines)
    assert "claimcheck: 2 claims: 1 confirmed, 1 possible" in lines


# -- the page cache -----------------------------------------------------------------------------
class _Pages:
    """Pages with ETags; records the conditional headers each request carried."""

    def __init__(self) -> None:
        self.version = {n: 1 for n in range(PAGES)}
        self.seen: list[tuple[str, str | None, int]] = []

    def handler(self, request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[1])
        etag = f'"v{self.version[n]}-{n}"'
        asked = request.headers.get("If-None-Match")
        if asked == etag:
            self.seen.append((request.path, asked, 304))
            return Response(status=304, headers={"ETag": etag})
        self.seen.append((request.path, asked, 200))
        body = page(n, extra="Revised: the plan is disputed." if self.version[n] > 1 else "")
        return Response(body, status=200, content_type="text/html; charset=utf-8",
                        headers={"ETag": etag, "Last-Modified": "Tue, 11 Feb 2025 07:30:00 GMT"})


def test_cache_revalidates_with_a_conditional_get_and_notices_a_changed_page(cli, httpserver: HTTPServer, tmp_path: Path) -> None:
    pages = _Pages()
    for n in range(PAGES):
        httpserver.expect_request(f"/p/{n}").respond_with_handler(pages.handler)
    urls = [httpserver.url_for(f"/p/{n}") for n in range(PAGES)]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls), encoding="utf-8")
    cache = tmp_path / "cc"
    args = ("--from-file", str(listing), "-f", "jsonl", "--cache", str(cache), "--summary")

    first = cli(*args)
    assert first.code == ExitCode.OK, first.err
    assert all(asked is None and status == 200 for _, asked, status in pages.seen)
    assert f"cache: {PAGES} new" in first.err
    assert len(list(cache.glob("*.json"))) == PAGES

    pages.seen.clear()
    second = cli(*args)
    assert second.code == ExitCode.OK, second.err
    assert len(pages.seen) == PAGES
    assert all(asked is not None and status == 304 for _, asked, status in pages.seen)  # If-None-Match → 304
    assert f"cache: {PAGES} revalidated" in second.err
    strip = lambda out: [{**json.loads(x), "source": None} for x in out.splitlines()]  # noqa: E731 (fetched_at differs)
    assert strip(second.out) == strip(first.out)

    pages.version[3] = 2  # the article was edited
    pages.seen.clear()
    third = cli(*args)
    assert ("/p/3", '"v1-3"', 200) in pages.seen
    assert "cache: 1 changed, 11 revalidated" in third.err
    changed = json.loads(third.out.splitlines()[3])
    assert "Revised: the plan is disputed." in changed["text"]
    fourth = cli(*args)
    assert "cache: 12 revalidated" in fourth.err and "Revised" in json.loads(fourth.out.splitlines()[3])["text"]
