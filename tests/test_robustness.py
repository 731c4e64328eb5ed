"""Nothing crashes, nothing is lost: property tests over the whole pipeline, and hostile inputs.

The property tests run with a fixed seed and a bounded number of examples, so CI is repeatable;
set HYPOTHESIS_PROFILE=thorough for a longer local run.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from claimcheck import analyze
from claimcheck.errors import ClaimcheckError, ExitCode
from claimcheck.output import ledger_to_dict, schema


SCHEMA = schema()

# Words and marks that exercise the rules: cue words, abbreviations, quotes, joints, headings.
WORDS = [
    "The", "deal", "may", "May", "could", "not", "said", "Microsoft", "confirmed", "reportedly", "unclear",
    "whether", "though", "but", "however", "Sen.", "U.S.", "a.m.", "No.", "3.5", "$4", "Inc.", "—", "…",
    "“", "”", '"', "(", ")", ";", ",", ".", "?", "!", "It’s", "clear", "that", "if", "approved", "would",
    "people", "familiar", "with", "the", "matter", "denied", "allegations", "Dr.", "J.", "R.", "1.", "-",
]
ODD = st.sampled_from(
    ["\x00", "\x01", "\x0b", "\x0c", "\u200f", "\u202e", "\u2028", "\u2029", "\r\n", "\r", "\n\n", "\t",
     "\u0301", "\U0001F600", "\ufeff", "\ud800", "\udfff", "İ", "ß", "ﬁ", "<p>", "</div>", "&amp;", "  "]
)
TEXT = st.one_of(
    st.text(min_size=0, max_size=400),
    st.lists(st.one_of(st.sampled_from(WORDS), ODD, st.text(max_size=6)), max_size=120).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=60).map(lambda ws: "\n".join(ws)),
)


def check_invariants(text: str) -> None:
    """What every ledger must satisfy, whatever the input."""
    try:
        ledger = analyze(text)
    except ClaimcheckError:
        return  # a clear, typed error (e.g. nothing to analyse) is an allowed outcome
    doc = ledger.document.text
    last = 0
    covered = bytearray(len(doc))
    for index, s in enumerate(ledger.sentences):
        assert s.index == index
        assert 0 <= s.start < s.end <= len(doc)
        assert doc[s.start : s.end] == s.text
        assert s.start >= last, "sentences overlap or go backwards"
        last = s.end
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
    lost = [i for i, ch in enumerate(doc) if not covered[i] and not ch.isspace()]
    assert not lost, f"characters dropped at {lost[:5]}"
    for c in ledger.claims:
        sentence = ledger.sentences[c.sentence]
        assert sentence.is_claim
        assert sentence.start <= c.start < c.end <= sentence.end
        assert doc[c.start : c.end] == c.text
        assert 0.0 <= c.confidence <= 1.0
        for cue in c.cues:
            assert doc[cue.start : cue.end] == cue.text
    data = json.loads(json.dumps(ledger_to_dict(ledger)))
    jsonschema.validate(data, SCHEMA)


@given(TEXT)
@example("<p> \ud800")  # a lone surrogate inside markup once crashed the HTML parser
@example("\x00\x00 The deal closed.\u2028It may reopen.")
def test_any_text_keeps_the_invariants(text: str) -> None:
    check_invariants(text)


@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<h2>", "</h2>", "<blockquote>", "<li>",
                                 "<script>x()</script>", "<b>", "</b>", "&nbsp;", "<br>", "<!--", "-->"]
                                ) | st.text(max_size=20), min_size=1, max_size=80).map("".join))
def test_markup_soup_keeps_the_invariants(soup: str) -> None:
    check_invariants("<html><body>" + soup + " The deal closed in May.</body></html>")


def test_a_one_megabyte_line_without_punctuation() -> None:
    ledger = analyze("word " * 200_000)
    assert sum(s.end - s.start for s in ledger.sentences) >= 999_000


def test_many_short_lines_and_mixed_newlines() -> None:
    text = "\r\n".join(f"Line {i} may end here" for i in range(2000)) + "\rLast.\u2028After a separator."
    check_invariants(text)


def test_a_page_of_100000_tiny_paragraphs() -> None:
    ledger = analyze("\n\n".join(f"Item {i} rose." for i in range(100_000)))
    assert len(ledger.claims) == 100_000


@pytest.fixture
def cli_result(cli, tmp_path: Path):
    def run(data: bytes, name: str = "input.txt", *args: str):
        path = tmp_path / name
        path.write_bytes(data)
        return cli(str(path), *args)

    return run


def test_html_nested_100000_deep_from_the_command_line(cli_result) -> None:
    page = ("<html><body>" + "<div>" * 100_000 + "<p>The mayor said the bridge would reopen in June.</p>"
            + "</div>" * 100_000 + "</body></html>").encode()
    result = cli_result(page, "deep.html", "-f", "json")
    assert result.code == ExitCode.OK, result.err
    assert json.loads(result.out)["claims"][0]["level"] == "reported"


def test_invalid_utf8_is_replaced_and_reported(cli_result) -> None:
    result = cli_result(b"Caf\xe9 owners said prices \xff\xfe rose.", "bad.txt", "-f", "json")
    assert result.code == ExitCode.OK
    assert "not valid UTF-8" in result.err and "3 undecodable byte(s)" in result.err
    assert "\ufffd" in json.loads(result.out)["text"]


def test_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "long.txt"
    # Some 250 KB of table: far more than a pipe holds, so the writer meets the closed end.
    path.write_text("The deal may close in May. " * 4_000, encoding="utf-8")
    shell = f"{sys.executable} -m claimcheck {path} | head -n 2"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr == ""


def test_ctrl_c_keeps_what_was_printed_and_exits_130(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    small = tmp_path / "small.txt"
    small.write_text("The deal closed in May.", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("The mayor said the bridge may reopen in June. " * 200_000, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", "-f", "jsonl", str(small), str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C as a terminal delivers it, even when this run was started in the background
        # (a shell's `&` hands its children SIGINT ignored, and Python then never raises it).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    first = proc.stdout.readline()  # the first ledger is out: the second is being analysed
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert json.loads(first)["claims"][0]["text"] == "The deal closed in May."
    assert rest == ""
    assert err.strip() == "claimcheck: interrupted"


def test_a_50_megabyte_file_is_refused_clearly_unless_the_limit_is_raised(cli, tmp_path: Path) -> None:
    big = tmp_path / "fifty.txt"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)  # a sparse 50 MB file: the limit is checked before reading
    result = cli(str(big))
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err.strip() == f"claimcheck: {big}: larger than the 10,000,000-byte limit; raise --max-bytes to read it"
    assert result.out == ""
    small = tmp_path / "small.txt"
    small.write_text("The deal closed in May. " * 10, encoding="utf-8")
    assert cli(str(small), "--max-bytes", "100").code == ExitCode.INPUT_ERROR
    assert cli(str(small), "--max-bytes", "1000").code == ExitCode.OK


def test_stdin_over_the_limit_is_refused(cli) -> None:
    result = cli("--max-bytes", "1000", stdin=b"The deal closed in May. " * 100)
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err.strip() == "claimcheck: stdin: larger than the 1,000-byte limit; raise --max-bytes to read it"
