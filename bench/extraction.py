"""Article-extraction benchmark: claimcheck's extractor on the shared dev pages, scored as upstream.

Usage: python bench/extraction.py [--per-page] [--no-trafilatura]

Data: ../shared/data/extraction/dev (override with CLAIMCHECK_SHARED=/path/to/shared):
html/<id>.html.gz and ground-truth.json {id: {articleBody, url}}.

Scoring is the benchmark's own: lowercase, tokens are runs of word characters, each page is a
bag of 4-token shingles; precision and recall per page, macro-averaged; F1 of the two averages.
The benchmark's articleBody holds neither the headline nor image captions, which claimcheck keeps
as typed blocks (the headline first, from the page's metadata; figcaptions as "caption"). The
"body" line scores the document without those blocks, as the benchmark defines the body; the
"whole document" line scores everything claimcheck outputs. Both are printed.
This script prints numbers; it is not a test and asserts nothing.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claimcheck.sources.encoding import decode_html  # noqa: E402
from claimcheck.sources.html import document_from_html  # noqa: E402
from claimcheck.records import SourceInfo  # noqa: E402

_TOKEN = re.compile(r"\w+", re.UNICODE)
_N = 4


def shared_dir() -> Path:
    """The shared data directory: $CLAIMCHECK_SHARED, else ../shared beside the checkout."""
    env = os.environ.get("CLAIMCHECK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def shingles(text: str) -> Counter:
    """The bag of 4-token shingles of ``text`` (lowercased word-character tokens)."""
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i : i + _N]) for i in range(max(1, len(tokens) - _N + 1)) if tokens)


def precision_recall(truth: str, predicted: str) -> tuple[float, float]:
    """Shingle precision and recall of one page, with the benchmark's conventions for empties."""
    want, got = shingles(truth), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def summarise(pairs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall): macro-averaged P and R, and the F1 of those averages."""
    p = statistics.fmean(x for x, _ in pairs)
    r = statistics.fmean(y for _, y in pairs)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def load_pages(root: Path) -> list[tuple[str, str, str, str]]:
    """(id, url, html text, true body) for every page of the dev split."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        html, _ = decode_html(raw)
        pages.append((page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


def ours(html: str, url: str) -> tuple[str, str]:
    """claimcheck's text of a page: (whole document, body without headline and caption blocks)."""
    doc = document_from_html(html, SourceInfo(kind="url", name=url, url=url))
    blocks = list(doc.blocks)
    if blocks and blocks[0].kind == "heading" and doc.source.title == doc.text[: blocks[0].end]:
        blocks = blocks[1:]
    body = "\n\n".join(doc.text[b.start : b.end] for b in blocks if b.kind != "caption")
    return doc.text, body


def trafilatura_extractor() -> Optional[Callable[[str, str], str]]:
    """trafilatura's extract() when it happens to be installed (a yardstick, never a dependency)."""
    try:
        import trafilatura  # type: ignore[import-not-found]
    except ImportError:
        return None
    return lambda html, url: trafilatura.extract(html, url=url) or ""


def run(pages: list[tuple[str, str, str, str]], per_page: bool, yardstick: bool) -> None:
    """Extract and score every page, then print the figures."""
    scores_whole, scores_body, times = [], [], []
    rows = []
    for page_id, url, html, truth in pages:
        start = time.perf_counter()
        whole, body = ours(html, url)
        times.append((time.perf_counter() - start) * 1000)
        scores_whole.append(precision_recall(truth, whole))
        scores_body.append(precision_recall(truth, body))
        rows.append((page_id, url, *scores_body[-1]))
    _report("claimcheck (body)", scores_body, times)
    _report("claimcheck (whole document)", scores_whole, times)
    extractor = trafilatura_extractor() if yardstick else None
    if extractor is not None:
        t_scores, t_times = [], []
        for _, url, html, truth in pages:
            start = time.perf_counter()
            text = extractor(html, url)
            t_times.append((time.perf_counter() - start) * 1000)
            t_scores.append(precision_recall(truth, text))
        _report("trafilatura", t_scores, t_times)
    if per_page:
        for page_id, url, p, r in sorted(rows, key=lambda row: min(row[2], row[3])):
            print(f"{p:5.2f} {r:5.2f}  {page_id[:12]}  {url}")


def _report(name: str, pairs: list[tuple[float, float]], times: list[float]) -> None:
    f1, p, r = summarise(pairs)
    print(
        f"{name:28s} F1 {f1:.4f}  P {p:.4f}  R {r:.4f}  "
        f"median {statistics.median(times):6.1f} ms/page  mean {statistics.fmean(times):6.1f} ms/page"
    )


def main() -> int:
    """Entry point: parse options, load the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-page", action="store_true", help="also list each page's P and R, worst first")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura yardstick")
    args = parser.parse_args()
    root = shared_dir() / "data" / "extraction" / "dev"
    if not (root / "ground-truth.json").exists():
        print(f"no benchmark data at {root} (set CLAIMCHECK_SHARED)", file=sys.stderr)
        return 1
    pages = load_pages(root)
    print(f"{len(pages)} pages from {root}")
    run(pages, args.per_page, not args.no_trafilatura)
    return 0


if __name__ == "__main__":
    sys.exit(main())
