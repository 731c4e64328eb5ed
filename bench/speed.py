"""Speed of claimcheck beside its peers, measured in one run (ratios: these machines are noisy).

    python bench/speed.py [--quick]

Prints: analysis throughput after start-up (the book ten times, a news-like text, and one
run-on sentence full of cues), pySBD's sentence splitting on the same text (one paragraph a
call), the whole process on the book beside proselint, start-up times, growth with input size,
and peak memory on a 10 MB input.
pySBD and proselint are benchmark-only yardsticks (pip install pysbd proselint); rows whose
tool is missing say so. Reads ../shared (or $CLAIMCHECK_SHARED); writes only to a temp folder.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", ROOT.parent / "shared"))
BOOK = SHARED / "data" / "segmentation" / "speed_sherlock_holmes.txt"


def news_like(size: int) -> str:
    """News-like text of about size bytes: the project's sample articles and the shared example, repeated."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    example = SHARED / "examples" / "ai-researcher-move.txt"
    if example.exists():
        parts.append(example.read_text(encoding="utf-8"))
    unit = "\n\n".join(parts) + "\n\n"
    return unit * max(1, size // len(unit.encode("utf-8")))


def best_of(runs: int, func) -> float:
    """The fastest of several timed runs, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6


def analysis_rate(text: str, runs: int) -> float:
    """MB/s of claimcheck.analyze (segment, find claims, tag, build the ledger) after start-up."""
    from claimcheck import analyze

    analyze("Warm up: the rules load once.")
    return mb(text) / best_of(runs, lambda: analyze(text))


def pysbd_rate(text: str) -> float | None:
    """MB/s of pySBD splitting text one paragraph a call, or None when pySBD is not installed."""
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return mb(text) / best_of(1, lambda: [seg.segment(p) for p in paragraphs])


def process_time(argv: list[str], stdin: bytes | None = None, runs: int = 3) -> float:
    """Fastest wall time of a whole process, start-up included."""
    def once() -> None:
        subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return best_of(runs, once)


def peak_rss_mb(argv: list[str]) -> float:
    """Peak resident memory of a child process, in MB."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer runs")
    args = parser.parse_args()
    if not BOOK.exists():
        sys.exit(f"bench: {BOOK} not found (set CLAIMCHECK_SHARED to the shared folder)")
    runs = 1 if args.quick else 3
    book = BOOK.read_text(encoding="utf-8")
    book10 = book * (2 if args.quick else 10)
    news = news_like(1_000_000 if args.quick else 5_000_000)
    claimcheck = [sys.executable, "-m", "claimcheck"]
    rows: list[tuple[str, str, str]] = []

    ours_book = analysis_rate(book10, runs)
    ours_news = analysis_rate(news, runs)
    sbd = pysbd_rate(book10 if args.quick else book * 3)
    rows.append((f"analysis, book x{book10.count(book[:200])} ({mb(book10):.1f} MB)", f"{ours_book:.2f} MB/s",
                 f"pySBD splitting only: {sbd:.2f} MB/s -> {ours_book / sbd:.1f}x" if sbd else "pySBD not installed"))
    rows.append((f"analysis, news-like text ({mb(news):.1f} MB)", f"{ours_news:.2f} MB/s", "target >= 1.5 MB/s"))
    # A hostile shape: one run-on "sentence" holding thousands of cues and clause joints.
    runon = " ".join('"he said it may rain" but she thinks it will not' for _ in range(2_500 if args.quick else 10_000))
    ours_runon = analysis_rate(runon, 1)
    rows.append((f"analysis, one run-on sentence with many cues ({mb(runon):.2f} MB)", f"{ours_runon:.2f} MB/s",
                 "must stay linear: no quadratic step per cue or joint"))

    whole = process_time([*claimcheck, "-f", "json", str(BOOK)], runs=runs)
    proselint = shutil.which("proselint") or str(Path(sys.executable).with_name("proselint"))
    if Path(proselint).exists():
        peer = process_time([proselint, "check", str(BOOK)], runs=runs)
        note = f"proselint {peer:.2f} s -> {peer / whole:.1f}x faster"
    else:
        note = "proselint not installed"
    rows.append((f"whole process on the book ({mb(book):.2f} MB), -f json", f"{whole:.2f} s", note))

    version = process_time([*claimcheck, "--version"], runs=5)
    tiny = process_time([*claimcheck, "-f", "json"], stdin=b"The deal closed in May.\n", runs=5)
    rows.append(("start-up: claimcheck --version", f"{version * 1000:.0f} ms", "target <= 100 ms"))
    rows.append(("start-up: one sentence on stdin, -f json", f"{tiny * 1000:.0f} ms", "target <= 400 ms"))

    with tempfile.TemporaryDirectory() as tmp:
        base = news_like(300_000 if args.quick else 600_000)
        times = {}
        for factor in (1, 4, 16):
            path = Path(tmp) / f"x{factor}.txt"
            path.write_text(base * factor, encoding="utf-8")
            times[factor] = process_time([*claimcheck, "-f", "json", str(path)], runs=1)
        rows.append(("growth: time at 1x, 4x, 16x input", " / ".join(f"{times[f]:.1f}" for f in (1, 4, 16)) + " s",
                     f"16x input took {times[16] / times[1]:.1f}x the time (target <= 18x)"))
        big = Path(tmp) / "ten-mb.txt"
        big.write_text(news_like(10_000_000), encoding="utf-8")
        peak = peak_rss_mb([*claimcheck, "-f", "jsonl", str(big)])
        rows.append(("peak memory, 10 MB input, -f jsonl", f"{peak:.0f} MB", "target < 200 MB"))

    width = max(len(r[0]) for r in rows)
    for what, value, note in rows:
        print(f"{what:<{width}}  {value:>14}  {note}")


if __name__ == "__main__":
    main()
