"""Accuracy of the ledger on the shared development corpora: one run, one table, every set.

    python bench/accuracy.py [--limit N] [--errors N] [--set NAME] [--jobs N]

Reads ../shared/data (or $CLAIMCHECK_SHARED/data); see ../shared/README.md for the formats and
how each set is scored. Nothing here is copied into the project. Sets:

  wikiweasel   hedge/wikiweasel_dev.jsonl          F1 of hedged, sentence level (+ cue F1)
  pei          certainty/pei_jurgens_trainval.jsonl Pearson r of confidence vs score
  meantime     factuality/meantime_traindev.jsonl   per event: the cues scoping over it -> -3..+3; MAE, r
  clef         checkworthy/clef2019_train.jsonl     MAP of the check-worthiness ranking per debate
  claimbuster  checkworthy/claimbuster_dev.jsonl    F1 of check-worthy
  golden       segmentation/golden_rules_en.jsonl   cases split exactly right
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimcheck import analyze  # noqa: E402
from claimcheck.errors import ClaimcheckError  # noqa: E402
from claimcheck.evaluate import pearson, predict  # noqa: E402

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))

# The unified factuality scale (Stanovsky et al. 2017): +3 certainly happened, +1.5 probably,
# +0.75 possibly, 0 unknown, -3 certainly not. A level maps to the value a reader would give
# the claim's events.
FACTUALITY = {
    "confirmed": 3.0,
    "asserted": 3.0,
    "reported": 3.0,
    "likely": 1.5,
    "possible": 0.75,
    "unverified": 0.75,
    "unclear": 0.0,
    "disputed": -3.0,
}


HEDGED = frozenset({"likely", "possible", "unverified", "unclear", "disputed"})


def rows(name: str, limit: int | None) -> list[dict]:
    path = SHARED / "data" / name
    if not path.exists():
        sys.exit(f"bench: {path} not found (set CLAIMCHECK_SHARED to the shared folder)")
    with path.open(encoding="utf-8") as handle:
        out = [json.loads(line) for line in handle if line.strip()]
    return out[:limit] if limit else out


def _run(text: str):
    """One text through the ledger: the row-level prediction and each claim's span and cues."""
    try:
        ledger = analyze(text)
    except ClaimcheckError:
        ledger = None
    claims = ledger.claims if ledger else ()
    spans = [
        (c.start, c.end, c.level, c.hedged, c.confidence, c.check_worthiness,
         [(q.start, q.end, q.rule, q.effect, q.kind) for q in c.cues], c.negated)
        for c in claims
    ]
    return predict(ledger), spans


def run_all(texts: list[str], jobs: int) -> list:
    if jobs <= 1 or len(texts) < 200:
        return [_run(t) for t in texts]
    with Pool(jobs) as pool:
        return pool.map(_run, texts, chunksize=64)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def wikiweasel(limit, show_errors, jobs) -> dict:
    """Sentence-level hedged P/R/F1 and cue-level P/R/F1 (span overlap)."""
    data = rows("hedge/wikiweasel_dev.jsonl", limit)
    results = run_all([r["text"] for r in data], jobs)
    tp = fp = fn = ctp = cfp = cfn = 0
    misses = []
    for row, (pred, spans) in zip(data, results):
        gold = bool(row["hedged"])
        tp += pred.hedged and gold
        fp += pred.hedged and not gold
        fn += gold and not pred.hedged
        if pred.hedged != gold:
            misses.append((row["text"], gold, pred.cues, [(c["text"], c["type"]) for c in row["cues"]]))
        ours = {(s, e) for c in spans if c[3] for s, e, _, effect, _ in c[6] if effect in HEDGED}
        theirs = [(c["start"], c["end"]) for c in row["cues"]]
        matched_gold = sum(any(s < e2 and s2 < e for s2, e2 in ours) for s, e in theirs)
        matched_ours = sum(any(s < e2 and s2 < e for s2, e2 in theirs) for s, e in ours)
        ctp += matched_gold
        cfn += len(theirs) - matched_gold
        cfp += len(ours) - matched_ours
    if show_errors:
        print(f"-- wikiweasel: {min(show_errors, len(misses))} of {len(misses)} misses")
        for text, gold, cues, theirs in misses[:show_errors]:
            print(f"  {'MISSED' if gold else 'FALSE '} {text[:160]!r}\n         ours={list(cues)} gold={theirs}")
    p, r, f = prf(tp, fp, fn)
    cp, cr, cf = prf(ctp, cfp, cfn)
    return {"rows": len(data), "P": p, "R": r, "F1": f, "cue_P": cp, "cue_R": cr, "cue_F1": cf}


def pei_jurgens(limit, show_errors, jobs) -> dict:
    """Pearson r between the row's confidence (its least certain claim's) and the 1-6 rating."""
    data = rows("certainty/pei_jurgens_trainval.jsonl", limit)
    results = run_all([r["text"] for r in data], jobs)
    pairs = [(row["score"], pred.confidence, row["text"], pred.cues) for row, (pred, _) in zip(data, results)
             if pred.confidence is not None]
    r = pearson([c for _, c, _, _ in pairs], [s for s, _, _, _ in pairs])
    if show_errors:
        # Largest disagreement between the standardised rating and the standardised confidence.
        ss = [s for s, *_ in pairs]
        cs = [c for _, c, *_ in pairs]
        ms, mc = sum(ss) / len(ss), sum(cs) / len(cs)
        sds = (sum((x - ms) ** 2 for x in ss) / len(ss)) ** 0.5
        sdc = (sum((x - mc) ** 2 for x in cs) / len(cs)) ** 0.5
        worst = sorted(pairs, key=lambda p: -abs((p[0] - ms) / sds - (p[1] - mc) / sdc))[:show_errors]
        print(f"-- pei_jurgens: {len(worst)} largest disagreements")
        for s, c, text, cues in worst:
            print(f"  score {s:.1f} conf {c:.2f} {text[:150]!r} cues={list(cues)}")
    return {"rows": len(data), "scored": len(pairs), "r": r}


def meantime(limit, show_errors, jobs) -> dict:
    """Per event: the cues of the claim holding it that scope over it, mapped to -3..+3; MAE and r."""
    data = rows("factuality/meantime_traindev.jsonl", limit)
    results = run_all([r["text"] for r in data], jobs)
    golds, preds, bad = [], [], []
    for row, (_, spans) in zip(data, results):
        for event in row["events"]:
            holder = next((c for c in spans if c[0] <= event["start"] < c[1]), None)
            value = event_factuality(row["text"], event["start"], event["end"], holder[6]) if holder else 3.0
            golds.append(event["factuality"])
            preds.append(value)
            if value != event["factuality"]:
                bad.append((abs(value - event["factuality"]), event["factuality"], value, event["word"], row["text"],
                            [q[2] for q in holder[6]] if holder else []))
    mae = sum(abs(g - p) for g, p in zip(golds, preds)) / len(golds)
    baseline = sum(abs(g - 3.0) for g in golds) / len(golds)
    if show_errors:
        print(f"-- meantime: {min(show_errors, len(bad))} of {len(bad)} events off")
        for err, g, p, word, text, cues in sorted(bad, key=lambda b: -b[0])[:show_errors]:
            print(f"  gold {g:+.2f} got {p:+.2f} {word!r}: {text[:140]!r} cues={cues}")
    return {"events": len(golds), "MAE": mae, "r": pearson(preds, golds), "always3": baseline}


_RELATIVE_OPENER = re.compile(r",\s*(?:which|who|whose|whom|where)\b[^,]*$", re.IGNORECASE)


def _closed_relative(text: str, cue_start: int, cue_end: int, event_start: int) -> bool:
    """True when the cue sits in a ", which ...," clause that closes before the event."""
    return _RELATIVE_OPENER.search(text, 0, cue_start) is not None and "," in text[cue_end:event_start]


# Cues that say whose word a claim is, not how firmly that word commits: MEANTIME rates an
# event as its source presents it ("Boeing claims the jet is more efficient": +3).
_SOURCE_KINDS = frozenset({"attribution", "anonymous"})


def event_factuality(text: str, start: int, end: int, cues: list) -> float:
    """One event's value on the -3..+3 scale from the cues of its claim (start, end, rule, effect, kind).

    A hedge governs what follows it, and not its own words: in "the firm is expected to cut
    jobs" the cue hedges "cut", while "expected" happened. A hedge inside a parenthetical
    relative clause governs only that clause: in "The order, which is believed to be worth
    $15 billion, has lifted the show" it hedges the worth, not the lift. The least certain
    governing hedge decides. A negation cue spans the negator and the word it negates ("has
    not closed"); an event inside one has the opposite polarity.
    """
    governing = [FACTUALITY[q[3]] for q in cues
                 if q[3] in HEDGED and q[4] not in _SOURCE_KINDS and q[1] <= start
                 and not _closed_relative(text, q[0], q[1], start)]
    value = min(governing) if governing else 3.0
    if any(q[4] == "negation" and q[3] not in HEDGED and q[0] <= start and end <= q[1] for q in cues):
        value = -value
    return value


def clef(limit, show_errors, jobs) -> dict:
    """Mean average precision of the check-worthiness ranking, per debate."""
    data = rows("checkworthy/clef2019_train.jsonl", limit)
    results = run_all([r["text"] for r in data], jobs)
    debates: dict[str, list] = defaultdict(list)
    for row, (pred, _) in zip(data, results):
        debates[row["debate"]].append((pred.worth, row["line_number"], bool(row["claim"]), row["text"]))
    aps, digit_aps = [], []
    for lines in debates.values():
        if not any(g for _, _, g, _ in lines):
            continue
        aps.append(_average_precision(sorted(lines, key=lambda x: (-x[0], x[1]))))
        digit = [(any(ch.isdigit() for ch in t), n, g, t) for _, n, g, t in lines]
        digit_aps.append(_average_precision(sorted(digit, key=lambda x: (-x[0], x[1]))))
    if show_errors:
        missed = sorted(((w, t) for lines in debates.values() for w, _, g, t in lines if g), key=lambda x: x[0])
        print(f"-- clef2019: {min(show_errors, len(missed))} check-worthy lines ranked lowest")
        for w, t in missed[:show_errors]:
            print(f"  worth {w:.2f} {t[:150]!r}")
    return {"debates": len(aps), "MAP": sum(aps) / len(aps), "digit_MAP": sum(digit_aps) / len(digit_aps)}


def _average_precision(ranked: list) -> float:
    hits, total = 0, 0.0
    for k, item in enumerate(ranked, 1):
        if item[2]:
            hits += 1
            total += hits / k
    return total / hits if hits else 0.0


def claimbuster(limit, show_errors, jobs) -> dict:
    """P/R/F1 of "a claim worth checking" (a claim reaches the check-worthiness threshold)."""
    data = rows("checkworthy/claimbuster_dev.jsonl", limit)
    results = run_all([r["text"] for r in data], jobs)
    tp = fp = fn = dtp = dfp = dfn = 0
    misses = []
    for row, (pred, _) in zip(data, results):
        gold = bool(row["claim"])
        tp += pred.claim and gold
        fp += pred.claim and not gold
        fn += gold and not pred.claim
        digit = any(ch.isdigit() for ch in row["text"])
        dtp += digit and gold
        dfp += digit and not gold
        dfn += gold and not digit
        if pred.claim != gold:
            misses.append((abs(pred.worth - 0.5), gold, pred.worth, row["text"], pred.signals))
    if show_errors:
        print(f"-- claimbuster: {min(show_errors, len(misses))} of {len(misses)} misses, most confident first")
        for _, gold, worth, text, signals in sorted(misses, key=lambda m: -m[0])[:show_errors]:
            print(f"  {'MISSED' if gold else 'FALSE '} worth {worth:.2f} {text[:140]!r} {list(signals)}")
    p, r, f = prf(tp, fp, fn)
    return {"rows": len(data), "P": p, "R": r, "F1": f, "digit_F1": prf(dtp, dfp, dfn)[2]}


def golden(limit, show_errors, jobs) -> dict:
    from segmentation import golden_rules, ours  # bench/segmentation.py

    passed, failures = golden_rules(SHARED / "data" / "segmentation" / "golden_rules_en.jsonl", ours)
    if show_errors:
        for row in failures[:show_errors]:
            print(f"-- golden rules: FAIL {row['id']} expected {row['expected']} got {row['got']}")
    return {"passed": passed, "total": passed + len(failures)}


SETS = {
    "wikiweasel": wikiweasel,
    "pei": pei_jurgens,
    "meantime": meantime,
    "clef": clef,
    "claimbuster": claimbuster,
    "golden": golden,
}


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(res: dict) -> list[tuple[str, str, str, str, str]]:
    """(set, metric, claimcheck, target, anchors) rows for the sets that ran."""
    out = []
    if w := res.get("wikiweasel"):
        out.append(("hedge/wikiweasel_dev", "F1 of hedged (sentences)", f"{w['F1']:.3f}",
                    f">= 0.78 {_mark(w['F1'] >= 0.78)}", "7 regexes 0.66; 76-word list 0.58; CoNLL-2010 best ~0.60"))
        out.append(("", "  P / R; cue F1", f"{w['P']:.3f}/{w['R']:.3f}; {w['cue_F1']:.3f}", "", ""))
    if p := res.get("pei"):
        r = p["r"] or 0.0
        out.append(("certainty/pei_jurgens_trainval", "Pearson r, confidence vs score", f"{r:.3f}",
                    f">= 0.70 {_mark(r >= 0.70)}", "7 regexes 0.61; hedge counts 0.55"))
    if m := res.get("meantime"):
        r = m["r"] or 0.0
        out.append(("factuality/meantime_traindev", f"MAE per event ({m['events']})", f"{m['MAE']:.3f}",
                    f"<= 0.24 {_mark(m['MAE'] <= 0.24)}", f"Stanovsky 2017 0.243 (test); always +3 {m['always3']:.3f}"))
        out.append(("", "Pearson r per event", f"{r:.3f}", f">= 0.45 {_mark(r >= 0.45)}", "Stanovsky 2017 0.412 (test)"))
    if c := res.get("clef"):
        out.append(("checkworthy/clef2019_train", f"MAP per debate ({c['debates']})", f"{c['MAP']:.3f}",
                    f">= 0.28 {_mark(c['MAP'] >= 0.28)}", f"contains a digit {c['digit_MAP']:.3f}; best CLEF-2019 run 0.166 (test)"))
    if b := res.get("claimbuster"):
        out.append(("checkworthy/claimbuster_dev", "F1 of check-worthy", f"{b['F1']:.3f}",
                    f">= 0.75 {_mark(b['F1'] >= 0.75)}", f"contains a digit {b['digit_F1']:.3f}"))
        out.append(("", "  P / R", f"{b['P']:.3f}/{b['R']:.3f}", "", ""))
    if g := res.get("golden"):
        out.append(("segmentation/golden_rules_en", "cases exactly right", f"{g['passed']}/{g['total']}",
                    f">= 47/48 {_mark(g['passed'] >= 47)}", "pySBD 47/48; NLTK Punkt 27/48"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="rows per set (default: all)")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses per set")
    parser.add_argument("--set", dest="sets", action="append", choices=sorted(SETS), help="run only this set (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    args = parser.parse_args()
    started = time.perf_counter()
    results, times = {}, {}
    for name in args.sets or SETS:
        began = time.perf_counter()
        results[name] = SETS[name](args.limit, args.errors, args.jobs)
        times[name] = time.perf_counter() - began
    header = ("set", "metric", "claimcheck", "target", "anchors")
    body = table(results)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  " + header[4])
    for row in body:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4])
    print(f"({', '.join(f'{k} {v:.1f} s' for k, v in times.items())}; total {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
