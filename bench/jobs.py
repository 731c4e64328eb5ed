"""Throughput of `claimcheck --jobs N` on a batch of local articles, against --jobs 1.

    python bench/jobs.py [--articles 1000] [--jobs 2]

Writes the batch (the project's sample articles and the shared example, each copy given a
distinct first line) to a temporary folder, runs the whole command on the folder with
`-f jsonl` (output discarded) once per setting, best of --repeat runs, and prints articles per
second and the ratio. Reads ../shared (or $CLAIMCHECK_SHARED) when it is there.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", ROOT.parent / "shared"))


def articles() -> list[tuple[str, str]]:
    found = [(p.suffix, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("*")) if p.suffix in (".txt", ".html")]
    example = SHARED / "examples" / "ai-researcher-move.txt"
    if example.exists():
        found.append((".txt", example.read_text(encoding="utf-8")))
    return found


def run(folder: str, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "claimcheck", folder, "-f", "jsonl", "--jobs", str(jobs), "--no-progress"],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    pool = articles()
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.articles):
            suffix, text = pool[i % len(pool)]
            lead = f"Story {i} was filed on deadline.\n" if suffix == ".txt" else ""
            Path(folder, f"{i:05d}{suffix}").write_text(lead + text, encoding="utf-8")
        one = min(run(folder, 1) for _ in range(args.repeat))
        many = min(run(folder, args.jobs) for _ in range(args.repeat))
    print(f"{args.articles} articles, {os.cpu_count()} CPUs")
    print(f"--jobs 1: {one:6.2f} s  {args.articles / one:7.1f} articles/s")
    print(f"--jobs {args.jobs}: {many:6.2f} s  {args.articles / many:7.1f} articles/s")
    print(f"ratio: {one / many:.2f}x")


if __name__ == "__main__":
    main()
