"""Start-up: what loading costs is deferred or remembered, never at the expense of results."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.rulebook import patterns as rulecache, words as triggers
from claimcheck.rulebook import load_rulebook
from claimcheck.analysis.prefilter import TriggerIndex, index_of
from claimcheck.rulebook.words import Trigger, trigger_of, triggers_of
from claimcheck.analysis.worth import load_worth


def _shipped_patterns() -> list[tuple[str, int]]:
    book = load_rulebook()
    patterns = [(r.pattern.pattern, r.pattern.flags) for r in book.cues]
    return patterns + [(s.pattern.pattern, s.pattern.flags) for s in load_worth().signals]


def _entries(directory: Path, prefix: str = "required-words-") -> list[Path]:
    return sorted(directory.glob(f"{prefix}*.json"))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(directory))
    return directory


def test_cached_words_equal_the_words_read_from_the_patterns(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = _shipped_patterns()
    expected = [trigger_of(p, f) for p, f in patterns]
    assert any(t.leading for t in expected) and any(t.words and not t.leading for t in expected)
    for entry in _entries(cache_dir):
        entry.unlink()
    assert triggers_of(patterns) == expected  # a miss: read, then written
    assert len(_entries(cache_dir)) == 1

    def fail(*_args: object) -> None:
        raise AssertionError("a hit must not read the patterns again")

    monkeypatch.setattr(triggers, "required_words", fail)
    monkeypatch.setattr(triggers, "leading_words", fail)
    assert triggers_of(patterns) == expected  # a hit


def test_another_pattern_or_flag_is_another_entry(cache_dir: Path) -> None:
    triggers_of([(r"\bmay\b", 2)])
    might = Trigger(frozenset({"might"}), frozenset({"might"}))
    assert triggers_of([(r"\bmight\b", 2)]) == [might]
    assert triggers_of([(r"\bmight\b", 0)]) == [might]
    assert len(_entries(cache_dir)) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text[: len(text) // 2],
        lambda text: "\x00\xff garbage",
        lambda text: "[]",
        lambda text: json.dumps(dict(json.loads(text), data=[["zzz"]] * len(json.loads(text)["data"]))),
        lambda text: json.dumps(dict(json.loads(text), data=[None] * len(json.loads(text)["data"]))),
        lambda text: json.dumps(dict(json.loads(text), data=[[""]] * 3, check=rulecache.digest([[""]] * 3))),
        lambda text: json.dumps(dict(json.loads(text), data=[None], check=rulecache.digest([None]))),
        lambda text: json.dumps(dict(json.loads(text), format=99)),
        lambda text: json.dumps(dict(json.loads(text), key="0" * 64)),
    ],
)
def test_a_broken_or_tampered_entry_is_a_miss(cache_dir: Path, damage) -> None:
    patterns = [(r"\b(?:may|might)\b", 2), (r"\w+", 2), (r"(?P<source>officials?) said", 2)]
    expected = [trigger_of(p, f) for p, f in patterns]
    triggers_of(patterns)
    (entry,) = _entries(cache_dir)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8", errors="surrogateescape")
    assert triggers_of(patterns) == expected
    assert triggers_of(patterns) == expected  # rewritten, and right again


def test_no_cache_when_the_directory_cannot_be_made_or_is_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    patterns = [(r"\b(?:may|might)\b", 2)]
    expected = [trigger_of(*patterns[0])]
    # The parser takes the common "m" out first; the words put it back.
    assert expected == [Trigger(frozenset({"may", "might"}), frozenset({"may", "might"}))]
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(blocker / "cache"))
    assert triggers_of(patterns) == expected
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", "")
    assert rulecache.cache_dir() is None
    assert triggers_of(patterns) == expected


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_a_read_only_cache_directory_is_skipped(cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        assert triggers_of([(r"\bmay\b", 2)]) == [Trigger(frozenset({"may"}), frozenset({"may"}))]
        assert _entries(cache_dir) == []
    finally:
        cache_dir.chmod(0o700)


def test_old_entries_are_pruned(cache_dir: Path) -> None:
    for number in range(rulecache._KEEP_FILES + 5):
        triggers_of([(rf"\bword{number}\b", 2)])
    assert len(_entries(cache_dir)) == rulecache._KEEP_FILES
    assert not list(cache_dir.glob(".tmp-*"))


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLAIMCHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert rulecache.cache_dir() == str(tmp_path / "claimcheck")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/allowed")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rulecache.cache_dir() == str(tmp_path / "home" / ".cache" / "claimcheck")


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


def _python(code: str, env_extra: dict | None = None, stdin: str = "") -> str:
    env = dict(os.environ, **(env_extra or {}))
    done = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_one_sentence_needs_neither_nltk_nor_the_process_pool(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from claimcheck.cli import run\n"
        "sys.argv = ['claimcheck', '-f', 'json']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('nltk', 'requests', 'concurrent.futures.process', 'multiprocessing')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    env = dict(os.environ, CLAIMCHECK_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], input="The deal closed in May.\n", capture_output=True,
                          text=True, env=env, timeout=120)
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


def test_results_are_the_same_with_and_without_the_cache(tmp_path: Path, example_text: str) -> None:
    code = (
        "import sys, json\n"
        "from claimcheck.pipeline import analyze\n"
        "from claimcheck.output import RENDERERS, Style\n"
        "text = sys.stdin.read()\n"
        "print(RENDERERS['json'].render([analyze(text)], Style()))\n"
    )
    off = _python(code, {"CLAIMCHECK_CACHE_DIR": ""}, example_text)
    cold = _python(code, {"CLAIMCHECK_CACHE_DIR": str(tmp_path)}, example_text)
    assert len(_entries(tmp_path)) == 2  # the cue rules and the check-worthiness signals
    warm = _python(code, {"CLAIMCHECK_CACHE_DIR": str(tmp_path)}, example_text)
    assert off == cold == warm
    assert json.loads(off)["claims"]


@pytest.fixture
def fresh_patterns(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, and no pattern known in this process yet."""
    monkeypatch.setattr(rulecache, "_known", None)
    monkeypatch.setattr(rulecache, "_learned", {})
    monkeypatch.setattr(rulecache, "_codes", None)
    monkeypatch.setattr(rulecache, "_learned_codes", {})
    monkeypatch.setattr(rulecache, "_requested", set(), raising=False)
    return cache_dir


def _signed(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _as_in_a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rulecache, "_known", None)
    monkeypatch.setattr(rulecache, "_codes", None)
    monkeypatch.setattr(rulecache, "_requested", set(), raising=False)


def test_kept_engine_code_compiles_every_shipped_pattern_as_re_does(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    patterns = _shipped_patterns()
    for pattern, flags in patterns:
        rulecache.compile_pattern(pattern, flags)
    rulecache.save_patterns()
    assert len(list(fresh_patterns.glob("code-*.bin"))) == 1
    _as_in_a_new_process(monkeypatch)

    def fail(*_args: object) -> None:
        raise AssertionError("kept code must not be compiled again")

    monkeypatch.setattr(re, "compile", fail)
    lazy = [rulecache.compile_pattern(pattern, flags) for pattern, flags in patterns]
    compiled = [p.compiled() for p in lazy]
    monkeypatch.undo()
    # Patterns compare equal when pattern, flags and engine code are all the same.
    assert compiled == [re.compile(pattern, flags) for pattern, flags in patterns]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[:-10],  # cut short
        lambda data: data[:70] + bytes([data[70] ^ 1]) + data[71:],  # one bit flipped
        lambda data: hashlib.sha256(b"junk").hexdigest().encode() + b"\n" + b"junk",
        lambda data: _signed(b'{"x": 1}\n'),  # a checksum that fits, around entries that do not
        lambda data: _signed(b'{"x": [2, 0, {}, [null], 0, 99]}\n\x01\x00\x00\x00'),
        lambda data: _signed(b"[1, 2]\n"),
    ],
)
def test_broken_kept_code_is_compiled_again(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch, damage) -> None:
    import re

    source = r"(?P<source>officials?)\s+(?:said|told)"
    rulecache.compile_pattern(source, re.IGNORECASE)
    rulecache.save_patterns()
    (blob,) = fresh_patterns.glob("code-*.bin")
    blob.write_bytes(damage(blob.read_bytes()))
    _as_in_a_new_process(monkeypatch)
    lazy = rulecache.compile_pattern(source, re.IGNORECASE)
    assert lazy.compiled() == re.compile(source, re.IGNORECASE)


def test_code_the_engine_rejects_is_compiled_again(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    source = r"\b(?:may|might)\b"
    rulecache.compile_pattern(source, re.IGNORECASE)
    rulecache.save_patterns()
    (blob,) = fresh_patterns.glob("code-*.bin")
    data = blob.read_bytes()[65:]
    header, _, body = data.partition(b"\n")
    body = (999999).to_bytes(4, sys.byteorder) + body[4:]  # no such opcode, checksum made to match
    blob.write_bytes(_signed(header + b"\n" + body))
    _as_in_a_new_process(monkeypatch)
    lazy = rulecache.compile_pattern(source, re.IGNORECASE)
    assert lazy.compiled() == re.compile(source, re.IGNORECASE)


def test_a_pattern_compiled_before_is_compiled_at_first_use(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import copy
    import pickle
    import re

    source = r"(?P<source>officials?)\s+(?:said|told)"
    eager = rulecache.compile_pattern(source, re.IGNORECASE)
    assert type(eager) is re.Pattern  # not seen before: compiled at once
    rulecache.save_patterns()
    assert len(_entries(fresh_patterns, "patterns-")) == 1
    monkeypatch.setattr(rulecache, "_known", None)  # as in a new process
    lazy = rulecache.compile_pattern(source, re.IGNORECASE)
    assert isinstance(lazy, rulecache.LazyPattern)
    assert "_compiled" not in lazy.__dict__
    assert (lazy.pattern, lazy.flags, lazy.groups, dict(lazy.groupindex)) == (
        eager.pattern, eager.flags, eager.groups, dict(eager.groupindex))
    assert "_compiled" not in lazy.__dict__  # answering those compiled nothing
    text = "Officials said it; an official told us."
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.search(text).group("source") == "Officials"
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.sub("X", text) == eager.sub("X", text)
    assert lazy.match(text, 24) is None and lazy.fullmatch("official told").span() == (0, 13)
    assert lazy.compiled() is lazy.compiled() and lazy.search.__self__ is lazy.compiled()
    assert lazy == eager and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert pickle.loads(pickle.dumps(lazy)) == eager
    assert copy.deepcopy(lazy) is lazy


def test_a_bad_pattern_is_never_remembered(fresh_patterns: Path) -> None:
    import re

    for _ in range(2):
        with pytest.raises(re.error):
            rulecache.compile_pattern("(unclosed", re.IGNORECASE)
        rulecache.save_patterns()
    assert _entries(fresh_patterns, "patterns-") == []


def test_a_broken_pattern_store_is_ignored(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    rulecache.compile_pattern(r"\bmay\b", re.IGNORECASE)
    rulecache.save_patterns()
    (entry,) = _entries(fresh_patterns, "patterns-")
    for damage in ("{", json.dumps({"format": 1}), entry.read_text().replace('"data":{', '"data":{"x":[1],', 1)):
        entry.write_text(damage)
        monkeypatch.setattr(rulecache, "_known", None)
        assert type(rulecache.compile_pattern(r"\bmay\b", re.IGNORECASE)) is re.Pattern


def test_shipped_rules_load_lazily_and_a_bad_user_rule_still_fails_at_load(fresh_patterns: Path, tmp_path: Path) -> None:
    from claimcheck.errors import RuleError
    from claimcheck.rulebook import build_rulebook, default_rule_files

    cold = build_rulebook(default_rule_files())
    warm = build_rulebook(default_rule_files())
    assert any(isinstance(rule.pattern, rulecache.LazyPattern) for rule in warm.cues)
    assert [(r.ref, r.pattern.pattern, r.pattern.flags) for r in warm.cues] == [
        (r.ref, r.pattern.pattern, r.pattern.flags) for r in cold.cues]
    assert index_of(warm) == index_of(cold)
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "cues"\n\n[[cue]]\nid = "broken"\nkind = "hedge"\nlevel = "possible"\n'
                   'pattern = \'(?:may\'\nmatch = ["It may."]\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError, match=rf"^{bad}:4: rule 'broken': bad pattern pattern"):
            build_rulebook([*default_rule_files(), bad])


def test_code_lost_from_the_cache_is_kept_again_after_first_use(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    source = r"\b(?:may|might)\b"
    rulecache.compile_pattern(source, re.IGNORECASE)
    rulecache.save_patterns()
    (blob,) = fresh_patterns.glob("code-*.bin")
    blob.unlink()
    _as_in_a_new_process(monkeypatch)
    first = rulecache.compile_pattern(source, re.IGNORECASE)
    assert first.compiled() == re.compile(source, re.IGNORECASE)  # compiled from the pattern
    rulecache.keep_learned_codes()  # what the process does at exit
    assert len(list(fresh_patterns.glob("code-*.bin"))) == 1
    _as_in_a_new_process(monkeypatch)
    monkeypatch.setattr(re, "compile", lambda *_args: pytest.fail("kept code must be used"))
    again = rulecache.compile_pattern(source, re.IGNORECASE)
    assert again.compiled().pattern == source


def test_kept_code_is_that_of_the_patterns_the_last_saving_run_asked_for(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import re

    def kept() -> set[str]:
        (blob,) = fresh_patterns.glob("code-*.bin")
        lines = blob.read_bytes().split(b"\n", 2)
        return set(json.loads(lines[1]))

    old, new, fresh = r"\b(?:may|might)\s+well\b", r"\b(?:may|might)\b", r"\blikely\b"
    rulecache.compile_pattern(old, re.IGNORECASE)
    rulecache.compile_pattern(new, re.IGNORECASE)
    rulecache.save_patterns()
    assert len(kept()) == 2
    # A later run whose rules no longer hold the old pattern (an edited or upgraded rule file):
    _as_in_a_new_process(monkeypatch)
    rulecache.compile_pattern(new, re.IGNORECASE)
    rulecache.compile_pattern(fresh, re.IGNORECASE)
    rulecache.save_patterns()
    assert kept() == {rulecache._pattern_digest(p, re.IGNORECASE) for p in (new, fresh)}


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and modes")
def test_engine_code_is_not_taken_from_a_directory_others_can_write(fresh_patterns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    source = r"\b(?:may|might)\b"
    rulecache.compile_pattern(source, re.IGNORECASE)
    rulecache.save_patterns()
    assert rulecache._load_codes()  # kept, in the user's own directory
    fresh_patterns.chmod(0o777)
    try:
        assert rulecache._load_codes() == {}  # anyone could have written it: not used
        _as_in_a_new_process(monkeypatch)
        assert rulecache.compile_pattern(source, re.IGNORECASE).compiled() == re.compile(source, re.IGNORECASE)
    finally:
        fresh_patterns.chmod(0o700)


def test_learning_engine_code_in_one_thread_while_another_saves(fresh_patterns: Path) -> None:
    import re
    import threading

    errors: list[BaseException] = []
    stop = threading.Event()

    def compile_many() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            rulecache.compile_pattern(rf"\bword{number}\b", re.IGNORECASE)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race
    worker = threading.Thread(target=compile_many)
    worker.start()
    try:
        for _ in range(20):
            while len(rulecache._learned_codes) < 400:
                stop.wait(0.001)
            try:
                rulecache.save_patterns()
                rulecache.keep_learned_codes()
            except BaseException as exc:  # the race shows as RuntimeError: dict changed size
                errors.append(exc)
                break
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(rulecache._learned_codes) < 10_000  # what is saved or unwanted is let go
