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
