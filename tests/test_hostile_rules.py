"""Hostile rule files: each fails at load with one `claimcheck: FILE:LINE: ...` line and exit
code 1 (or loads, when it is merely odd), quickly, never with a traceback or a hang."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.errors import ExitCode


def _cue(pattern: str, extra: str = "", match: str = '["x"]') -> str:
    return (
        'kind = "cues"\n[[cue]]\nid = "r"\nkind = "hedge"\nlevel = "unverified"\n'
        f"{extra}pattern = '{pattern}'\nmatch = {match}\n"
    )


def _doubling(times: int) -> str:
    lines = ['kind = "cues"', "[fragments]", 'A0 = "ab"']
    lines += [f'A{i} = "{{A{i - 1}}}{{A{i - 1}}}"' for i in range(1, times + 1)]
    lines += ["[[cue]]", 'id = "r"', 'kind = "hedge"', 'level = "unverified"', f'pattern = "{{A{times}}}"', 'match = ["ab"]']
    return "\n".join(lines) + "\n"


def _run(tmp_path: Path, body: "str | bytes"):
    from conftest import run_cli

    path = tmp_path / "hostile.toml"
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    return path, run_cli("rules", "-q", "--rules", str(path))


REFUSED = [
    # item 1: shapes whose matching time grows faster than the text
    ("overlapping-alternatives", _cue("(a|a)*$"), 3, "could hang on long text: a repeated group holds alternatives"),
    ("prefix-alternatives", _cue("(?:a|ab)*c"), 3, "could hang on long text: a repeated group holds alternatives"),
    ("nested-bounded-repeats", _cue("(a{1,19}){1,19}$"), 3, "could hang on long text: a repeated group starts or ends"),
    ("dot-star-chain", _cue(".*a.*b.*c.*d$"), 3, "could hang on long text: two repeats in a row"),
    ("word-star-chain", _cue(r"\w*x\w*y\w*z$"), 3, "could hang on long text: two repeats in a row"),
    ("lookahead-in-a-repeat", _cue(r"(?:(?=.*x)a)+"), 3, "could hang on long text: a repeated group holds a lookahead"),
    # item 2: values of the wrong type, and nesting that ran out of stack
    ("priority-string", _cue("x", 'priority = "high"\n'), 3, "priority must be a whole number"),
    ("priority-inf", _cue("x", "priority = inf\n"), 3, "priority must be a whole number, not inf"),
    ("priority-nan", _cue("x", "priority = nan\n"), 3, "priority must be a whole number, not nan"),
    ("priority-list", _cue("x", "priority = [1]\n"), 3, "priority must be a whole number"),
    ("strength-nan", _cue("x", "strength = nan\n"), 3, "strength must be a number from -1"),
    ("not_after-number", _cue("x", "not_after = 5\n"), 3, "'not_after' must be a string"),
    ("cue-not-tables", 'kind = "cues"\ncue = [1, 2]\n', 2, "entry 1 of [[cue]] must be a table"),
    ("fragments-string", "kind = \"cues\"\nfragments = 'x'\n", 2, "'fragments' must be a table"),
    ("pattern-5000-deep", _cue("(" * 5000 + "x" + ")" * 5000), 3, "pattern nests groups more than 100 deep"),
    ("toml-arrays-60000-deep", 'kind = "cues"\nx = ' + "[" * 60000 + "]" * 60000 + "\n", 2, "nested too deeply"),
    ("toml-tables-60000-deep", 'kind = "cues"\nx = ' + "{a=" * 60000 + "1" + "}" * 60000 + "\n", 2, "nested too deeply"),
    # item 3: fragments doubling each other
    ("fragments-doubling-30", _doubling(30), 17, "fragment A14 expands to more than 100,000 characters"),
    # item 4: the campaign
    ("bom-and-junk", b"\xef\xbb\xbf\xef\xbb\xbfkind = 'cues'\n", 1, "invalid TOML"),
    ("utf-16", _cue("x").encode("utf-16"), 1, "not UTF-8"),
    ("latin-1", _cue("caf\xe9").encode("latin-1"), 1, "not UTF-8"),
    ("nul-byte", b'kind = "cues"\n\x00\n', 2, "invalid TOML"),
    ("duplicate-key", _cue("x", 'level = "likely"\n'), 6, "invalid TOML"),
    ("duplicate-id", _cue("x") + '[[cue]]\nid = "r"\nkind = "hedge"\nlevel = "likely"\npattern = "y"\nmatch = ["y"]\n', 9,
     "rule id 'r' is used twice"),
    ("empty-file", "", 1, "'kind' must be one of"),
    ("kind-number", "kind = 5\n", 1, "'kind' must be one of"),
    ("empty-id", _cue("x").replace('id = "r"', 'id = ""'), 2, "has no id"),
    ("strength-huge", _cue("x", "strength = 1e400\n"), 3, "strength must be a number from -1"),
    ("empty-pattern", _cue(""), 3, "pattern matches the empty string"),
    ("optional-pattern", _cue("x?"), 3, "pattern matches the empty string"),
    ("lookbehind-variable-width", _cue("(?<=a+)b"), 3, "bad pattern pattern: look-behind requires fixed-width"),
    ("unknown-escape", _cue(r"\q"), 3, r"bad pattern pattern: bad escape \q"),
    ("global-flag-midway", _cue("x(?i)y"), 3, "bad pattern pattern: global flags not at the start"),
    ("repeat-count-too-large", _cue("a{4294967296}"), 3, "bad pattern pattern"),
    ("unknown-character-name", _cue(r"\N{NO SUCH THING}"), 3, "bad pattern pattern"),
    ("pattern-a-date", _cue("x").replace("pattern = 'x'", "pattern = 1979-05-27"), 3, "needs a 'pattern' string"),
    ("fragment-lowercase", 'kind = "cues"\n[fragments]\nname = "x"\n', 3, "fragment names are UPPER_CASE"),
    ("fragment-loop", 'kind = "cues"\n[fragments]\nA = "{B}"\nB = "{A}"\n', 3, "fragment A refers to itself"),
    ("fragment-undefined", 'kind = "cues"\n[fragments]\nA = "{NOPE}"\n', 3, "fragment A uses undefined fragment NOPE"),
    ("attribution-without-source", _cue("x", 'attribution = "named"\n'), 3, "needs a (?P<source>...) group"),
    ("file-of-3-mb", _cue("x") + "# " + "x" * 3_000_000 + "\n", 1, "rule file too large: more than 2,000,000 bytes"),
]


@pytest.mark.parametrize("body, line, words", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_hostile_rule_file_is_refused_with_file_and_line(tmp_path: Path, body, line: int, words: str) -> None:
    path, result = _run(tmp_path, body)
    assert result.code == ExitCode.INPUT_ERROR, result.err
    assert "Traceback" not in result.err
    assert result.err.startswith(f"claimcheck: {path}:{line}: "), result.err
    assert words in result.err, result.err
    assert result.err.count("\n") == 1, result.err


LOADED = [
    ("priority-huge", _cue("x", "priority = 100000000000000000000\n")),
    ("id-of-10000-characters", _cue("x").replace('id = "r"', f'id = "{"r" * 10000}"')),
    ("match-example-of-1-mb", _cue(r"\bneedle\b", match='["' + "hay " * 250_000 + 'needle"]')),
    ("a-bom", b"\xef\xbb\xbf" + _cue("x").encode()),
    ("shipped-fragment-in-a-user-rule", _cue(r"(?P<source>{SOURCE})\s+said\b", 'attribution = "named"\n',
                                             match='["The mayor said so."]')),
]


@pytest.mark.parametrize("body", [case[1] for case in LOADED], ids=[case[0] for case in LOADED])
def test_an_odd_but_sound_rule_file_loads(tmp_path: Path, body) -> None:
    path, result = _run(tmp_path, body)
    assert "Traceback" not in result.err
    assert result.code == ExitCode.OK, result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_among_the_rule_files_is_refused_not_waited_on(tmp_path: Path) -> None:
    from conftest import run_cli

    os.mkfifo(tmp_path / "pipe.toml")
    result = run_cli("rules", "-q", "--rules", str(tmp_path))
    assert result.code == ExitCode.INPUT_ERROR, result.err
    assert result.err.startswith(f"claimcheck: {tmp_path / 'pipe.toml'}: not a regular file"), result.err


@pytest.mark.parametrize(
    "text",
    [
        "He said" + " " * 20000 + "! It is so.",  # \s*,?\s* in a shipped signal: 45 s before
        "-" * 20000 + " x.",  # a dash is both a word character and not one to two repeats
        "Abc " * 3000 + "x, saying it.",  # a run of capitalised words split between two names
        "Abc " * 3000 + "said the plan works.",
        "Updated" + " " * 20000 + "x",
    ],
    ids=["spaces-after-said", "dashes", "names-then-saying", "names-then-said", "spaces-after-updated"],
)
def test_the_shipped_rules_read_long_runs_of_one_thing_in_linear_time(text: str) -> None:
    # A hang test, not a speed test: each took from 8 s to minutes before; now well under a second.
    done = subprocess.run(
        [sys.executable, "-m", "claimcheck", "-f", "json"], input=text.encode(), capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr


def test_a_run_on_sentence_of_quoted_clauses_is_read_in_linear_time() -> None:
    # Each claim once re-read the quotation marks of its whole sentence: 6,000 quoted clauses
    # joined by "but" took over a minute; now a second or two.
    text = " ".join('"he said it may rain" but she thinks it will not' for _ in range(6000))
    done = subprocess.run(
        [sys.executable, "-m", "claimcheck", "-f", "jsonl"], input=text.encode(), capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
