"""Benchmark the sentence splitter: Golden Rules accuracy and speed on a public-domain book.

Usage: python bench/segmentation.py   (CLAIMCHECK_SHARED=/path/to/shared to point elsewhere)
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Callable

from claimcheck.analysis.segment import punkt_of, sentence_spans, shipped_rules

Splitter = Callable[[str], list[str]]
_BLANK_LINES = re.compile(r"\n\s*\n")


def shared_dir() -> Path:
    """The shared data folder beside the checkout, or $CLAIMCHECK_SHARED."""
    default = Path(__file__).resolve().parents[1].parent / "shared"
    return Path(os.environ.get("CLAIMCHECK_SHARED", default))


def ours(text: str) -> list[str]:
    """claimcheck's splitter as a list of sentence strings."""
    return [text[a:b] for a, b in sentence_spans(text)]


def untrained_punkt() -> Splitter:
    """NLTK Punkt with empty parameters: what Punkt does without a model (nothing downloaded)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer().tokenize


def golden_rules(path: Path, split: Splitter) -> tuple[int, list[dict]]:
    """How many cases split exactly as expected, and the failing cases."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    failures = []
    for row in rows:
        got = [s.strip() for s in split(row["text"]) if s.strip()]
        if got != row["expected"]:
            failures.append({**row, "got": got})
    return len(rows) - len(failures), failures


def speed(path: Path, split_spans: Callable[[str], object], rounds: int = 3) -> tuple[float, float, int]:
    """Best-of-N MB/s and sentences/s, one paragraph a call."""
    text = path.read_text(encoding="utf-8")
    paragraphs = [p for p in _BLANK_LINES.split(text) if p.strip()]
    megabytes = len(text.encode("utf-8")) / 1e6
    best, count = float("inf"), 0
    for _ in range(rounds):
        began = time.perf_counter()
        count = sum(len(split_spans(p)) for p in paragraphs)
        best = min(best, time.perf_counter() - began)
    return megabytes / best, count / best, count


def main() -> int:
    """Print the scores; exit 2 when the shared data is missing."""
    shared = shared_dir()
    rules_path = shared / "data" / "segmentation" / "golden_rules_en.jsonl"
    book_path = shared / "data" / "segmentation" / "speed_sherlock_holmes.txt"
    missing = [p for p in (rules_path, book_path) if not p.is_file()]
    if missing:
        print(f"benchmark data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        print("set CLAIMCHECK_SHARED to the shared/ folder that holds data/segmentation/", file=sys.stderr)
        return 2
    punkt_of(shipped_rules())  # read the rule files and build Punkt before the clock starts

    passed, failures = golden_rules(rules_path, ours)
    total = passed + len(failures)
    print(f"Golden Rules (English): {passed}/{total} = {100 * passed / total:.2f}%")
    for row in failures:
        print(f"  FAIL {row['id']} {row['name']}")
        print(f"    expected: {row['expected']}")
        print(f"    got:      {row['got']}")
    baseline = untrained_punkt()
    base_passed, _ = golden_rules(rules_path, baseline)
    print(f"  baseline, untrained NLTK Punkt: {base_passed}/{total} = {100 * base_passed / total:.2f}%")

    mb_s, sent_s, count = speed(book_path, sentence_spans)
    print(f"Speed on {book_path.name}, one paragraph a call, best of 3:")
    print(f"  claimcheck: {mb_s:.2f} MB/s, {sent_s:,.0f} sentences/s ({count} sentences)")
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    punkt = PunktSentenceTokenizer()
    mb_s, sent_s, count = speed(book_path, lambda p: list(punkt.span_tokenize(p)))
    print(f"  baseline, untrained NLTK Punkt: {mb_s:.2f} MB/s, {sent_s:,.0f} sentences/s ({count} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
