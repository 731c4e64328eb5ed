"""Hostile sources and options: absurd timeouts, special files, prose with "<", odd file names.

Each test asserts what a user sees: one ``claimcheck: ...`` line, the exit code, no traceback.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.errors import ExitCode

ARTICLE = "The mayor said the bridge may reopen in May.\n"


@pytest.mark.parametrize("value", ["inf", "1e308", "nan", "-1", "0"])
def test_absurd_timeout_is_a_usage_error_naming_the_value(cli, tmp_path: Path, value: str) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = cli(str(source), "--timeout", value)
    assert result.code == ExitCode.USAGE, result.err
    assert "Traceback" not in result.err
    assert "--timeout" in result.err
    shown = {"1e308": "1e+308", "-1": "-1.0", "0": "0.0"}.get(value, value)
    assert shown in result.err


def test_a_day_of_timeout_is_accepted(cli, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = cli(str(source), "--timeout", "86400")
    assert result.code == ExitCode.OK, result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_without_writer_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "claimcheck", str(fifo)], capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == ExitCode.INPUT_ERROR, err
    assert err == f"claimcheck: {fifo}: is a FIFO, not a regular file (pipe text to stdin with - instead)\n"


@pytest.mark.parametrize(
    "text",
    [
        "if a < b and c > d then the plan may fail.\n",
        "He said x<y>z is what the mayor wants.\n",
        "<if a < b and c > d then we win, officials said.\n",
        "<x<y>z is what he said, officials claimed.\n",
        "He wrote <p> and <div> then </p> and <a> in the text, and x<y>z.\n",
        "<!-- not a comment, x<y>z said the mayor.\n",
        "<br> is a tag, he said, and x<y>z and a<b may hold.\n",
        "<p x<y>z is what he said.\n",
        "<script>alert('x')</script> was posted, and the mayor said it may rain.\n",
    ],
)
def test_prose_that_looks_like_markup_keeps_every_character(cli, text: str) -> None:
    result = cli("-", "-f", "json", stdin=text)
    assert result.code == ExitCode.OK, result.err
    assert json.loads(result.out)["text"] == text


def test_real_markup_is_still_read_as_html(cli) -> None:
    result = cli("-", "-f", "json", stdin="<p>The mayor said the bridge may reopen.</p>\n")
    assert result.code == ExitCode.OK, result.err
    assert json.loads(result.out)["text"].strip() == "The mayor said the bridge may reopen."


NAMES = ["a space.txt", "new\nline.txt", "tab\there.txt", "-dash.txt", "quo'te\".txt", "plain.txt"]


@pytest.mark.skipif(sys.platform != "linux", reason="names of arbitrary bytes need a POSIX file system")
def test_every_file_with_an_unusual_name_is_read_and_named_safely(cli, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    result = cli(str(folder), "-f", "jsonl")
    assert result.code == ExitCode.OK, result.err
    names = [json.loads(line)["source"]["name"] for line in result.out.splitlines()]
    assert len(names) == 7
    shown = sorted(name[len(str(folder)) + 1:] for name in names)
    assert shown == sorted(["a space.txt", "new\\nline.txt", "tab\\there.txt", "-dash.txt", "quo'te\".txt",
                            "plain.txt", "bad\\xff.txt"])
    table = cli(str(folder))
    assert table.code == ExitCode.OK, table.err
    headers = [line for line in table.out.splitlines() if line.startswith("== ")]
    assert len(headers) == 7 and all(line.endswith(" ==") for line in headers)


def test_an_unreadable_file_with_a_newline_in_its_name_is_reported_escaped(cli, tmp_path: Path) -> None:
    missing = tmp_path / "gone\naway.txt"
    result = cli(str(missing))
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err == f"claimcheck: {tmp_path}/gone\\naway.txt: no such file\n"


# -- the page cache ---------------------------------------------------------------------------

STORY = (Path(__file__).resolve().parents[1] / "samples" / "story.html").read_bytes()


@pytest.fixture
def cached_story(cli, httpserver, tmp_path: Path) -> tuple[str, Path]:
    """A story served with an ETag and fetched once through a cache: (its URL, the cache's entry)."""
    httpserver.expect_request("/story.html").respond_with_data(
        STORY, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'}
    )
    url = httpserver.url_for("/story.html")
    cache = tmp_path / "cache"
    first = cli(url, "--cache", str(cache), "-f", "json")
    assert first.code == ExitCode.OK, first.err
    [entry] = cache.glob("*.json")
    return url, entry


def _damage(entry: Path, how: str) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    page = data["page"]
    if how == "not json":
        entry.write_text('{"format": 1, "url": ', encoding="utf-8")
        return
    if how == "text null":
        page["text"] = None
    elif how == "text number":
        page["text"] = 42
    elif how == "etag object":
        page["etag"] = {"weak": True}
    elif how == "etag crlf":
        page["etag"] = '"v1"\r\nX-Injected: yes'
    elif how == "status text":
        page["status"] = "200"
    elif how == "page list":
        data["page"] = []
    entry.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "how", ["not json", "text null", "text number", "etag object", "etag crlf", "status text", "page list"]
)
def test_a_damaged_cache_entry_is_one_warning_and_a_refetch(cli, cached_story: tuple[str, Path], how: str) -> None:
    url, entry = cached_story
    _damage(entry, how)
    cache = entry.parent
    again = cli(url, "--cache", str(cache), "-f", "json")
    assert again.code == ExitCode.OK, again.err
    assert "Traceback" not in again.err
    lines = again.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"claimcheck: warning: {url}: cache entry {entry} is damaged ("), lines
    assert lines[0].endswith("; fetched the page again")
    assert json.loads(again.out)["source"]["url"] == url
    third = cli(url, "--cache", str(cache), "-f", "json", "--summary")
    # The entry was replaced: the next run uses it without a word (the server has no 304, so "changed").
    assert third.code == ExitCode.OK and "warning" not in third.err and "cache: 1 changed" in third.err, third.err


def test_a_cache_folder_under_a_file_is_a_usage_error(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = cli(str(source), "--cache", str(blocker / "cache"))
    assert result.code == ExitCode.USAGE
    assert f"{blocker / 'cache'}: cannot write there" in result.err and "Traceback" not in result.err


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root may write anywhere")
def test_a_read_only_cache_folder_is_a_usage_error(cli, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    try:
        result = cli(str(source), "--cache", str(folder))
    finally:
        folder.chmod(0o755)
    assert result.code == ExitCode.USAGE
    assert f"{folder}: cannot write there: Permission denied" in result.err


def test_two_processes_sharing_a_cache_leave_only_whole_entries(httpserver, tmp_path: Path) -> None:
    for n in range(8):
        httpserver.expect_request(f"/p{n}.html").respond_with_data(
            STORY, content_type="text/html; charset=utf-8", headers={"ETag": f'"v{n}"'}
        )
    urls = [httpserver.url_for(f"/p{n}.html") for n in range(8)]
    cache = tmp_path / "cache"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("HTTP_PROXY", None), env.pop("http_proxy", None)
    runs = [
        subprocess.Popen([sys.executable, "-m", "claimcheck", *urls, "--cache", str(cache), "-f", "jsonl"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == ExitCode.OK, err.decode()
    entries = sorted(cache.iterdir())
    assert len(entries) == 8  # no temporary file left behind
    for entry in entries:
        assert json.loads(entry.read_text(encoding="utf-8"))["page"]["text"]
