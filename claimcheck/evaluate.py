"""Measure the ledger against annotated text: `claimcheck eval GOLD.jsonl`.

A gold file holds one JSON object a line: ``{"text": ..., "hedged"?: bool, "level"?: str,
"claim"?: bool, "score"?: number}``. Each row's text is run through the ledger and its
prediction compared with whichever labels the row carries:

- ``hedged``: the row is hedged when any of its claims is; precision, recall, F1.
- ``level``: the row's level is its least certain claim's ("none" when it yields no claim);
  accuracy and a confusion matrix.
- ``claim``: the row is a claim worth checking when one of its claims reaches the
  check-worthiness threshold (rules/worth.toml); precision, recall, F1. A row that yields
  claims that are all opinion or framing is not a claim in this sense, as in fact-checking
  corpora.
- ``score``: a numeric certainty rating; Pearson r against the row's confidence (its least
  certain claim's).

No I/O here beyond reading the gold file, and no click: the command line prints the result.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from claimcheck.errors import SourceError
from claimcheck.analysis.levels import RANK
from claimcheck.records import Ledger
from claimcheck.ruleset import RuleSet
from claimcheck.vocabulary import LEVELS
from claimcheck.analysis.worth import WorthModel, load_worth

NO_CLAIM = "none"


@dataclass(frozen=True)
class GoldRow:
    """One annotated row of a gold file."""

    line: int
    text: str
    hedged: Optional[bool] = None
    level: Optional[str] = None
    claim: Optional[bool] = None
    score: Optional[float] = None


@dataclass(frozen=True)
class Prediction:
    """What the ledger says about one row's text."""

    hedged: bool
    level: str  # the least certain claim's level, or "none"
    claim: bool  # a claim reaches the check-worthiness threshold
    worth: float  # the highest check-worthiness among the claims (0 when none)
    confidence: Optional[float]  # the least certain claim's confidence (None when no claim)
    cues: tuple[str, ...] = ()  # rule ids of the cues that fired, in text order
    signals: tuple[str, ...] = ()  # check-worthiness signals that fired


@dataclass
class Report:
    """The figures of one evaluation run (fields are None when no row carries the label)."""

    rows: int
    hedged: Optional[dict] = None
    level: Optional[dict] = None
    claim: Optional[dict] = None
    score: Optional[dict] = None
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON form printed by `claimcheck eval -f json`."""
        return asdict(self)


def read_gold(path: str | Path) -> list[GoldRow]:
    """Read a gold JSONL file; any problem is a SourceError naming file:line."""
    from claimcheck.sources import FILE_LIMIT, read_file

    path = Path(path)
    raw = read_file(str(path), FILE_LIMIT, what="gold file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path}:1: gold file is not UTF-8 text") from None
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{path}:{number}: not valid JSON ({exc.msg}, column {exc.colno})") from None
        rows.append(_row(path, number, data))
    if not rows:
        raise SourceError(f"{path}: the gold file holds no rows")
    return rows


def _row(path: Path, number: int, data: object) -> GoldRow:
    where = f"{path}:{number}"
    if not isinstance(data, dict):
        raise SourceError(f"{where}: each line must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(f"{where}: the row has no \"text\" field (a non-empty string)")
    hedged, claim, level, score = data.get("hedged"), data.get("claim"), data.get("level"), data.get("score")
    for key, value in (("hedged", hedged), ("claim", claim)):
        if value is not None and not isinstance(value, bool):
            raise SourceError(f"{where}: \"{key}\" must be true or false")
    if level is not None and level not in LEVELS:
        raise SourceError(f"{where}: \"level\" must be one of {', '.join(LEVELS)}, not {level!r}")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score)):
        raise SourceError(f"{where}: \"score\" must be a number")
    return GoldRow(number, text, hedged, level, claim, None if score is None else float(score))


def predict(ledger: Optional[Ledger], worth: Optional[WorthModel] = None) -> Prediction:
    """Reduce one row's ledger to the row-level predictions that the gold labels are compared with.

    worth: the check-worthiness scorer the ledger was made with (the shipped one by default)."""
    claims = ledger.claims if ledger is not None else ()
    if not claims:
        return Prediction(hedged=False, level=NO_CLAIM, claim=False, worth=0.0, confidence=None)
    model = worth or load_worth()
    weakest = max(claims, key=lambda c: (RANK[c.level], -c.confidence))
    best = max(claims, key=lambda c: c.check_worthiness)
    worth = best.check_worthiness
    return Prediction(
        hedged=any(c.hedged for c in claims),
        level=weakest.level,
        claim=worth >= model.threshold,
        worth=worth,
        confidence=min(c.confidence for c in claims),
        cues=tuple(cue.rule for c in claims for cue in c.cues),
        signals=tuple(model.fired(best.text)),
    )


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 (0 when undefined), with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def pearson(xs: Sequence[float], ys: Sequence[float]) -> Optional[float]:
    """Pearson's r, or None when either side has no variance (or fewer than two pairs)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def evaluate(rows: Sequence[GoldRow], rules: Optional[RuleSet] = None, errors: int = 0) -> Report:
    """Run the ledger on every row and score it against the row's labels."""
    from claimcheck.pipeline import analyze
    from claimcheck.errors import ClaimcheckError

    worth = rules.worth if rules is not None else load_worth()

    predictions = []
    for row in rows:
        try:
            ledger = analyze(row.text, rules=rules)
        except ClaimcheckError:
            ledger = None  # text with nothing to analyse: no claims
        predictions.append(predict(ledger, worth))
    return score(rows, predictions, errors, worth.threshold)


def score(
    rows: Sequence[GoldRow], predictions: Sequence[Prediction], errors: int = 0, threshold: Optional[float] = None
) -> Report:
    """Compare predictions with the gold labels (rows and predictions in the same order).

    threshold: the check-worthiness threshold in force (the shipped one by default)."""
    report = Report(rows=len(rows))
    pairs = list(zip(rows, predictions))
    hedged = [(g.hedged, p.hedged) for g, p in pairs if g.hedged is not None]
    if hedged:
        report.hedged = {"rows": len(hedged), **_binary(hedged)}
    levels = [(g.level, p.level) for g, p in pairs if g.level is not None]
    if levels:
        labels = [lv for lv in (*LEVELS, NO_CLAIM) if any(lv in pair for pair in levels)]
        matrix = {gold: {pred: 0 for pred in labels} for gold in labels if any(g == gold for g, _ in levels)}
        for gold, pred in levels:
            matrix[gold][pred] += 1
        correct = sum(g == p for g, p in levels)
        report.level = {"rows": len(levels), "accuracy": round(correct / len(levels), 4), "labels": labels,
                        "confusion": matrix}
    claims = [(g.claim, p.claim) for g, p in pairs if g.claim is not None]
    if claims:
        report.claim = {"rows": len(claims), **_binary(claims)}
    scored = [(g.score, p.confidence) for g, p in pairs if g.score is not None and p.confidence is not None]
    if any(g.score is not None for g in rows):
        r = pearson([c for _, c in scored], [s for s, _ in scored])
        report.score = {"rows": len(scored), "pearson_r": None if r is None else round(r, 4),
                        "without_claims": sum(g.score is not None and p.confidence is None for g, p in pairs)}
    if errors > 0:
        report.errors = worst_misses(pairs, errors, threshold)
    return report


def _binary(pairs: Iterable[tuple[bool, bool]]) -> dict:
    tp = fp = fn = 0
    for gold, pred in pairs:
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    return prf(tp, fp, fn)


def miss_severity(
    gold: GoldRow,
    pred: Prediction,
    score_stats: Optional[tuple[float, float, float, float]] = None,
    threshold: Optional[float] = None,
) -> float:
    """How badly a prediction misses its row: 0 when every label given is right."""
    badness = 0.0
    if gold.hedged is not None and gold.hedged != pred.hedged:
        badness += 1.0
    if gold.level is not None and gold.level != pred.level:
        if pred.level == NO_CLAIM:
            badness += 1.0
        else:
            badness += 0.5 + abs(RANK[gold.level] - RANK[pred.level]) / (len(LEVELS) - 1)
    if gold.claim is not None and gold.claim != pred.claim:
        badness += 0.5 + abs(pred.worth - (load_worth().threshold if threshold is None else threshold))
    if gold.score is not None and pred.confidence is not None and score_stats:
        smean, ssd, cmean, csd = score_stats
        if ssd and csd:
            badness += abs((gold.score - smean) / ssd - (pred.confidence - cmean) / csd) / 2
    return badness


def worst_misses(pairs: Sequence[tuple[GoldRow, Prediction]], n: int, threshold: Optional[float] = None) -> list[dict]:
    """The n rows the ledger gets most wrong, with the cues and signals that fired."""
    scored = [(g.score, p.confidence) for g, p in pairs if g.score is not None and p.confidence is not None]
    stats = None
    if len(scored) >= 2:
        ss, cs = [s for s, _ in scored], [c for _, c in scored]
        stats = (_mean(ss), _sd(ss), _mean(cs), _sd(cs))
    ranked = sorted(((miss_severity(g, p, stats, threshold), i) for i, (g, p) in enumerate(pairs)), key=lambda t: (-t[0], t[1]))
    out = []
    for badness, i in ranked[:n]:
        if badness <= 0:
            break
        gold, pred = pairs[i]
        out.append({
            "line": gold.line,
            "text": gold.text,
            "severity": round(badness, 3),
            "gold": {k: v for k, v in (("hedged", gold.hedged), ("level", gold.level), ("claim", gold.claim),
                                       ("score", gold.score)) if v is not None},
            "predicted": {"hedged": pred.hedged, "level": pred.level, "claim": pred.claim,
                          "check_worthiness": pred.worth, "confidence": pred.confidence},
            "cues": list(pred.cues),
            "signals": list(pred.signals),
        })
    return out


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _sd(xs: Sequence[float]) -> float:
    m = _mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


def format_table(report: Report, source: str = "") -> str:
    """A readable summary of a Report, for the terminal."""
    lines = [f"== {source} ==" if source else "==", f"{report.rows} rows"]
    if report.hedged:
        h = report.hedged
        lines.append(f"hedged      P {h['precision']:.3f}  R {h['recall']:.3f}  F1 {h['f1']:.3f}"
                     f"   ({h['rows']} rows; tp {h['tp']}, fp {h['fp']}, fn {h['fn']})")
    if report.claim:
        c = report.claim
        lines.append(f"claim       P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}"
                     f"   ({c['rows']} rows; tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    if report.score:
        s = report.score
        r = "n/a" if s["pearson_r"] is None else f"{s['pearson_r']:.3f}"
        extra = f"; {s['without_claims']} without claims left out" if s["without_claims"] else ""
        lines.append(f"score       Pearson r of confidence vs score {r}   ({s['rows']} rows{extra})")
    if report.level:
        lv = report.level
        lines.append(f"level       accuracy {lv['accuracy']:.3f}   ({lv['rows']} rows)")
        labels = lv["labels"]
        width = max(len(x) for x in labels) + 1
        lines.append("  gold \\ predicted".ljust(width + 2) + "".join(f"{x[:10]:>11}" for x in labels))
        for gold, row in lv["confusion"].items():
            lines.append(f"  {gold:<{width}}" + "".join(f"{row[x]:>11}" for x in labels))
    if report.errors:
        lines.append(f"worst misses ({len(report.errors)}):")
        for e in report.errors:
            gold = ", ".join(f"{k}={v}" for k, v in e["gold"].items())
            p = e["predicted"]
            conf = "-" if p["confidence"] is None else f"{p['confidence']:.2f}"
            lines.append(f"  line {e['line']}: gold {gold}; got level={p['level']}, hedged={p['hedged']}, "
                         f"claim={p['claim']} (worth {p['check_worthiness']:.2f}), confidence {conf}")
            lines.append(f"    {e['text'][:160]!r}")
            lines.append(f"    cues: {', '.join(e['cues']) or '(none)'}; signals: {', '.join(e['signals']) or '(none)'}")
    return "\n".join(lines) + "\n"
