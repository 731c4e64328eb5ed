"""A page or a file name cannot drive the reader's terminal or spreadsheet: control characters
are shown escaped in what a terminal or Markdown viewer shows, JSON keeps them exact, and no
CSV cell is read as a formula."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from claimcheck.errors import ExitCode
from claimcheck.printable import printable

# A title change (OSC 0), a bell, a screen clear and a colour, an 8-bit CSI (C1), in page and name.
PAGE = (
    "<html><head><title>T\x1b]0;pwned\x07</title></head><body><p>The mayor said the "
    "\x1b]0;pwned\x07bridge \x1b[2J may reopen in June. Officials said the council \x9b31m may vote in May.</p>"
    "</body></html>"
)
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\n"] + [chr(c) for c in range(0x7f, 0xa0)]


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    path = tmp_path / "evil\x1b]0;name\x07.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if c in CONTROL]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_table_and_markdown_show_no_control_character(cli, evil: Path, fmt: str) -> None:
    result = cli("-f", fmt, "--no-color", str(evil))
    assert result.code == ExitCode.OK, result.err
    assert _raw_controls(result.out) == []
    assert "\\x1b" in result.out and "bridge" in result.out


def test_colour_codes_are_the_tables_own(cli, evil: Path) -> None:
    out = cli("--color", str(evil)).out
    assert "\x1b]" not in out and "\x07" not in out and "\x1b[2J" not in out and "\x9b" not in out
    assert "\x1b[1;4m" in out  # the cues, underlined by the table itself


def test_json_keeps_the_text_exact(cli, evil: Path) -> None:
    ledger = json.loads(cli("-f", "json", str(evil)).out)
    assert "\x1b[2J" in ledger["text"] and "\x07" in ledger["text"]


def test_messages_naming_a_file_show_no_control_character(cli, tmp_path: Path) -> None:
    result = cli(str(tmp_path / "gone\x1b]0;pwned\x07.txt"), str(tmp_path / "nope\x9b2J.txt"))
    assert result.code == ExitCode.INPUT_ERROR
    assert _raw_controls(result.err) == []
    assert "\\x1b]0;pwned\\x07" in result.err


def test_progress_bar_shows_no_control_character(evil: Path) -> None:
    from claimcheck.batch import Outcome
    from claimcheck.cli.progress import Progress

    stream = io.StringIO()
    bar = Progress(2, stream)
    bar.start(str(evil))
    bar.note(f"claimcheck: {evil}: warning")
    bar.done(Outcome(str(evil), error="failed"))
    shown = stream.getvalue().replace("\r\x1b[K", "")  # the bar's own clearing of its line
    assert _raw_controls(shown) == []


def test_printable_escapes_controls_and_keeps_the_rest() -> None:
    assert printable("plain — text, ünïcode") == "plain — text, ünïcode"
    assert printable("a\x1b[31mb\x07c\x9bd\x7f") == "a\\x1b[31mb\\x07c\\x9bd\\x7f"
    assert printable("a\tb\r\nc") == "a b  c"
    assert printable("a\nb", keep="\n") == "a\nb"


@pytest.mark.parametrize("name", ["=HYPERLINK(x).txt", "@SUM(A1).txt", "+1.txt", "-1.txt", " =1.txt",
                                  "\t=1.txt", "\uff1d1.txt", "\uff0b1.txt", "\uff0d1.txt", "\uff201.txt"])
def test_csv_guards_every_text_cell_against_formulas(cli, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\uff1dcmd may run, officials said. \u3000@SUM(A1) may be a formula.", encoding="utf-8")
    result = cli("-f", "csv", "--", name, cwd=tmp_path)  # the source column names the file as given
    assert result.code == ExitCode.OK, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows
    for row in rows:
        for column, cell in row.items():
            first = cell.lstrip()[:1]
            assert first not in set("=+-@\uff1d\uff0b\uff0d\uff20"), (column, cell)
    # The name as given, guarded; a tab in it is shown escaped (as in every message), which
    # already keeps the cell from starting a formula.
    assert rows[0]["source"] in ("'" + name, name.replace("\t", "\\t"))
