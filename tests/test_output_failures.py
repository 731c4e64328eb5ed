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


def _interrupt(args: list[str], after, group: bool = True) -> tuple[int, str, float]:
    """Start claimcheck ARGS, Ctrl-C it once after(proc) returns (to its whole process group,
    as a terminal does), and give (exit code, stderr, seconds from the signal to the exit)."""
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env=_env(), start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        after(proc)
        signalled = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT) if group else proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        took = time.monotonic() - signalled
        _no_process_left(proc.pid)
        return proc.returncode, err, took
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _no_process_left(group: int) -> None:
    """No worker process of the run outlives it (they are in its process group)."""
    import time

    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("a worker process outlived the run")


def _sleep(seconds: float):
    import time

    return lambda proc: time.sleep(seconds)


@pytest.mark.parametrize(("fmt", "delay"), [("-fjson", 0.3), ("-fjson", 0.8), ("-fjson", 1.5), ("-fjsonl", 1.5)])
def test_ctrl_c_in_a_big_directory_is_one_line_and_exit_130(tmp_path: Path, fmt: str, delay: float) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1000):  # some 15 s of work: every delay falls inside it
        (folder / f"a{n}.txt").write_text("The council may vote in May. Officials said it was delayed. " * 10)
    code, err, _ = _interrupt([fmt, "--jobs", "4", str(folder)], _sleep(delay))
    assert (code, err) == (ExitCode.INTERRUPTED, "claimcheck: interrupted\n")


def _silent_server() -> tuple[object, list]:
    """A loopback server that accepts connections and never answers."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server, held


def test_ctrl_c_stops_fetches_that_never_answer(tmp_path: Path) -> None:
    import time

    servers = [_silent_server() for _ in range(3)]
    urls = [f"http://127.0.0.1:{s.getsockname()[1]}/story{n}" for s, _ in servers for n in range(2)]

    def connected(proc: subprocess.Popen) -> None:
        end = time.monotonic() + 15
        while sum(len(held) for _, held in servers) < 3 and time.monotonic() < end:
            time.sleep(0.05)

    try:
        code, err, took = _interrupt(["--jobs", "6", "--timeout", "120", *urls], connected, group=False)
    finally:
        for server, held in servers:
            server.close()
            for connection in held:
                connection.close()
    assert (code, err) == (ExitCode.INTERRUPTED, "claimcheck: interrupted\n")
    assert took < 10  # it used to wait out the fetches' deadline, 120 s here


def test_ctrl_c_leaves_the_dash_o_file_as_it_was(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("The deal closed in May.", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("The mayor said the bridge may reopen in June. " * 200_000, encoding="utf-8")
    report = tmp_path / "out.jsonl"
    report.write_text("the old ledgers", encoding="utf-8")

    def first_written(proc: subprocess.Popen) -> None:  # the first ledger is out, the second under way
        import time

        end = time.monotonic() + 30
        while not any(p.name.endswith(".part") and p.stat().st_size for p in tmp_path.iterdir()):
            assert time.monotonic() < end
            time.sleep(0.05)

    code, err, _ = _interrupt(["-f", "jsonl", "--jobs", "1", str(small), str(big), "-o", str(report)], first_written)
    assert (code, err) == (ExitCode.INTERRUPTED, "claimcheck: interrupted\n")
    assert report.read_text(encoding="utf-8") == "the old ledgers"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "out.jsonl", "small.txt"]


def test_dash_o_through_a_symbolic_link_writes_the_file_it_names(tmp_path: Path) -> None:
    path = _article(tmp_path, SMALL)
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    done = _shell(f"claimcheck -f json {path} -o {link}")
    assert done.returncode == ExitCode.OK, done.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("{")
