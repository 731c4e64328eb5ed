"""Many sources at once: bounded concurrency, polite fetching, results in input order.

Two pools share the work when ``jobs`` > 1:

- a thread pool of ``jobs`` threads fetches URLs (network waits, not CPU), at most
  ``PER_HOST`` requests to one host at a time;
- a process pool of up to ``jobs`` processes (no more than the CPUs) reads files and analyses
  every document, since the analysis is pure Python and one process uses one core.

``Batch.run`` yields one Outcome per source in the order the sources were given, each as soon
as it and every one before it are done, so a streaming format prints while later sources are
still being fetched. With ``jobs`` = 1 everything runs in this process, one source after another.
"""
from __future__ import annotations

import gc
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence, TextIO, Union

from claimcheck.errors import ClaimcheckError
from claimcheck.records import Ledger, SourceInfo
from claimcheck.sources import Entry, SourceOptions, is_url

if TYPE_CHECKING:  # the pools (and multiprocessing) are imported only when several sources run
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

PER_HOST = 2  # concurrent requests to one host
DEFAULT_JOBS = 4


@dataclass(frozen=True)
class Outcome:
    """What became of one source: its ledger, or the one line that says why it failed."""

    name: str
    ledger: Optional[Ledger] = None  # the ledger as shown, when the format renders all at once
    error: Optional[str] = None
    warnings: tuple[str, ...] = ()
    cache: str = "off"  # what the page cache did for a URL (see claimcheck.sources.page_cache.fetch_cached)
    # The ledger rendered, when the format streams: a string from a worker process, or, made
    # in this process, its pieces, rendered as they are written (a long ledger is never one string).
    text: Optional[Union[str, Iterable[str]]] = None
    summary: Optional[dict] = None  # claims per level, every claim counted
    matched: Optional[dict] = None  # --fail-on level or flag -> claims that have it


@dataclass(frozen=True)
class Presenter:
    """What the command makes of each ledger, done where the ledger is made (in a worker process
    when there is a pool), so that only text and counts travel back: the view of the claims,
    rendered at once when the format streams, and the counts the summary and the gate need."""

    fmt: str = "jsonl"
    style: Any = None  # claimcheck.output.Style
    view: Any = None  # claimcheck.output.View
    fail_on: frozenset = frozenset()

    def present(self, name: str, ledger: Ledger, warnings: tuple[str, ...], pieces: bool = False) -> Outcome:
        """pieces: render as the text is written (in the process that writes it), not at once."""
        from claimcheck.output import RENDERERS, Style, View

        matched: dict[str, int] = {}
        for claim in ledger.claims:
            for word in self.fail_on.intersection((claim.level, *claim.flags)):
                matched[word] = matched.get(word, 0) + 1
        shown = (self.view or View()).apply(ledger)
        output = RENDERERS[self.fmt]
        if output.streams:
            style = self.style or Style()
            text = output.pieces([shown], style) if pieces else output.render([shown], style)
            return Outcome(name, warnings=warnings, text=text, summary=dict(ledger.summary), matched=matched)
        return Outcome(name, shown, warnings=warnings, summary=dict(ledger.summary), matched=matched)


# Work handed to the analysis stage: ("path", name, max_bytes) | ("stdin", bytes) | ("page", url, FetchResult).
Job = tuple


def analyze_job(job: Job, book: Any = None, presenter: Optional[Presenter] = None, pieces: bool = False) -> Outcome:
    """Read (a path) or build (stdin bytes, a fetched page) the document, analyse it, and
    present the ledger (by default: the ledger itself, with its counts). pieces: the Outcome
    stays in this process, so a streaming format's text may be rendered as it is written."""
    from claimcheck.pipeline import analyze

    name = job[1] if job[0] != "stdin" else "-"
    try:
        if job[0] == "path":
            from claimcheck.sources import load

            document = load(name, SourceOptions(max_bytes=job[2]))
        elif job[0] == "stdin":
            from claimcheck.sources import document_from_bytes

            document = document_from_bytes(job[1], SourceInfo(kind="stdin", name="-"), where="stdin")
        else:
            from claimcheck.sources import document_from_page

            document = document_from_page(job[1], job[2])
        ledger = analyze(document, rules=book if book is not None else _WORKER_BOOK)
        if presenter is not None:
            return presenter.present(name, ledger, document.source.warnings, pieces=pieces)
        return Outcome(name, ledger, warnings=document.source.warnings, summary=dict(ledger.summary))
    except ClaimcheckError as exc:
        return Outcome(name, error=str(exc))
    except Exception as exc:  # a bug must still not print a traceback at a user
        if os.environ.get("CLAIMCHECK_DEBUG"):
            import traceback

            return Outcome(name, error=f"{name}: internal error:\n{traceback.format_exc()}")
        return Outcome(name, error=f"{name}: internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)")


def _analyze_jobs(jobs: list[Job], presenter: Optional[Presenter]) -> list[Outcome]:
    return [analyze_job(job, None, presenter) for job in jobs]


_MOST_PER_TASK = 16  # local files handed to a worker process at once

# The rulebook in a worker process: inherited when the pool forks, loaded by _init_worker otherwise.
_WORKER_BOOK: Any = None


def _init_worker(rule_paths: tuple[str, ...]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    global _WORKER_BOOK
    if _WORKER_BOOK is None:
        from claimcheck.ruleset import load_ruleset

        _WORKER_BOOK = load_ruleset(rule_paths)


def _ready() -> None:
    """A no-op whose completion shows the worker processes are up."""


class _HostLimits:
    """One semaphore per host: at most PER_HOST fetches to it at a time."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}

    def of(self, url: str) -> threading.Semaphore:
        from urllib.parse import urlsplit

        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self._limit))


class Batch:
    """Read and analyse many sources with ``jobs`` workers; see the module's docstring."""

    def __init__(
        self,
        entries: Sequence[Entry],
        *,
        options: SourceOptions,
        book: Any,
        rule_paths: Sequence[str] = (),
        jobs: int = DEFAULT_JOBS,
        cache_dir: Optional[str] = None,
        stdin: Optional[Any] = None,
        presenter: Optional[Presenter] = None,
    ) -> None:
        self.entries = list(entries)
        self.presenter = presenter
        self.options = options
        self.book = book
        self.rule_paths = tuple(rule_paths)
        self.jobs = max(1, jobs)
        self._stdin = stdin
        self._hosts = _HostLimits(PER_HOST)
        if cache_dir:
            from claimcheck.sources.page_cache import PageCache

            self.cache = PageCache(cache_dir)
        else:
            self.cache = None

    # -- the stages -------------------------------------------------------------------------
    def _first_stage(self, entry: Entry) -> Any:
        """A failure Outcome, a Job ready to analyse, or None for a URL still to fetch."""
        if entry.error is not None:
            return Outcome(entry.name, error=entry.error)
        if is_url(entry.name):
            return None
        if entry.name == "-":
            from claimcheck.sources import read_limited

            stream = self._stdin if self._stdin is not None else sys.stdin.buffer
            try:
                return ("stdin", read_limited(stream, self.options.max_bytes, "stdin"))
            except ClaimcheckError as exc:
                return Outcome(entry.name, error=str(exc))
        return ("path", entry.name, self.options.max_bytes)

    def _fetch(self, url: str) -> tuple[Any, str]:
        """(the Job of the fetched page or the Outcome of a failure, what the cache did); runs in
        a thread."""
        from claimcheck.sources.page_cache import fetch_cached

        with self._hosts.of(url):
            try:
                result, state = fetch_cached(url, self.options, self.cache)
            except ClaimcheckError as exc:
                return Outcome(url, error=str(exc)), "off"
            except Exception as exc:
                return Outcome(url, error=f"{url}: internal error: {type(exc).__name__}: {exc}"), "off"
        return ("page", url, result), state

    # -- running ----------------------------------------------------------------------------
    def run(self, progress: Optional["Progress"] = None) -> Iterator[Outcome]:
        """Outcomes in input order, each as soon as it and all before it are done."""
        if self.jobs == 1 or len(self.entries) <= 1:
            yield from self._run_serial(progress)
        else:
            yield from self._run_pooled(min(self.jobs, os.cpu_count() or 1), progress)

    def _run_serial(self, progress: Optional["Progress"]) -> Iterator[Outcome]:
        for entry in self.entries:
            if progress is not None:
                progress.start(entry.name)
            first, state = self._first_stage(entry), "off"
            if first is None:
                first, state = self._fetch(entry.name)
            outcome = first if isinstance(first, Outcome) else analyze_job(first, self.book, self.presenter, pieces=True)
            outcome = _cached(outcome, state)
            if progress is not None:
                progress.done(outcome)
            yield outcome

    def _run_pooled(self, workers: int, progress: Optional["Progress"]) -> Iterator[Outcome]:
        total = len(self.entries)
        outcomes: list[Optional[Outcome]] = [None] * total
        states: dict[int, str] = {}  # what the cache did for each fetched URL
        finished: "queue.Queue[tuple[Future, Any, str]]" = queue.Queue()  # filled by the pools' threads

        def track(future: Future, index: Any, stage: str) -> None:
            future.add_done_callback(lambda f: finished.put((f, index, stage)))

        procs: Optional[Executor] = None
        if workers > 1:
            # Fork before any thread of ours exists (forking a threaded process can deadlock the
            # child); the forked workers inherit the loaded rulebook.
            global _WORKER_BOOK
            _WORKER_BOOK = self.book
            _warm_up(self.book)
            gc.freeze()  # what the workers inherit stays out of their collector's way (no copy-on-write)
            procs = _process_pool(workers, self.rule_paths)
            procs.submit(_ready).result()
            gc.unfreeze()
        from concurrent.futures import ThreadPoolExecutor

        threads = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="claimcheck-fetch")

        def finish(index: int, outcome: Outcome) -> None:
            outcomes[index] = _cached(outcome, states.pop(index, "off"))
            if progress is not None:
                progress.done(outcomes[index])

        def analyze(indices: list[int], jobs: list[Job]) -> None:
            if procs is None:  # one CPU: analyse here, between the fetches
                for index, job in zip(indices, jobs):
                    finish(index, analyze_job(job, self.book, self.presenter, pieces=True))
            else:
                track(procs.submit(_analyze_jobs, jobs, self.presenter), indices, "analyze")

        # Local files go to the workers a few at a time: one round trip per file costs as much as
        # a short article's analysis. Small batches keep the output streaming.
        size = max(1, min(_MOST_PER_TASK, total // (workers * 8)))
        batch: tuple[list[int], list[Job]] = ([], [])
        try:
            for index, entry in enumerate(self.entries):
                first = self._first_stage(entry)
                if first is None:
                    track(threads.submit(self._fetch, entry.name), index, "fetch")
                elif isinstance(first, Outcome):
                    finish(index, first)
                else:
                    batch[0].append(index)
                    batch[1].append(first)
                    if len(batch[0]) >= size:
                        analyze(*batch)
                        batch = ([], [])
            if batch[0]:
                analyze(*batch)
            emitted = 0
            while True:
                while emitted < total and outcomes[emitted] is not None:
                    yield outcomes[emitted]
                    outcomes[emitted] = None  # let it go once printed
                    emitted += 1
                if emitted == total:
                    break
                try:
                    future, index, stage = finished.get(timeout=0.5)
                except queue.Empty:
                    if progress is not None:
                        progress.draw()
                    continue
                if stage == "analyze":
                    for one, outcome in zip(index, future.result()):
                        finish(one, outcome)
                    continue
                first, states[index] = future.result()
                if isinstance(first, Outcome):
                    finish(index, first)
                else:
                    analyze([index], [first])
        except BaseException:
            # Ctrl-C, or the reader left: workers ignore SIGINT and would finish their whole
            # article before the interpreter could exit, so stop them now.
            if procs is not None:
                for process in list(getattr(procs, "_processes", {}).values()):
                    process.terminate()
                procs.shutdown(wait=False, cancel_futures=True)
            raise
        else:
            # Every result is in, so the workers are idle: wait for them to leave. Left to the
            # interpreter's exit instead, Python 3.11's pool can race its own wake-up pipe and
            # print "Bad file descriptor" from a thread (CPython gh-125451).
            if procs is not None:
                procs.shutdown(wait=True)
        finally:
            threads.shutdown(wait=False, cancel_futures=True)


def _cached(outcome: Outcome, state: str) -> Outcome:
    if state == "off":
        return outcome
    from dataclasses import replace

    return replace(outcome, cache=state)


def _warm_up(book: Any) -> None:
    """Import and load, once, what every analysis needs (the sentence splitter's parameters, the
    HTML extractor), so that forked workers inherit it instead of each loading it again."""
    from claimcheck.pipeline import analyze
    from claimcheck.analysis.segment import punkt_of
    from claimcheck.sources import document_from_text

    analyze(document_from_text("<html><body><p>It may rain.</p></body></html>", SourceInfo(kind="text", name="-")), rules=book)
    punkt_of(book.segmentation)  # built on first use otherwise, in each worker: build it here, once


def _process_pool(workers: int, rule_paths: tuple[str, ...]) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(rule_paths,))


class Progress:
    """A one-line progress bar on a terminal (stderr): sources done, failures, the latest name.

    Messages printed while it shows go through ``note``, which clears the bar first.
    """

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.finished = 0
        self.failed = 0
        self._current = ""
        self._shown = False
        self._last = 0.0

    def start(self, name: str) -> None:
        self._current = name
        self.draw()

    def done(self, outcome: Outcome) -> None:
        self.finished += 1
        self.failed += outcome.error is not None
        self._current = outcome.name
        self.draw(force=self.finished == self.total)

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.05:
            return  # a redraw per 50 ms is enough for the eye
        self._last = now
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        bar_width = max(10, min(30, width // 4))
        filled = int(bar_width * self.finished / max(1, self.total))
        counts = f" {self.finished}/{self.total}" + (f", {self.failed} failed" if self.failed else "")
        line = f"[{'#' * filled}{'.' * (bar_width - filled)}]{counts} "
        room = width - len(line) - 1
        name = self._current if len(self._current) <= room else "…" + self._current[-(room - 1):] if room > 1 else ""
        self.stream.write("\r\x1b[K" + line + name)
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def note(self, line: str) -> None:
        self.clear()
        self.stream.write(line + "\n")
        self.stream.flush()
        self.draw(force=True)
