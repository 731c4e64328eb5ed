"""The HTML report in a real browser: headless chromium renders the report of the shared example,
the DOM holds a highlighted claim per level, the legend and the chart, and a screenshot shows
each level's colours.

Skipped, with the reason, where no chromium is installed (.ci/run installs Debian's). The browser
opens a local file only, with networking features off and a fresh profile.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from claimcheck import analyze
from claimcheck.output import RENDERERS, Style
from claimcheck.output.common import HEX_COLOURS as COLOURS

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(f"no chromium found (looked for {', '.join(CANDIDATES)}); install it with: apt-get install -y chromium")
    return found


def run_browser(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
    ]
    return subprocess.run([chromium, *flags, *args], capture_output=True, timeout=90)


@pytest.fixture(scope="module")
def report(example_text: str, tmp_path_factory) -> tuple[Path, set[str]]:
    """The report of the shared example, as `claimcheck ai-researcher-move.txt -f html -o` writes it."""
    target = tmp_path_factory.mktemp("report") / "report.html"
    ledger = analyze(example_text, name="ai-researcher-move.txt")
    target.write_text(RENDERERS["html"].render([ledger], Style()), encoding="utf-8")
    return target, {claim.level for claim in ledger.claims}


def test_the_rendered_dom_has_a_highlight_per_level_the_legend_and_the_chart(chromium: str, report, tmp_path: Path) -> None:
    page, levels = report
    done = run_browser(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    dom = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0 and "<mark" in dom, done.stderr.decode("utf-8", "replace")[-2000:]
    assert {"confirmed", "asserted", "likely", "possible", "unverified", "unclear"} <= levels
    for level in levels:
        assert re.search(rf'<mark class="claim lv-{level}[^"]*"[^>]*data-tip="{level} · confidence', dom), level
    assert '<section class="legend"' in dom and all(f'class="swatch lv-{lv}"' in dom for lv in COLOURS)
    assert '<svg class="bars"' in dom and dom.count('<g class="bar" data-level=') == len(COLOURS)
    assert '<u class="cue"' in dom


def test_a_screenshot_shows_every_level_coloured_and_the_chart_drawn(chromium: str, report, tmp_path: Path) -> None:
    page, levels = report
    shot = tmp_path / "report.png"
    done = run_browser(chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri())
    print(f"\nscreenshot of the HTML report: {shot}")
    assert shot.exists(), done.stderr.decode("utf-8", "replace")[-2000:]
    assert shot.stat().st_size > 20_000
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (1200, 2000)
    assert len(pixels) > 1000  # not a blank page
    # The legend shows every colour in a small swatch; a drawn bar and highlighted claims add
    # far more pixels of it, so a level that is absent stays under these counts.
    for level in COLOURS:
        bar, tint = (_rgb(c) for c in COLOURS[level])
        assert _near(bar, pixels, least=150) == (level in levels), f"the chart's {level} bar"
        assert _near(tint, pixels, least=500) == (level in levels), f"{level} claims highlighted on screen"


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _near(colour: tuple[int, int, int], pixels: dict[tuple[int, int, int], int], least: int, slack: int = 2) -> bool:
    return sum(n for rgb, n in pixels.items() if all(abs(a - b) <= slack for a, b in zip(rgb, colour))) >= least


def read_png(data: bytes) -> tuple[int, int, dict[tuple[int, int, int], int]]:
    """Width, height and a count of each RGB colour, for an 8-bit RGB/RGBA non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    step = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    previous = bytearray(stride)
    counts: dict[tuple[int, int, int], int] = {}
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                corner = previous[i - step] if i >= step else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        previous = line
        if y % 2 == 0:  # every other row is plenty for counting colours
            for x in range(0, stride, step * 2):
                rgb = (line[x], line[x + 1], line[x + 2])
                counts[rgb] = counts.get(rgb, 0) + 1
    return width, height, counts
