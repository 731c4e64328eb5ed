"""Accuracy of the ledger on the shared development corpora; prints a table of figures.

    python bench/accuracy.py [--limit N] [--errors N]

Reads ../shared/data (or $CLAIMCHECK_SHARED/data). Nothing here is copied into the project.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from claimcheck import analyze
from claimcheck.errors import ClaimcheckError

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def rows(name: str, limit: int | None) -> list[dict]:
    path = SHARED / "data" / name
    if not path.exists():
        sys.exit(f"bench: {path} not found (set CLAIMCHECK_SHARED to the shared folder)")
    with path.open(encoding="utf-8") as handle:
        out = [json.loads(line) for line in handle if line.strip()]
    return out[:limit] if limit else out


def ledger_of(text: str):
    try:
        return analyze(text)
    except ClaimcheckError:
        return None


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def wikiweasel(limit: int | None, show_errors: int) -> dict:
    """Sentence-level hedged P/R/F1 and cue-level P/R/F1 (span overlap)."""
    data = rows("hedge/wikiweasel_dev.jsonl", limit)
    tp = fp = fn = 0
    ctp = cfp = cfn = 0
    misses = []
    for row in data:
        ledger = ledger_of(row["text"])
        claims = ledger.claims if ledger else ()
        predicted = any(c.hedged for c in claims)
        gold = bool(row["hedged"])
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
        if predicted != gold:
            misses.append((row["text"], gold, [(c.text, c.rule) for cl in claims for c in cl.cues]))
        ours = {(c.start, c.end) for cl in claims for c in cl.cues if cl.hedged and c.effect not in ("confirmed", "reported")}
        theirs = [(c["start"], c["end"]) for c in row["cues"]]
        matched_gold = sum(any(s < e2 and s2 < e for s2, e2 in ours) for s, e in theirs)
        matched_ours = sum(any(s < e2 and s2 < e for s2, e2 in theirs) for s, e in ours)
        ctp += matched_gold
        cfn += len(theirs) - matched_gold
        cfp += len(ours) - matched_ours
    for text, gold, cues in misses[:show_errors]:
        print(f"  {'MISSED' if gold else 'FALSE '} {text[:140]!r} cues={cues}")
    p, r, f = prf(tp, fp, fn)
    cp, cr, cf = prf(ctp, cfp, cfn)
    return {"rows": len(data), "P": p, "R": r, "F1": f, "cue_P": cp, "cue_R": cr, "cue_F1": cf}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="rows per set (default: all)")
    parser.add_argument("--errors", type=int, default=0, help="print this many misclassified rows")
    args = parser.parse_args()
    started = time.perf_counter()
    w = wikiweasel(args.limit, args.errors)
    print(f"{'set':<36} {'metric':<28} {'claimcheck':>10}  anchors")
    print(f"{'hedge/wikiweasel_dev.jsonl':<36} {'F1 of hedged (sentences)':<28} {w['F1']:>10.3f}  "
          f"76-word list 0.58; CoNLL-2010 best ~0.60")
    print(f"{'':<36} {'  precision / recall':<28} {w['P']:>5.3f}/{w['R']:.3f}")
    print(f"{'':<36} {'cue F1 (span overlap)':<28} {w['cue_F1']:>10.3f}  (P {w['cue_P']:.3f}, R {w['cue_R']:.3f})")
    print(f"({w['rows']} sentences, {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
