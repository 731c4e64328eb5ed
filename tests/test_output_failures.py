"""When the output cannot be written (a full disk, a closed stdout) or the run is interrupted:
one `claimcheck:` line, the documented exit code, and no -o file left looking complete.

Every test runs a real process: what matters here is file descriptors and signals.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
SMALL = "The deal may close in May."
BIG = "The mayor said the bridge may reopen in June. " * 5_000  # 230 KB: far more than a buffer holds


def _env() -> dict:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CLAIMCHECK_DEBUG", None)
    return env


def _shell(command: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run command in bash, with `claimcheck` standing for this interpreter's claimcheck."""
    command = command.replace("claimcheck", f"{sys.executable} -m claimcheck", 1)
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=ROOT, env=_env(),
                          timeout=timeout)


def _article(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["table", "json", "html"])
@pytest.mark.parametrize("size", ["small", "big"])
def test_stdout_on_a_full_disk_is_one_line_and_exit_1(tmp_path: Path, fmt: str, size: str) -> None:
    path = _article(tmp_path, SMALL if size == "small" else BIG)
    done = _shell(f"claimcheck -f {fmt} {path} > /dev/full")
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == "claimcheck: cannot write stdout: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("size", ["small", "big"])
def test_dash_o_dev_full_is_one_line_and_exit_1(tmp_path: Path, size: str) -> None:
    path = _article(tmp_path, SMALL if size == "small" else BIG)
    done = _shell(f"claimcheck -f jsonl {path} -o /dev/full")
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == "claimcheck: cannot write /dev/full: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    path = _article(tmp_path, SMALL)
    done = _shell(f"claimcheck -f json {path} >&-")
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == "claimcheck: cannot write stdout: it is closed\n"


def test_a_dash_o_file_that_cannot_be_finished_keeps_what_it_held(tmp_path: Path) -> None:
    import resource

    path = _article(tmp_path, BIG)
    report = tmp_path / "report.html"
    report.write_text("the old report", encoding="utf-8")

    def small_files() -> None:  # a disk that fills up after 100 KB (EFBIG instead of ENOSPC)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    done = subprocess.run([sys.executable, "-m", "claimcheck", "-f", "html", str(path), "-o", str(report)],
                          capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120, preexec_fn=small_files)
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == f"claimcheck: cannot write {report}: File too large\n"
    assert report.read_text(encoding="utf-8") == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "report.html"]


def test_a_dash_o_file_appears_whole_with_an_ordinary_mode(tmp_path: Path) -> None:
    path = _article(tmp_path, SMALL)
    report = tmp_path / "ledger.json"
    done = _shell(f"umask 022; claimcheck -f json {path} -o {report}")
    assert done.returncode == ExitCode.OK, done.stderr
    assert report.read_text(encoding="utf-8").startswith("{")
    assert report.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "ledger.json"]
