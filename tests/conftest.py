"""Shared fixtures: paths, the shared example article, and a real CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite samples/*.ledger.json from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def example_text() -> str:
    if not EXAMPLE.exists():
        pytest.skip(f"the shared example article is not at {EXAMPLE}")
    return EXAMPLE.read_text(encoding="utf-8")


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: bytes | str = b"", cwd: Path | None = None, env: dict | None = None,
            timeout: float = 60) -> Result:
    """Run `python -m claimcheck ARGS` as a real process, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("CLAIMCHECK_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture
def cli():
    return run_cli
