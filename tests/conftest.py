"""Shared fixtures: paths, the example articles, a private cache, and two ways to run the CLI.

``cli`` runs the command in this process (click's CliRunner: same arguments, same stdin, stdout,
stderr and exit code, without an interpreter's start-up); ``cli_process`` runs
``python -m claimcheck`` as a real process, for what only a process shows (signals, pipes,
terminals, the interpreter's exit).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a fixed seed and a bounded number of examples in CI, so runs repeat;
# HYPOTHESIS_PROFILE=thorough for a longer local run.
settings.register_profile(
    "ci", max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", ROOT.parent / "shared"))
EXAMPLE = SHARED / "examples" / "ai-researcher-move.txt"
MISSING_EXAMPLE = f"the shared example article is not at {EXAMPLE} (set CLAIMCHECK_SHARED to the shared/ folder)"
# Our own short article with one claim of each kind the shared example has: confirmed, an
# evidence gap, likely, unclear, possible, and a booster with no source.
STANDIN = Path(__file__).resolve().parent / "data" / "ferry-article.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite samples/*.ledger.json from current output")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say once, even without -rs, why the tests of the shared example did not run."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "shared example" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} tests skipped: {MISSING_EXAMPLE}", yellow=True)


# A home folder for the whole run, in the temporary folder: claimcheck's pattern cache, and
# whatever the processes the tests start (pip, a browser) keep under HOME, go there, never to
# the user's ~/.cache.
PRIVATE_HOME = Path(tempfile.mkdtemp(prefix="claimcheck-tests-"))


def _private_environment(home: Path) -> dict[str, str]:
    cache = home / ".cache"
    return {"HOME": str(home), "XDG_CACHE_HOME": str(cache)}


def pytest_configure(config: pytest.Config) -> None:
    # Set for the whole process, not only around each test: modules are collected, and module-
    # and session-wide fixtures made, before any function's fixture runs. Each test process (one
    # per CPU, pytest-xdist) has its own private home.
    atexit.register(shutil.rmtree, PRIVATE_HOME, ignore_errors=True)
    os.environ.update(_private_environment(PRIVATE_HOME))
    # Hypothesis keeps what it learns from the source under .hypothesis in the working folder.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(PRIVATE_HOME / ".hypothesis"))


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with HOME and the cache location in the run's temporary folder, in this
    process and in the processes it starts, whatever an earlier test did to them."""
    for name, value in _private_environment(PRIVATE_HOME).items():
        monkeypatch.setenv(name, value)
    return PRIVATE_HOME / ".cache"


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def example_text() -> str:
    if not EXAMPLE.exists():
        pytest.skip(MISSING_EXAMPLE)
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def standin_text() -> str:
    return STANDIN.read_text(encoding="utf-8")


@dataclass
class Result:
    code: int
    out: str
    err: str


def _stdin_bytes(stdin: bytes | str) -> bytes:
    return stdin.encode("utf-8") if isinstance(stdin, str) else stdin


def run_cli(*args: str, stdin: bytes | str = b"", cwd: Path | None = None, env: dict | None = None,
            timeout: float = 60) -> Result:
    """Run `python -m claimcheck ARGS` as a real process, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("CLAIMCHECK_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        input=_stdin_bytes(stdin),
        capture_output=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def invoke_cli(*args: str, stdin: bytes | str = b"", cwd: Path | None = None, env: dict | None = None,
               timeout: float = 60) -> Result:
    """Run `claimcheck ARGS` in this process, with the environment run_cli gives the process.

    timeout is accepted for run_cli's sake: a command that hangs here hangs the test.
    """
    from click.testing import CliRunner

    from claimcheck.cli import main

    # A process whose stdout is a pipe sees no terminal width, so 80 columns unless told.
    full_env = {"COLUMNS": os.environ.get("COLUMNS", "80"), "NO_COLOR": "1", "CLAIMCHECK_DEBUG": None, **(env or {})}
    with contextlib.chdir(cwd or ROOT):
        result = CliRunner().invoke(main, list(args), input=_stdin_bytes(stdin), env=full_env, prog_name="claimcheck")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a bug, not an exit code: show its traceback
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli():
    """Run the command line in this process (see invoke_cli)."""
    return invoke_cli


@pytest.fixture
def cli_process():
    """Run the command line as a real `python -m claimcheck` process (see run_cli)."""
    return run_cli

