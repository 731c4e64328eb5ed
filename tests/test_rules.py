"""Rules are data: every example in every rule file holds, and broken files fail clearly."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck import analyze
from claimcheck.analysis.clauses import split_clauses
from claimcheck.errors import RuleError
from claimcheck.rulebook import default_rule_files, load_rulebook
from claimcheck.ruleset import build_ruleset, check_examples, load_ruleset


def test_every_rule_example_holds() -> None:
    assert check_examples(load_ruleset()) == []


def test_every_rule_has_a_must_match_example() -> None:
    book = load_ruleset()
    assert book.cues and book.kinds
    assert all(rule.match for rule in [*book.cues, *book.kinds])


def test_every_shipped_rule_file_carries_examples() -> None:
    for path in default_rule_files():
        text = path.read_text(encoding="utf-8")
        assert "match = " in text or "[[example]]" in text, path


@pytest.mark.parametrize("text, claims", load_rulebook().joints.examples)
def test_joint_examples(text: str, claims: tuple[str, ...]) -> None:
    joints = load_rulebook().joints
    assert [text[s:e] for s, e in split_clauses(text, joints)] == list(claims)


def _rule_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _defaults_plus(path: Path):
    return build_ruleset([path])


GOOD_RULE = '''kind = "cues"
[[cue]]
id = "per-sources"
kind = "hedge"
level = "unverified"
pattern = '\\bper\\s+sources\\b'
match = ["The deal is off, per sources."]
no_match = ["The deal is off."]
'''


def test_a_user_rule_takes_effect_without_code() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        book = _defaults_plus(_rule_file(Path(tmp), GOOD_RULE))
        (claim,) = analyze("The deal is off, per sources.", rules=book).claims
        assert claim.level == "unverified"
        assert claim.cues[0].rule == "mine:per-sources"


@pytest.mark.parametrize(
    "body, line, words",
    [
        ('kind = "cues"\n[[cue]]\nid = "x"\npattern = "(unclosed"\n', 3, "invalid TOML"),
        (GOOD_RULE.replace("'\\bper\\s+sources\\b'", "'(per'"), 3, "bad pattern"),
        (GOOD_RULE.replace('level = "unverified"', 'level = "sorta"'), 3, "level must be one of"),
        (GOOD_RULE.replace('kind = "hedge"', 'kind = "hedge"\nlevl = "x"'), 3, "unknown key 'levl'"),
        (GOOD_RULE.replace('match = ["The deal is off, per sources."]\n', ""), 3, "needs at least one 'match'"),
        (GOOD_RULE.replace("\\bper", "{NOPE}\\bper"), 3, "undefined fragment {NOPE}"),
        ('kind = "cows"\n', 1, "'kind' must be one of"),
    ],
)
def test_a_broken_rule_file_names_file_and_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    body = body.replace('pattern = "(unclosed"\n', 'pattern = "(unclosed\n')  # an unterminated string
    path = _rule_file(tmp_path, body)
    with pytest.raises(RuleError) as caught:
        _defaults_plus(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:"), message
    assert f"{path}:{line}:" in message or words.startswith("invalid"), message
    assert words in message


def test_a_failing_example_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD_RULE.replace('no_match = ["The deal is off."]', 'no_match = ["Off, per sources."]'))
    problems = check_examples(_defaults_plus(path))
    assert problems == [f"{path}:3: rule 'per-sources' should not match: 'Off, per sources.'"]


# Shipped patterns the load-time check (stricter since issue 14) refuses, listed to be reworked,
# not exempted for good: the shapes the check cannot prove linear though their repeats are
# bounded (names of at most seven words, short sources) or their runs short in practice. The
# real hangs it found are fixed (a \s* beside a \s* made possessive: worth:reported-speech took
# 45 s on 'He said' and 20,000 spaces; a name loop bounded), and a test in test_hostile_rules.py
# runs the analysis on long runs of spaces, dashes and capitalised words. A new rule must pass.
FLAGGED_SHIPPED = frozenset({
    "attribution:confirm-verb",
    "attribution:document-shows",
    "attribution:according-to-document",
    "attribution:anonymous-say",
    "attribution:anonymity-granted",
    "attribution:say-verb",
    "attribution:hedged-say",
    "attribution:claim-verb",
    "attribution:hint-verb",
    "attribution:believe-verb",
    "attribution:deny-verb",
    "attribution:saying-participle",
    "attribution:called-verdict",
    "attribution:own-account",
    "attribution:colon-quote",
    "attribution:verb-then-quote",
    "polarity:not-predicate",
    "unknowns:whether",
    "kinds:updated-line",
    "kinds:bare-date",
    "kinds:byline",
    "kinds:boilerplate",
})


def _shipped_patterns() -> list:
    book = load_ruleset()
    patterns = [(r.ref, r.pattern) for r in book.cues] + [(r.ref, r.pattern) for r in book.kinds]
    patterns += [(f"{r.ref}:not_before", r.not_before) for r in book.cues if r.not_before is not None]
    patterns += [(f"{r.ref}:not_after", r.not_after) for r in book.cues if r.not_after is not None]
    patterns += [(f"worth:{s.id}", s.pattern) for s in book.worth.signals]
    joints = book.joints
    patterns += [(f"joints:{k}", getattr(joints, k)) for k in ("clause_markers", "embedders", "no_split_before", "no_split_after")]
    return patterns


def test_no_shipped_pattern_can_backtrack_catastrophically() -> None:
    from claimcheck.rulebook.backtracking import problem

    flagged = {ref for ref, p in _shipped_patterns() if problem(p.pattern, p.flags)}
    # A new shipped pattern must pass; one on the list that now passes leaves the list.
    assert flagged == FLAGGED_SHIPPED


@pytest.mark.parametrize(
    "pattern",
    [r"(?:\w+\s?)+ said", r"(a+)+b", r"(?:\d*)*x", r"(?:[a-z]+,?)*;"],
)
def test_a_user_pattern_that_could_hang_is_refused_with_file_and_line(tmp_path: Path, pattern: str) -> None:
    path = _rule_file(tmp_path, GOOD_RULE.replace("'\\bper\\s+sources\\b'", f"'{pattern}'"))
    with pytest.raises(RuleError, match=rf"^{path}:3: rule 'per-sources': pattern pattern could hang on long text"):
        _defaults_plus(path)


@pytest.mark.parametrize("pattern", [r"(?:\w+\s+)+said", r"(?:\s+[A-Z]\w*)+", r"(?:\w++\s?)+ said", r"\b(?:may|might)\b"])
def test_safe_user_patterns_load(tmp_path: Path, pattern: str) -> None:
    path = _rule_file(tmp_path, GOOD_RULE.replace("'\\bper\\s+sources\\b'", f"'{pattern}'").replace(
        'match = ["The deal is off, per sources."]', 'match = ["x"]'))
    book = _defaults_plus(path)
    assert any(rule.id == "per-sources" for rule in book.cues)


@given(st.text(alphabet=" ,;'’-_abcXY19\n.", max_size=30))
def test_a_clause_needs_three_words_counted_as_a_word_list_would(text: str) -> None:
    import re

    from claimcheck.analysis.clauses import _three_words

    assert _three_words(text, 0, len(text)) == (len(re.findall(r"[\w’'-]+", text)) >= 3)


_PART_WORDS = ["he", "was", "it", "may", "rain", "but", "though", "not only", "apple", "walked", "they're", "banana"]


@given(st.lists(st.tuples(st.sampled_from(_PART_WORDS), st.sampled_from([" ", ", ", "; "])), min_size=1, max_size=25), st.data())
def test_a_part_of_a_sentence_is_a_clause_exactly_when_a_search_of_it_says_so(pieces, data) -> None:
    import re

    from claimcheck.analysis.clauses import _Parts, _three_words

    text = "".join(word + sep for word, sep in pieces)
    joints = load_rulebook().joints
    # Parts begin and end where words do not: at the start, the end, or after a space or comma.
    bounds = sorted({0, len(text), *(i + 1 for i, c in enumerate(text) if c in " ,;")})
    a = data.draw(st.sampled_from(bounds))
    b = data.draw(st.sampled_from([x for x in bounds if x >= a]))
    parts = _Parts(text, joints)
    searched = _three_words(text, a, b) and joints.clause_markers.search(text, a, b) is not None
    assert parts.is_clause(a, b) == searched
    assert parts.not_only(a, b) == (re.search(r"\bnot\s+(?:only|just|merely)\b", text[a:b], re.I) is not None)


KIND_RULE = '''kind = "kinds"
[[kind_rule]]
id = "desk-note"
sentence_kind = "boilerplate"
pattern = '^editor.s note\\b'
match = ["Editor's note: this story was updated."]
'''
JOINTS = '''kind = "joints"
[joints]
bare = ["but"]
[[example]]
text = "It rained but we went out anyway."
claims = ["It rained but we went out anyway."]
'''
SEGMENTATION = '''kind = "segmentation"
[abbreviations]
never_final = ["chmn"]
'''
WORTH = '''kind = "worth"
[worth]
bias = -1.0
[[signal]]
id = "ferry"
weight = 0.5
pattern = '\\bferry\\b'
match = ["The ferry sank."]
'''


def _broken(tmp_path: Path, body: str) -> tuple[Path, "object"]:
    from conftest import run_cli

    path = _rule_file(tmp_path, body)
    return path, run_cli("rules", "-q", "--rules", str(path))


def _assert_refused(path: Path, result, line: int, words: str) -> None:
    from claimcheck.errors import ExitCode

    assert result.code == ExitCode.INPUT_ERROR, result.err
    assert "Traceback" not in result.err
    assert result.err.startswith(f"claimcheck: {path}:{line}: "), result.err
    assert words in result.err, result.err


@pytest.mark.parametrize(
    "body, line, words",
    [
        (GOOD_RULE.replace('kind = "hedge"', 'kind = "hedge"\nlevl = "x"'), 3, "unknown key 'levl'"),
        (KIND_RULE + 'no_mach = ["Editor\'s desk."]\n', 3, "unknown key 'no_mach'"),
        (JOINTS.replace('bare = ["but"]', 'bare = ["but"]\nbaer = ["yet"]'), 4, "unknown key 'baer'"),
        (SEGMENTATION + 'never_finl = ["approx"]\n', 4, "unknown key 'never_finl'"),
        (SEGMENTATION.replace("[abbreviations]", "[abbreviation]"), 2, "unknown key 'abbreviation'"),
        (WORTH.replace("bias = -1.0", "bais = -1.0"), 3, "unknown key 'bais'"),
        (WORTH.replace("weight = 0.5", "wieght = 0.5"), 5, "unknown key 'wieght'"),
        (WORTH + '[[signals]]\nid = "x"\n', 9, "unknown key 'signals'"),
        (JOINTS + 'claim = "x"\n', 4, "unknown key 'claim'"),
    ],
    ids=["cue", "kind-rule", "joints", "segmentation-key", "segmentation-table", "worth-table", "worth-signal",
         "worth-top-level", "joints-example"],
)
def test_an_unknown_key_is_refused_in_every_kind_of_file(tmp_path: Path, body: str, line: int, words: str) -> None:
    path, result = _broken(tmp_path, body)
    _assert_refused(path, result, line, words)


@pytest.mark.parametrize(
    "body, line, words",
    [
        (GOOD_RULE.replace('level = "unverified"', 'level = "unverified"\npriority = "high"'), 3, "priority must be a whole number"),
        (GOOD_RULE.replace('level = "unverified"', 'level = "unverified"\npriority = [1]'), 3, "priority must be a whole number"),
        (GOOD_RULE.replace('level = "unverified"', 'level = "unverified"\nnot_after = 5'), 3, "'not_after' must be a string"),
        ('kind = "cues"\ncue = [1, 2]\n', 2, "entry 1 of [[cue]] must be a table"),
        (GOOD_RULE.replace('kind = "cues"\n', "kind = \"cues\"\nfragments = 'x'\n"), 2, "'fragments' must be a table"),
        (GOOD_RULE.replace('match = ["The deal is off, per sources."]', "match = 3"), 3, "'match' must be a list of strings"),
        (GOOD_RULE.replace('kind = "hedge"', "kind = ['hedge']"), 3, "kind must be one of"),
        (KIND_RULE.replace('sentence_kind = "boilerplate"', "sentence_kind = 7"), 3, "sentence_kind must be one of"),
        (JOINTS.replace('bare = ["but"]', "bare = 'but'\nembedders = 3"), 2, "'embedders' must be a string"),
        (SEGMENTATION.replace('["chmn"]', '"chmn"'), 2, "'never_final' must be a list of non-empty strings"),
        (SEGMENTATION + "[time_rule]\nopening_max_words = 'four'\n", 4, "'opening_max_words' must be a whole number"),
        (WORTH.replace("bias = -1.0", "bias = 'low'"), 2, "'bias' must be a number"),
        (WORTH.replace("weight = 0.5", "weight = '0.5'"), 5, "'weight' must be a number"),
        (WORTH.replace("weight = 0.5", "weight = 0.5\ncap = 0"), 5, "'cap' must be a whole number of at least 1"),
        (WORTH + '[[combo]]\nid = "c"\nweight = 1\nall = ["ferry", "nope"]\n', 10, "'all' names 'nope'"),
    ],
    ids=["priority-string", "priority-list", "not_after-number", "cue-not-tables", "fragments-string", "match-number",
         "kind-list", "sentence_kind-number", "joints-pattern-number", "segmentation-words-string",
         "segmentation-number-string", "worth-bias-string", "signal-weight-string", "signal-cap-zero", "combo-unknown-signal"],
)
def test_a_value_of_the_wrong_type_is_refused_with_file_and_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    path, result = _broken(tmp_path, body)
    _assert_refused(path, result, line, words)


def test_a_broken_rule_file_stops_a_check_with_exit_code_1_and_no_traceback(cli, tmp_path: Path) -> None:
    path = _rule_file(tmp_path, GOOD_RULE.replace('level = "unverified"', 'level = "unverified"\npriority = "high"'))
    result = cli("-f", "json", "--rules", str(path), stdin="The deal is off, per sources.")
    _assert_refused(path, result, 3, "priority must be a whole number, not 'high'")
    assert result.out == ""


def test_rules_command_reports_failing_worth_segmentation_and_joints_examples(cli, tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    shipped = load_ruleset()
    (ours / "worth.toml").write_text(
        WORTH + 'no_match = ["The ferry left."]\n'
        '[[combo]]\nid = "ferry-count"\nweight = 0.1\nall = ["ferry", "number"]\nmatch = ["The ferry sank."]\n',
        encoding="utf-8",
    )
    (ours / "seg.toml").write_text(
        SEGMENTATION + '[[example]]\ntext = "He met the Chmn. He left."\nsentences = ["He met the Chmn.", "He left."]\n',
        encoding="utf-8",
    )
    joints = Path(shipped.files[0]).with_name("joints.toml").read_text(encoding="utf-8")
    (ours / "joints.toml").write_text(
        joints + '\n[[example]]\ntext = "Sales rose in May, but profits fell sharply."\nclaims = ["Sales rose in May, but profits fell sharply."]\n',
        encoding="utf-8",
    )
    joints_line = len(joints.splitlines()) + 2
    result = cli("rules", "-q", "--rules", str(ours))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    problems = [line.removeprefix("claimcheck: ") for line in result.err.splitlines()[:-1]]
    assert problems == [
        f"{ours / 'worth.toml'}:5: signal 'ferry' should not match: 'The ferry left.'",
        f"{ours / 'worth.toml'}:11: combo 'ferry-count' should match: 'The ferry sank.'",
        f"{ours / 'seg.toml'}:4: example 'He met the Chmn. He left.'... splits as ['He met the Chmn. He left.'], "
        "not ['He met the Chmn.', 'He left.']",
        f"{ours / 'joints.toml'}:{joints_line}: joints example 'Sales rose in May, but profits fell sharply.'... splits as "
        "['Sales rose in May', 'but profits fell sharply.'], not ['Sales rose in May, but profits fell sharply.']",
    ]
    summary = result.err.splitlines()[-1]
    assert summary == (
        f"{len(shipped.cues) + len(shipped.kinds)} rules, {len(shipped.worth.signals) + 1} worth signals, "
        f"{len(shipped.worth.combos) + 1} worth combos, {len(shipped.joints.examples) + 1} joints examples, "
        f"{len(shipped.segmentation.examples) + 1} segmentation examples in {len(shipped.files) + 3} files: "
        "4 example(s) failed"
    )


def test_the_rules_command_counts_a_user_file_of_every_kind(cli, tmp_path: Path) -> None:
    (tmp_path / "worth.toml").write_text(WORTH, encoding="utf-8")
    result = cli("rules", "-q", "--rules", str(tmp_path / "worth.toml"))
    assert result.code == 0, result.err
    shipped = load_ruleset()
    assert f"{len(shipped.worth.signals) + 1} worth signals" in result.err
    assert f"in {len(shipped.files) + 1} files: every example passes" in result.err


def test_a_ruleset_carries_every_kind_into_analyze(tmp_path: Path) -> None:
    text = "The report went to the Chmn. He read it first."
    seg, worth = tmp_path / "seg.toml", tmp_path / "worth.toml"
    seg.write_text(SEGMENTATION, encoding="utf-8")
    worth.write_text('kind = "worth"\n[worth]\nbias = 99\n', encoding="utf-8")
    before = analyze(text)
    after = analyze(text, rules=build_ruleset([seg, worth]))
    assert [s.text for s in before.sentences] == ["The report went to the Chmn.", "He read it first."]
    assert [s.text for s in after.sentences] == [text]
    assert max(c.check_worthiness for c in before.claims) < 1.0
    assert [c.check_worthiness for c in after.claims] == [1.0]
