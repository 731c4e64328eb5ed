"""The command line as a user runs it: real files, every exit code; in this process, except where
only a real process shows it (stdin and stdout as pipes, `python -m`)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from claimcheck import __version__
from claimcheck.cli import FORMAT_NAMES
from claimcheck.errors import ExitCode
from claimcheck.output import RENDERERS, schema

STORY = "Microsoft confirmed his departure. The deal may close in May.\n"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_version(cli) -> None:
    result = cli("--version")
    assert (result.code, result.out.strip()) == (0, f"claimcheck {__version__}")


def test_help_shows_the_check_options_and_commands(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for word in ("--format", "--rules", "--timeout", "rules", "SOURCE"):
        assert word in result.out


def test_stdin_gives_a_table(cli_process) -> None:
    result = cli_process(stdin=STORY)
    assert result.code == ExitCode.OK, result.err
    assert "confirmed" in result.out and "possible" in result.out
    assert "2 claims: 1 confirmed, 1 possible" in result.out
    assert result.err == ""


def test_dash_reads_stdin(cli) -> None:
    result = cli("-", "-f", "json", stdin=STORY)
    assert json.loads(result.out)["source"]["kind"] == "stdin"


def test_json_of_a_file_validates(cli, story: Path) -> None:
    result = cli(str(story), "-f", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    jsonschema.validate(data, schema())
    assert [c["level"] for c in data["claims"]] == ["confirmed", "possible"]
    assert data["source"]["name"] == str(story)


def test_several_sources_json_is_an_array_and_jsonl_a_line_each(cli, story: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("The bridge opened in 1932.", encoding="utf-8")
    as_json = json.loads(cli(str(story), str(other), "-f", "json").out)
    assert [d["source"]["name"] for d in as_json] == [str(story), str(other)]
    lines = cli(str(story), str(other), "-f", "jsonl").out.splitlines()
    assert [json.loads(line)["source"]["name"] for line in lines] == [str(story), str(other)]


def test_a_failing_source_does_not_stop_the_others(cli, story: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = cli(str(missing), str(story), "-f", "jsonl")
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err.splitlines()[0] == f"claimcheck: {missing}: no such file"
    assert "claimcheck: 2 sources: 1 read, 1 failed" in result.err  # the closing summary, on stderr
    assert [json.loads(line)["source"]["name"] for line in result.out.splitlines()] == [str(story)]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "nothing-here.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "no article text found"),
        (lambda d: _write(d / "blank.txt", b"  \n\n \t\n"), "no article text found"),
        (lambda d: _write(d / "junk.bin", bytes(range(256)) * 8), "binary data"),
        (lambda d: _write(d / "paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(cli, tmp_path: Path, make, message: str) -> None:
    result = cli(str(make(tmp_path)))
    assert result.code == ExitCode.INPUT_ERROR
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert message in result.err and "Traceback" not in result.err


def test_binary_junk_on_stdin(cli) -> None:
    result = cli(stdin=b"\x00\x01\x02\xff" * 500)
    assert result.code == ExitCode.INPUT_ERROR
    assert "stdin: looks like binary data" in result.err


def test_invalid_utf8_is_decoded_with_a_warning(cli) -> None:
    result = cli("-f", "json", stdin="The café opened in 1932.".encode("latin-1"))
    assert result.code == 0
    assert "warning" in result.err and "not valid UTF-8" in result.err
    assert json.loads(result.out)["claims"][0]["text"] == "The caf\ufffd opened in 1932."


@pytest.mark.parametrize("args", [["--format", "yaml"], ["--no-such-option"], ["--timeout", "soon"]])
def test_usage_errors_exit_2(cli, story: Path, args: list[str]) -> None:
    result = cli(str(story), *args)
    assert result.code == ExitCode.USAGE
    assert "Usage:" in result.err and "Traceback" not in result.err


def test_broken_user_rule_file_exits_1_naming_file_and_line(cli, story: Path, tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.toml", b'kind = "cues"\n[[cue]]\nid = "x"\nkind = "hedge"\nlevel = "possible"\npattern = "(oops"\nmatch = ["x"]\n')
    result = cli(str(story), "--rules", str(bad))
    assert result.code == ExitCode.INPUT_ERROR
    assert result.err.startswith(f"claimcheck: {bad}:3: rule 'x': bad pattern")


def test_user_rules_change_the_ledger(cli, tmp_path: Path) -> None:
    rule = _write(
        tmp_path / "desk.toml",
        b'kind = "cues"\n[[cue]]\nid = "per-sources"\nkind = "hedge"\nlevel = "unverified"\n'
        b"pattern = '\\bper\\s+sources\\b'\nmatch = [\"Off, per sources.\"]\n",
    )
    before = json.loads(cli("-f", "json", stdin="The deal is off, per sources.").out)
    after = json.loads(cli("-f", "json", "--rules", str(rule), stdin="The deal is off, per sources.").out)
    assert before["claims"][0]["level"] == "asserted"
    assert after["claims"][0]["level"] == "unverified"
    assert after["claims"][0]["cues"][0]["rule"] == "desk:per-sources"


def test_rules_command_lists_and_checks(cli, tmp_path: Path) -> None:
    result = cli("rules")
    assert result.code == 0
    assert "attribution:confirm-verb" in result.out and "every example passes" in result.out
    failing = _write(
        tmp_path / "desk.toml",
        b'kind = "cues"\n[[cue]]\nid = "odd"\nkind = "hedge"\nlevel = "possible"\npattern = "maybe"\nmatch = ["no hedge here"]\n',
    )
    result = cli("rules", "--rules", str(failing), "-q")
    assert result.code == ExitCode.INPUT_ERROR
    assert f"{failing}:3: rule 'odd' should match: 'no hedge here'" in result.err


def test_table_marks_cues_and_has_no_colour_when_piped(cli_process, story: Path) -> None:
    result = cli_process(str(story), env={"NO_COLOR": ""})
    assert "«Microsoft confirmed»" in result.out and "«may»" in result.out
    assert "\x1b[" not in result.out


def test_colour_can_be_forced(cli, story: Path) -> None:
    assert "\x1b[32m" in cli(str(story), "--color").out


def test_python_dash_m_help(cli_process) -> None:
    result = cli_process("check", "--help")
    assert result.code == 0 and "--format" in result.out


def test_every_documented_format_is_registered() -> None:
    assert set(FORMAT_NAMES) == set(RENDERERS)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_saved_page_in_windows_1252_is_read_by_its_meta_charset(cli, tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9 closes</title></head><body><article>'
        "<h1>Caf\xe9 closes</h1><p>The caf\xe9 \u201cLa Plaza\u201d closed on Friday after 40 years, its owner said.</p>"
        "</article></body></html>"
    ).encode("cp1252")
    path = _write(tmp_path / "saved-page", page)  # no .html: recognised by content
    data = json.loads(cli(str(path), "-f", "json").out)
    assert data["source"]["encoding"] == "cp1252"
    assert any("The café “La Plaza” closed on Friday" in c["text"] for c in data["claims"])
    assert [s["kind"] for s in data["sentences"]][0] == "heading"


def test_the_standin_article_has_a_claim_of_each_kind(cli, standin_text: str) -> None:
    # What the tests that cannot read the shared example lean on: each kind of claim it has.
    claims = json.loads(cli("-f", "json", stdin=standin_text).out)["claims"]
    levels = [c["level"] for c in claims]
    assert {"confirmed", "unverified", "likely", "unclear", "possible"} <= set(levels)
    gap = next(c for c in claims if c["level"] == "unverified")
    assert [cue["kind"] for cue in gap["cues"]] == ["evidence_gap"]
    (boosted,) = [c for c in claims if "unsupported_certainty" in c["flags"]]
    assert boosted["attribution"]["type"] == "author" and "booster" in [cue["kind"] for cue in boosted["cues"]]
