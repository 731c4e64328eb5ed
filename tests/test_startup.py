"""Start-up: what loading costs is deferred or generated ahead, never at the expense of results."""
from __future__ import annotations

import copy
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.analysis.prefilter import TriggerIndex, index_of
from claimcheck.errors import RuleError
from claimcheck.rulebook import build_rulebook, default_rule_files, load_rulebook, read_rule_files
from claimcheck.rulebook import generate, patterns, words
from claimcheck.rulebook.patterns import LazyPattern, compile_pattern
from claimcheck.rulebook.words import Trigger, trigger_of, triggers_of


def test_the_generated_pattern_data_is_up_to_date() -> None:
    calls = generate.shipped_calls()
    assert len(calls) > 100  # cue, kind and joint patterns, and the check-worthiness signals
    fresh = generate.build(calls)  # compiles every shipped pattern and reads its words now
    stale = f"{patterns.data_path()} is stale: run {generate.COMMAND}"
    assert json.loads(patterns.data_path().read_text(encoding="utf-8")) == fresh, stale
    assert generate.current_text() == generate.render(fresh), stale


def test_every_shipped_pattern_is_in_the_data_as_compiling_it_gives() -> None:
    for pattern, flags in generate.shipped_calls():
        compiled = re.compile(pattern, flags)
        lazy = compile_pattern(pattern, flags)
        assert isinstance(lazy, LazyPattern), pattern
        assert (lazy.flags, lazy.groups, dict(lazy.groupindex)) == (compiled.flags, compiled.groups, dict(compiled.groupindex))
        assert triggers_of([(pattern, compiled.flags)]) == [trigger_of(pattern, compiled.flags)]


def test_loading_the_shipped_rules_compiles_and_reads_no_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise AssertionError("a shipped pattern was read at load time")

    monkeypatch.setattr(words, "trigger_of", fail)
    files = read_rule_files(default_rule_files())  # not the cached load
    book, worth = files.book, files.worth
    found = [r.pattern for r in book.cues] + [r.pattern for r in book.kinds] + [s.pattern for s in worth.signals]
    found += [r.not_before for r in book.cues if r.not_before is not None]
    assert found and all(isinstance(p, LazyPattern) and "_compiled" not in p.__dict__ for p in found)
    assert any(t.leading for t in book.trigger_list) and any(t.words and not t.leading for t in book.trigger_list)
    monkeypatch.undo()
    assert list(book.trigger_list) == [trigger_of(r.pattern.pattern, r.pattern.flags) for r in book.cues]
    assert list(worth.trigger_list) == [trigger_of(s.pattern.pattern, s.pattern.flags) for s in worth.signals]


def test_a_shipped_pattern_is_compiled_at_first_use() -> None:
    source = load_rulebook().cues[0].pattern.pattern
    eager = re.compile(source, re.IGNORECASE)
    lazy = compile_pattern(source, re.IGNORECASE)
    assert isinstance(lazy, LazyPattern)
    assert (lazy.pattern, lazy.flags, lazy.groups, dict(lazy.groupindex)) == (
        eager.pattern, eager.flags, eager.groups, dict(eager.groupindex))
    assert "_compiled" not in lazy.__dict__  # answering those compiled nothing
    text = "Officials said it may close; an official told us it might not, and it may well."
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.sub("X", text) == eager.sub("X", text)
    assert lazy.match(text, 1) == eager.match(text, 1)
    assert lazy.compiled() is lazy.compiled() and lazy.search.__self__ is lazy.compiled()
    assert lazy == eager and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert pickle.loads(pickle.dumps(lazy)) == eager
    assert copy.deepcopy(lazy) is lazy


@pytest.mark.parametrize("flags", [re.IGNORECASE, 0])
def test_a_pattern_not_shipped_is_compiled_at_once(flags: int) -> None:
    compiled = compile_pattern(r"(?P<source>zebras?)\s+(?:said|told)", flags)
    assert type(compiled) is re.Pattern and compiled.flags == re.compile(compiled.pattern, flags).flags
    with pytest.raises(re.error):
        compile_pattern("(unclosed", flags)
    assert triggers_of([(compiled.pattern, compiled.flags)]) == [
        Trigger(frozenset({"zebra"}), frozenset({"zebra"}))]


def test_a_bad_user_rule_still_fails_at_load(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('kind = "cues"\n\n[[cue]]\nid = "zebra"\nkind = "hedge"\nlevel = "possible"\n'
                    'pattern = \'\\bzebras?\\b\'\nmatch = ["A zebra."]\n', encoding="utf-8")
    book = build_rulebook([*default_rule_files(), good])
    (rule,) = [r for r in book.cues if r.id == "zebra"]
    assert type(rule.pattern) is re.Pattern and book.trigger_list[-1] == trigger_of(rule.pattern.pattern, rule.pattern.flags)
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "cues"\n\n[[cue]]\nid = "broken"\nkind = "hedge"\nlevel = "possible"\n'
                   'pattern = \'(?:may\'\nmatch = ["It may."]\n', encoding="utf-8")
    with pytest.raises(RuleError, match=rf"^{re.escape(str(bad))}:4: rule 'broken': bad pattern pattern"):
        build_rulebook([*default_rule_files(), bad])


def test_a_missing_or_broken_data_file_only_means_more_work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    expected = build_rulebook(default_rule_files())
    for text in (None, "", "{", "[]", '{"format": 99}', '{"format": 1, "patterns": [], "words": 3}',
                 '{"format": 1, "patterns": {"x": 1}, "words": {"y": [[""], 2]}}'):
        where = tmp_path / "pattern-data.json"
        if text is None:
            where.unlink(missing_ok=True)
        else:
            where.write_text(text, encoding="utf-8")
        monkeypatch.setattr(patterns, "data_path", lambda: where)
        patterns.shipped_data.cache_clear()
        try:
            book = build_rulebook(default_rule_files())
        finally:
            monkeypatch.undo()
            patterns.shipped_data.cache_clear()
        assert not any(isinstance(r.pattern, LazyPattern) for r in book.cues)
        assert [(r.ref, r.pattern.pattern, r.pattern.flags) for r in book.cues] == [
            (r.ref, r.pattern.pattern, r.pattern.flags) for r in expected.cues]
        assert book.trigger_list == expected.trigger_list
        assert index_of(book) == index_of(expected)


def _by_prefix(owners: dict[str, set[int]], words) -> dict[str, frozenset[int]]:
    return {w: frozenset().union(*(r for o, r in owners.items() if w.startswith(o))) for w in words}


def test_each_word_triggers_the_rules_of_its_prefixes() -> None:
    words: list = [frozenset({"may", "mayor"}), frozenset({"ma"}), None, frozenset({"mayors", "said"}), frozenset({"m"})]
    index = TriggerIndex.build([Trigger(w, None) if w else None for w in words])
    owners: dict[str, set[int]] = {}
    for position, found in enumerate(words):
        for word in found or ():
            owners.setdefault(word, set()).add(position)
    assert index.rules_by_word == _by_prefix(owners, owners)
    assert index.always == frozenset({2})
    assert index.anchored == frozenset()
    assert index.candidates("The mayors said") == [0, 1, 2, 3, 4]


def test_the_shipped_index_is_unchanged() -> None:
    book = load_rulebook()
    found = [trigger_of(r.pattern.pattern, r.pattern.flags) for r in book.cues]
    owners: dict[str, set[int]] = {}
    starters: dict[str, set[int]] = {}
    for position, trigger in enumerate(found):
        for word in trigger.words or ():
            owners.setdefault(word, set()).add(position)
    for position, trigger in enumerate(found):
        if trigger.leading and all(len(w) > 1 or w in owners for w in trigger.leading):
            for word in trigger.leading:
                starters.setdefault(word, set()).add(position)
    words = set(owners) | set(starters)
    assert index_of(book).rules_by_word == _by_prefix(owners, words)
    anchored = {i for i, t in enumerate(found) if t.leading and all(len(w) > 1 or w in owners for w in t.leading)}
    openers = {i: frozenset(w for w in words if any(w.startswith(lead) for lead in found[i].leading)) for i in anchored}
    assert index_of(book).openers == openers
    assert index_of(book).anchored == anchored


def _python(code: str, stdin: str = "", *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_one_sentence_needs_neither_nltk_nor_the_process_pool() -> None:
    code = (
        "import sys\n"
        "from claimcheck.cli import run\n"
        "sys.argv = ['claimcheck', '-f', 'json']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('nltk', 'requests', 'concurrent.futures.process', 'multiprocessing')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input="The deal closed in May.\n", capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"][0]["level"] == "asserted"
    assert done.stderr.strip() == "[]"


def test_version_loads_no_rules() -> None:
    code = (
        "import sys\nfrom claimcheck.cli import run\nsys.argv = ['claimcheck', '--version']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('nltk', 'claimcheck.rulebook', 'claimcheck.batch') if m in sys.modules))\n"
    )
    lines = _python(code).splitlines()
    assert lines[-1] == "[]"


TEXT = "Mr. Smith arrived at 5 p.m. on Monday. He said the U.S. deal may close. It did not. Dr. J. A. Jones left."


@pytest.mark.parametrize("order", ["nltk-first", "nltk-after"])
def test_punkt_is_built_when_needed_and_nltk_stays_usable(order: str) -> None:
    code = (
        "import sys\n"
        + ("import nltk\n" if order == "nltk-first" else "")
        + "from claimcheck.analysis.segment import punkt_of, sentence_spans, shipped_rules\n"
        "print([TEXT[s:e] for s, e in sentence_spans(TEXT)])\n"
        + ("import nltk\n" if order == "nltk-after" else "")
        + "from nltk.tokenize.punkt import PunktSentenceTokenizer\n"
        "assert isinstance(punkt_of(shipped_rules()), PunktSentenceTokenizer)\n"
        "assert nltk.tokenize.punkt.PunktSentenceTokenizer is PunktSentenceTokenizer\n"
        "assert nltk.probability.FreqDist is not None\n"
        "print(PunktSentenceTokenizer().tokenize('It rained. Then it stopped.'))\n"
    ).replace("TEXT", repr(TEXT))
    lines = _python(code).splitlines()
    assert lines == [
        "['Mr. Smith arrived at 5 p.m. on Monday.', 'He said the U.S. deal may close.', 'It did not.', 'Dr. J. A. Jones left.']",
        "['It rained.', 'Then it stopped.']",
    ]


def test_results_are_the_same_without_the_generated_data(example_text: str) -> None:
    code = (
        "import sys\n"
        "from claimcheck.rulebook import patterns\n"
        "if sys.argv[1] == 'without':\n"
        "    patterns.shipped_data = lambda: {'patterns': {}, 'words': {}}\n"
        "from claimcheck.pipeline import analyze\n"
        "from claimcheck.output import RENDERERS, Style\n"
        "print(RENDERERS['json'].render([analyze(sys.stdin.read())], Style()))\n"
    )
    runs = [_python(code, example_text, arg) for arg in ("with", "without")]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])["claims"]


def test_a_run_writes_nothing_but_its_output(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    done = subprocess.run([sys.executable, "-m", "claimcheck", "-f", "json"], input="The deal closed in May.\n",
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"][0]["level"] == "asserted"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["home"]
