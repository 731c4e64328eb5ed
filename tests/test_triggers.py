"""The trigger index: which rules may match, and where. Whatever it skips, the matches are the same."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.rulebook import load_rulebook
from claimcheck.analysis.prefilter import TriggerIndex, anchored_matches, index_of, split_plan
from claimcheck.rulebook.words import leading_words, required_words, trigger_of
from claimcheck.analysis.worth import load_worth


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\b(?:may|might)\b", {"may", "might"}),  # the parser takes the shared "m" out; it is put back
        (r"(?<=\s)said\b", {"said"}),  # assertions take no text
        (r"\b(?:hundreds?|thousands?)\b", {"hundred", "thousand"}),
        (r"(?-i:\b(?:You|you))\s+said", {"you"}),
        (r"(?:very\s+)?likely", {"very", "likely"}),  # an optional start, or what follows it
        (r"(?:very\s+)?[a-z]+ly", None),  # ... which must begin with a word too
        (r"\bI\s+think", {"i"}),
        (r"[A-Z]\w+ said", None),
        (r"(?:a|b)c", None),
    ],
)
def test_leading_words(pattern: str, expected: set | None) -> None:
    assert leading_words(pattern) == (frozenset(expected) if expected is not None else None)


def test_most_shipped_rules_are_anchored() -> None:
    book, worth = load_rulebook(), load_worth()
    assert len(index_of(book).anchored) > len(book.cues) // 2
    assert len(index_of(worth).anchored) > len(worth.signals) // 2


def _rules():
    book, worth = load_rulebook(), load_worth()
    rules, signals = [r.pattern for r in book.cues], [s.pattern for s in worth.signals]
    # The ledger scans once with both joined (rules first); the parts are checked on their own too.
    joined = TriggerIndex.build(book.trigger_list + worth.trigger_list)
    return [(index_of(book), rules), (index_of(worth), signals), (joined, rules + signals)]


def _same_matches(text: str) -> None:
    """For every shipped rule and signal: matches found where the index says equal a full scan's."""
    for index, patterns in _rules():
        rules, starts = index.scan(text).plan(0, len(text))
        for position, pattern in enumerate(patterns):
            full = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
            if position not in rules:
                assert full == [], (pattern.pattern, text)
            elif position in starts:
                assert [m.span() for m in anchored_matches(pattern.match, text, starts[position])] == full
            else:
                assert position not in index.anchored


def test_anchored_matching_finds_every_example() -> None:
    book, worth = load_rulebook(), load_worth()
    for example in [e for r in book.cues for e in r.match + r.no_match] + [e for s in worth.signals for e in s.match + s.no_match]:
        _same_matches(example)


def test_anchored_matching_on_the_sample_articles() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        _same_matches(path.read_text(encoding="utf-8"))


def _vocabulary() -> list[str]:
    """Every word the index looks for, in several cases, and the text around them."""
    words = set()
    for index, _ in _rules():
        words.update(index.rules_by_word)
    pieces = sorted(words) + [w.upper() for w in sorted(words)] + [w.title() for w in sorted(words)]
    return pieces + ["said", "officials", "The", "Smith", "is", "not", "that", "to", "be", "it", ",", ".", "’", "'", "-"]


VOCABULARY = _vocabulary()
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", ", ", "'", "-"])


@given(st.lists(st.tuples(st.sampled_from(VOCABULARY), SEPARATORS), max_size=40))
def test_anchored_matching_equals_a_full_scan(pieces: list[tuple[str, str]]) -> None:
    _same_matches("".join(word + sep for word, sep in pieces))


def test_a_rule_without_its_leading_words_is_not_planned() -> None:
    index = TriggerIndex.build([trigger_of(r"\b(?:may|might)\s+happen\b"), trigger_of(r"[a-z]+ likely")])
    assert index.anchored == frozenset({0})
    text = "It happens. It is very likely. It may happen."
    rules, starts = index.scan(text).plan(0, len(text))
    assert rules == [0, 1]
    assert starts[0] == [text.index("may")]
    rules, _ = index.scan(text).plan(0, text.index(" It may"))
    assert rules == [1]  # "happen" is there, "may" and "might" are not


def test_a_joined_plan_splits_into_each_part_s_own_numbering() -> None:
    first = [trigger_of(r"\bmay\b"), trigger_of(r"\bsaid\b")]
    second = [trigger_of(r"\b\d+"), trigger_of(r"\bsaid\b"), trigger_of(r"\bnever\b")]
    text = "She said it may close by 2027."
    (rules, starts), (signals, signal_starts) = split_plan(TriggerIndex.build(first + second).scan(text).plan(0, len(text)), 2)
    assert rules == [0, 1] and [starts[0], starts[1]] == [[text.index("may")], [text.index("said")]]
    assert signals == [0, 1] and signal_starts == {1: [text.index("said")]}  # "\d+" has no words: always tried


@pytest.mark.parametrize(
    "pattern, word, text", [("no", "no", "nonono"), ("aba", "aba", "ababa"), (r"\bno\b", "no", "no no-no"), ("(?<=x)no", "no", "xnonoxno")]
)
def test_anchored_matches_do_not_overlap_like_finditer(pattern: str, word: str, text: str) -> None:
    import re

    compiled = re.compile(pattern)
    starts = [i for i in range(len(text)) if text.startswith(word, i)]
    assert [m.span() for m in anchored_matches(compiled.match, text, starts)] == [m.span() for m in compiled.finditer(text)]


def test_a_one_letter_leading_word_anchors_only_when_it_is_scanned_for_anyway() -> None:
    lone = TriggerIndex.build([trigger_of(r"\bI\s+(?:think|believe)\b")])
    assert lone.anchored == frozenset()  # "i" would be found at nearly every letter
    shared = TriggerIndex.build([trigger_of(r"\bI\s+(?:think|believe)\b"), trigger_of(r"(?-i:\bI\b)")])
    assert shared.anchored == frozenset({0, 1})
    text = "Iris said I think so."
    rules, starts = shared.scan(text).plan(0, len(text))
    assert rules == [0, 1] and starts[0] == [at for at, char in enumerate(text.lower()) if char == "i"]


@pytest.mark.parametrize(
    "text",
    [
        "He ſaid the deal may cloſe; ı think it might.",  # long s and dotless i match s and i
        "Officials \u212aNOW it. It is po\u017f\u017fible that \u0131t wıll.",  # Kelvin sign K
        "The µ-law may apply, ΣΟΦΟΣ said, as Μay would.",
        "The bridge is LİKELY to close; it is POSSİBLE, İstanbul officials said.",  # İ is "i" to re
    ],
)
def test_case_equivalents_that_lowercasing_misses_are_still_found(text: str) -> None:
    _same_matches(text)


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\bden(?:y|ies|ied)\b", {"deny", "denies", "denied"}),  # not "den", found in "evidence"
        (r"\b(?:may|might)\b", {"may", "might"}),
        (r"(?:very\s+)?likely", {"likely"}),
        (r"\b\w+ed\b", {"ed"}),
    ],
)
def test_required_words_are_whole_where_the_parser_split_them(pattern: str, expected: set) -> None:
    assert required_words(pattern) == frozenset(expected)
