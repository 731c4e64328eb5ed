"""A wheel installed into a fresh virtual environment runs from another directory and finds
its rules and schema (nothing is read from the checkout)."""
from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(ROOT)],
        capture_output=True, text=True,
    )
    if built.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{built.stderr[-2000:]}")
    wheel = next(work.glob("claimcheck-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    new_site = Path(subprocess.check_output(
        [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip())
    # The dependencies come from this interpreter's site-packages; claimcheck only from the wheel.
    deps = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (new_site / "_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(new_site), str(wheel)],
        capture_output=True, text=True,
    )
    assert installed.returncode == 0, installed.stderr
    return bin_dir


def test_the_installed_wheel_runs_from_elsewhere(installed: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Microsoft confirmed his departure. He may return.", encoding="utf-8")
    script = installed / "python"
    done = subprocess.run(
        [str(script), "-m", "claimcheck", str(story), "-f", "json"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""},
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [c["level"] for c in data["claims"]] == ["confirmed", "possible"]
    where = subprocess.check_output(
        [str(script), "-c", "import claimcheck, claimcheck.rules as r; print(claimcheck.__file__); print(r.__file__)"],
        text=True, cwd=tmp_path,
    ).split()
    assert all(str(ROOT) not in path for path in where), where


def test_the_installed_rules_check(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(installed / "python"), "-m", "claimcheck", "rules", "-q"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "every example passes" in done.stderr


def test_the_installed_html_report_carries_its_style_sheet(installed: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Microsoft confirmed his departure. He may return.", encoding="utf-8")
    done = subprocess.run([str(installed / "python"), "-m", "claimcheck", str(story), "-f", "html"],
                          capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr
    style = done.stdout.split("<style>", 1)[1].split("</style>", 1)[0]
    assert ".lv-confirmed{--c:" in style and "@media print{" in style
