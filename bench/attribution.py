"""Whose word is it: the ledger's attributions measured on PolNeAR (political news, 2016).

    python bench/attribution.py [--split dev|train] [--limit N] [--errors N] [--jobs N]

Reads ../shared/data/attribution/polnear_<split>.jsonl (or $CLAIMCHECK_SHARED/data/...): news
articles with every attribution annotated as source, cue and content character spans. Nothing
here is copied into the project, and nothing is learned from it: it is a yardstick.

Each article's plain text goes through ``claimcheck.analyze``; every claim of the ledger is
scored against the gold annotation:

* gold *attributed*: at least half of the claim's non-space characters lie inside the content
  spans of one attribution (the one covering most of it); that attribution's source span is
  the claim's gold source (an attribution may have no source span: "it was reported that").
* predicted attributed: the claim's attribution type is not ``author``.
* **attributed P/R/F1** over claims.
* **source accuracy**, on the claims both call attributed: the ledger's source name (or the
  full name it resolves to, when the ledger gives one) shares a content word with the gold
  source; a gold source of function words alone ("he", "they") must equal the ledger's name
  word for word; a gold attribution with no source span is matched by an unnamed source.
* **quotation accuracy**: gold-attributed claims that hold a quotation mark (direct quotes):
  shown attributed, to the right source.
* **claim accuracy**: every claim: not attributed when gold says so, or attributed to the
  right source.
* **wrong names**: of the claims the ledger gives a source name, those whose gold source is
  another one, or none (a reader is misled more by a wrong name than by a missing one).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claimcheck import analyze  # noqa: E402
from claimcheck.errors import ClaimcheckError  # noqa: E402

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
QUOTE_MARKS = frozenset("\"“”")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Words that say nothing about who a source is: a shared "the" or "said" is no match.
FUNCTION_WORDS = frozenset(
    """a an the of in on at to for by with from and or but as that this these those his her its their our
    my your he she it they we i you him them us me who whom which what s mr mrs ms dr said says told
    according one two three some many several other another""".split()
)


def articles(split: str, limit: int | None) -> list[dict]:
    """The annotated articles of one split."""
    path = SHARED / "data" / "attribution" / f"polnear_{split}.jsonl"
    if not path.exists():
        sys.exit(f"bench: {path} not found (set CLAIMCHECK_SHARED to the shared folder)")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def content_words(text: str) -> set[str]:
    """Lower-cased words of a source name, function words left out."""
    return {w for w in (m.group().lower() for m in WORD.finditer(text)) if w not in FUNCTION_WORDS}


def same_source(predicted: list[str], gold: str | None) -> bool:
    """Does any of the ledger's names for a source (as written, as resolved) name the gold source?"""
    names = [name for name in predicted if name]
    if gold is None:
        return not names  # "it was reported": an unnamed source is right
    gold_words = content_words(gold)
    for name in names:
        if gold_words:
            if gold_words & content_words(name):
                return True
        elif WORD.findall(name.lower()) == WORD.findall(gold.lower()):
            return True
    return False


def gold_attribution(article: dict, start: int, end: int) -> tuple[bool, str | None]:
    """(is the span attributed, its gold source text) by the half-of-its-characters rule."""
    text = article["text"]
    wanted = [i for i in range(start, end) if not text[i].isspace()]
    if not wanted:
        return False, None
    best, best_count = None, 0
    for attribution in article["attributions"]:
        spans = attribution.get("content") or []
        count = sum(1 for i in wanted if any(s <= i < e for s, e in spans))
        if count > best_count:
            best, best_count = attribution, count
    if best is None or best_count * 2 < len(wanted):
        return False, None
    source = " ".join(text[s:e] for s, e in best.get("source") or []) or None
    return True, source


def _ledger_rows(article: dict) -> list[tuple]:
    """(start, end, text, attribution type, names) of each claim of the article's ledger."""
    try:
        ledger = analyze(article["text"], name=article["id"])
    except ClaimcheckError:
        return []
    rows = []
    for claim in ledger.claims:
        attribution = claim.attribution
        names = [attribution.name or ""]
        resolved = getattr(attribution, "resolved", None)  # the full name a short one refers to
        if resolved:
            names.append(resolved)
        rows.append((claim.start, claim.end, claim.text, attribution.type, names))
    return rows


def score(data: list[dict], jobs: int, show_errors: int) -> dict:
    """The four figures over every claim of every article."""
    if jobs > 1:
        with Pool(jobs) as pool:
            ledgers = pool.map(_ledger_rows, data, chunksize=4)
    else:
        ledgers = [_ledger_rows(article) for article in data]
    tp = fp = fn = claims = right = source_right = quotes = quotes_right = named = named_wrong = 0
    misses: list[tuple[str, str, str, str]] = []
    for article, rows in zip(data, ledgers):
        for start, end, text, kind, names in rows:
            claims += 1
            gold, gold_source = gold_attribution(article, start, end)
            predicted = kind != "author"
            tp += gold and predicted
            fp += predicted and not gold
            fn += gold and not predicted
            correct_source = gold and predicted and same_source(names if kind != "author" else [], gold_source)
            source_right += correct_source
            correct = correct_source if gold else not predicted
            if predicted and any(names):
                named += 1
                named_wrong += not correct_source
            right += correct
            if gold and QUOTE_MARKS & set(text):
                quotes += 1
                quotes_right += correct_source
            if not correct:
                shown = f"{kind}: {names[0]}" if predicted else "author"
                misses.append((article["id"], text, shown, f"source: {gold_source}" if gold else "not attributed"))
    if show_errors:
        print(f"-- {min(show_errors, len(misses))} of {len(misses)} misses (ledger | gold)")
        for where, text, shown, wanted in misses[:show_errors]:
            print(f"  {where[:40]:40} {text[:110]!r}\n  {'':40} ledger={shown!r} gold={wanted!r}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "articles": len(data),
        "claims": claims,
        "attributed_P": precision,
        "attributed_R": recall,
        "attributed_F1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "source_accuracy": source_right / tp if tp else 0.0,
        "quotation_accuracy": quotes_right / quotes if quotes else 0.0,
        "quotations": quotes,
        "claim_accuracy": right / claims if claims else 0.0,
        "named": named,
        "wrong_names": named_wrong / named if named else 0.0,
    }


TARGETS = {"attributed_F1": 0.85, "source_accuracy": 0.95, "quotation_accuracy": 0.95, "claim_accuracy": 0.90}


def main() -> None:
    """Print the figures for one split, each beside its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--errors", type=int, default=0, help="list N misses")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    data = articles(args.split, args.limit)
    began = time.perf_counter()
    result = score(data, args.jobs, args.errors)
    seconds = time.perf_counter() - began
    print(f"PolNeAR {args.split}: {result['articles']} articles, {result['claims']} claims, "
          f"{result['quotations']} quotation claims ({seconds:.1f} s)")
    print(f"  attributed        P {result['attributed_P']:.3f}  R {result['attributed_R']:.3f}  "
          f"F1 {result['attributed_F1']:.3f}   (target F1 >= {TARGETS['attributed_F1']})")
    for key in ("source_accuracy", "quotation_accuracy", "claim_accuracy"):
        label = key.replace("_", " ")
        print(f"  {label:18} {result[key]:.3f}   (target >= {TARGETS[key]})")
    print(f"  wrong names        {result['wrong_names']:.3f}   (of {result['named']} claims given a source name)")


if __name__ == "__main__":
    main()
