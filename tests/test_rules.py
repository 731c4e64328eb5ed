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


def test_no_shipped_pattern_can_backtrack_catastrophically() -> None:
    from claimcheck.rulebook.backtracking import problem
    book = load_ruleset()
    patterns = [(r.ref, r.pattern) for r in book.cues] + [(r.ref, r.pattern) for r in book.kinds]
    patterns += [(f"{r.ref}:not_before", r.not_before) for r in book.cues if r.not_before is not None]
    patterns += [(f"{r.ref}:not_after", r.not_after) for r in book.cues if r.not_after is not None]
    patterns += [(f"worth:{s.id}", s.pattern) for s in book.worth.signals]
    assert [(ref, problem(p.pattern, p.flags)) for ref, p in patterns if problem(p.pattern, p.flags)] == []


@pytest.mark.parametrize(
    "pattern",
    [r"(?:\w+\s?)+ said", r"(a+)+b", r"(?:\d*)*x", r"(?:[a-z]+,?)*;"],
)
def test_a_user_pattern_that_could_hang_is_refused_with_file_and_line(tmp_path: Path, pattern: str) -> None:
    path = _rule_file(tmp_path, GOOD_RULE.replace("'\\bper\\s+sources\\b'", f"'{pattern}'"))
    with pytest.raises(RuleError, match=rf"^{path}:3: rule 'per-sources': pattern pattern could hang on long text"):
        _defaults_plus(path)


@pytest.mark.parametrize("pattern", [r"(?:\w+\s+)+said", r"(?:\s+[A-Z]\w*)*", r"(?:\w++\s?)+ said", r"\b(?:may|might)\b"])
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
