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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Protocol, Sequence, Union

from claimcheck.defaults import JOBS, PER_HOST
from claimcheck.errors import ClaimcheckError
from claimcheck.records import Document, Ledger, SourceInfo
from claimcheck.sources import Entry, SourceOptions, is_url, redact_url

if TYPE_CHECKING:  # the pools (and multiprocessing, requests) are imported only when needed
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

    from claimcheck.output import Style, View
    from claimcheck.sources.http import FetchResult
    from claimcheck.sources.page_cache import PageCache


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
    style: Optional[Style] = None
    view: Optional[View] = None
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


class Watcher(Protocol):
    """What a run tells about its progress (the command line's progress bar is one)."""

    def start(self, name: str) -> None:
        """A source is about to be worked on (one source at a time only)."""

    def done(self, outcome: Outcome) -> None:
        """A source is finished, in whatever order sources finish."""

    def draw(self) -> None:
        """Nothing happened for a while: a chance to redraw."""


# -- the work handed to the analysis stage: a record each, small enough to send to a worker ---
@dataclass(frozen=True)
class FileJob:
    """A local file, read where it is analysed."""

    name: str
    max_bytes: int

    def document(self) -> Document:
        """The file's Document (a SourceError when it cannot be read)."""
        from claimcheck.sources import load

        return load(self.name, SourceOptions(max_bytes=self.max_bytes))


@dataclass(frozen=True)
class StdinJob:
    """What stdin held, already read (only this process can read it)."""

    data: bytes
    name: str = "-"

    def document(self) -> Document:
        """stdin's Document."""
        from claimcheck.sources import document_from_bytes

        return document_from_bytes(self.data, SourceInfo(kind="stdin", name="-"), where="stdin")


@dataclass(frozen=True)
class PageJob:
    """A page fetched by a thread of this process."""

    name: str  # the URL as given
    page: FetchResult

    def document(self) -> Document:
        """The page's article (HTML) or text (text/plain)."""
        from claimcheck.sources import document_from_page

        return document_from_page(self.name, self.page)


Job = Union[FileJob, StdinJob, PageJob]


def analyze_job(job: Job, book: Any = None, presenter: Optional[Presenter] = None, pieces: bool = False) -> Outcome:
    """Read (a path) or build (stdin bytes, a fetched page) the document, analyse it, and
    present the ledger (by default: the ledger itself, with its counts). pieces: the Outcome
    stays in this process, so a streaming format's text may be rendered as it is written."""
    from claimcheck.pipeline import analyze

    name = job.name
    try:
        document = job.document()
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


class _DeferredInterrupts:
    """Hold Ctrl-C back while the workers are forked: a child interrupted before it ignores
    SIGINT prints a traceback, and a parent interrupted mid-fork loses track of its children.
    The Ctrl-C held back is raised on leaving."""

    def __enter__(self) -> None:
        import signal

        self._caught = False
        try:
            self._previous = signal.signal(signal.SIGINT, self._hold)
        except ValueError:  # not the main thread: nothing to defer
            self._previous = None

    def _hold(self, signum: int, frame: Any) -> None:
        self._caught = True

    def __exit__(self, *exc: Any) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            if self._caught and exc[0] is None:
                raise KeyboardInterrupt


def _ready() -> None:
    """A no-op whose completion shows the worker processes are up."""


class _HostLimits:
    """One semaphore per host: at most PER_HOST fetches to it at a time."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}

    def of(self, url: str) -> threading.Semaphore:
        """The semaphore of the URL's host."""
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
        jobs: int = JOBS,
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
        self.cache: Optional[PageCache] = None
        if cache_dir:
            from claimcheck.sources import page_cache

            self.cache = page_cache.PageCache(cache_dir)

    # -- the stages -------------------------------------------------------------------------
    def first_stage(self, entry: Entry) -> Union[Outcome, Job, None]:
        """A failure Outcome, a Job ready to analyse, or None for a URL still to fetch."""
        if entry.error is not None:
            return Outcome(entry.name, error=entry.error)
        if is_url(entry.name):
            return None
        if entry.name == "-":
            from claimcheck.sources import read_limited

            stream = self._stdin if self._stdin is not None else sys.stdin.buffer
            try:
                return StdinJob(read_limited(stream, self.options.max_bytes, "stdin"))
            except ClaimcheckError as exc:
                return Outcome(entry.name, error=str(exc))
        return FileJob(entry.name, self.options.max_bytes)

    def fetch(self, url: str) -> tuple[Union[Outcome, PageJob], str]:
        """(the Job of the fetched page or the Outcome of a failure, what the cache did); runs in
        a thread."""
        from claimcheck.sources.page_cache import fetch_cached

        shown = redact_url(url)  # credentials in the URL go to the request only
        with self._hosts.of(url):
            try:
                result, state = fetch_cached(url, self.options, self.cache)
            except ClaimcheckError as exc:
                return Outcome(shown, error=str(exc)), "off"
            except Exception as exc:
                return Outcome(shown, error=f"{shown}: internal error: {type(exc).__name__}"), "off"
        return PageJob(shown, result), state

    # -- running ----------------------------------------------------------------------------
    def run(self, progress: Optional[Watcher] = None) -> Iterator[Outcome]:
        """Outcomes in input order, each as soon as it and all before it are done."""
        if self.jobs == 1 or len(self.entries) <= 1:
            yield from self._run_serial(progress)
        else:
            yield from self._run_pooled(min(self.jobs, os.cpu_count() or 1), progress)

    def _run_serial(self, progress: Optional[Watcher]) -> Iterator[Outcome]:
        for entry in self.entries:
            if progress is not None:
                progress.start(entry.name)
            first, state = self.first_stage(entry), "off"
            if first is None:
                first, state = self.fetch(entry.name)
            outcome = first if isinstance(first, Outcome) else analyze_job(first, self.book, self.presenter, pieces=True)
            outcome = _cached(outcome, state)
            if progress is not None:
                progress.done(outcome)
            yield outcome

    def _run_pooled(self, workers: int, progress: Optional[Watcher]) -> Iterator[Outcome]:
        # The analysis processes start first: forking a process that already runs threads of
        # ours can deadlock the child.
        pool: Optional[_AnalysisPool] = None
        run: Optional[_PooledRun] = None
        try:
            pool = _AnalysisPool.start(workers, self.book, self.rule_paths) if workers > 1 else None
            run = _PooledRun(self, pool, progress)
            run.hand_out()
            yield from run.in_order()
        except BaseException:
            # Ctrl-C, or the reader left: workers ignore SIGINT and would finish their whole
            # article before the interpreter could exit, so stop them now.
            if pool is not None:
                pool.stop()
            raise
        else:
            if pool is not None:
                pool.close()
        finally:
            if run is not None:
                run.stop_fetching()


class _AnalysisPool:
    """The worker processes that analyse documents, forked with the rulebook already loaded.

    A ProcessPoolExecutor can only wait for a busy worker; ``stop`` must not, so the pool also
    keeps the processes it started (the children that appeared since, by
    multiprocessing.active_children) in order to terminate them.
    """

    def __init__(self, executor: ProcessPoolExecutor, workers: int, before: set[BaseProcess]) -> None:
        self.executor = executor
        self.workers = workers
        self._before = before

    @classmethod
    def start(cls, workers: int, book: Any, rule_paths: tuple[str, ...]) -> _AnalysisPool:
        """Fork ``workers`` processes that inherit ``book`` and what every analysis loads."""
        import multiprocessing

        before = set(multiprocessing.active_children())
        global _WORKER_BOOK
        _WORKER_BOOK = book
        _warm_up(book)
        gc.freeze()  # what the workers inherit stays out of their collector's way (no copy-on-write)
        try:
            with _DeferredInterrupts():
                executor = _process_pool(workers, rule_paths)
                executor.submit(_ready).result()  # with fork, the first task starts every worker
                pool = cls(executor, workers, before)
        except KeyboardInterrupt:
            # Deferred to here, where the workers are known and can be stopped.
            pool.stop()
            raise
        finally:
            gc.unfreeze()
        return pool

    def submit(self, jobs: list[Job], presenter: Optional[Presenter]) -> Future:
        """Analyse jobs in one worker; the future's result is their Outcomes, in order."""
        return self.executor.submit(_analyze_jobs, jobs, presenter)

    def stop(self) -> None:
        """Terminate the workers now, busy or not, and drop the work not yet started."""
        import multiprocessing

        for process in multiprocessing.active_children():
            if process not in self._before:
                process.terminate()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Wait for the idle workers to leave."""
        # Left to the interpreter's exit instead, Python 3.11's pool can race its own wake-up
        # pipe and print "Bad file descriptor" from a thread (CPython gh-125451).
        self.executor.shutdown(wait=True)


# What a pool reports when a piece of work is done: the future, whose source(s) it was for, and
# which stage ("fetch": one index; "analyze": a list of them).
_Event = tuple["Future", Any, str]


class _PooledRun:
    """One pooled run: hands the sources to the pools and puts the outcomes back in order."""

    def __init__(self, batch: Batch, pool: Optional[_AnalysisPool], progress: Optional[Watcher]) -> None:
        self.batch = batch
        self.pool = pool
        self.progress = progress
        self.outcomes: list[Optional[Outcome]] = [None] * len(batch.entries)
        self.states: dict[int, str] = {}  # what the cache did for each fetched URL
        self.events: queue.Queue[_Event] = queue.Queue()  # filled by the pools' threads
        self.threads = _FetchThreads(batch.jobs)

    def hand_out(self) -> None:
        """Start every source: URLs to the fetch threads, local files to the workers a few at a
        time (one round trip per file costs as much as a short article's analysis; small
        batches keep the output streaming)."""
        total = len(self.outcomes)
        workers = self.pool.workers if self.pool is not None else 1
        size = max(1, min(_MOST_PER_TASK, total // (workers * 8)))
        indices: list[int] = []
        jobs: list[Job] = []
        for index, entry in enumerate(self.batch.entries):
            first = self.batch.first_stage(entry)
            if first is None:
                self._track(self.threads.submit(self.batch.fetch, entry.name), index, "fetch")
            elif isinstance(first, Outcome):
                self._finish(index, first)
            else:
                indices.append(index)
                jobs.append(first)
                if len(indices) >= size:
                    self._analyze(indices, jobs)
                    indices, jobs = [], []
        if indices:
            self._analyze(indices, jobs)

    def in_order(self) -> Iterator[Outcome]:
        """Each outcome once it and every one before it are in, waiting for the pools between."""
        emitted = 0
        total = len(self.outcomes)
        while True:
            while emitted < total:
                outcome = self.outcomes[emitted]
                if outcome is None:
                    break
                yield outcome
                self.outcomes[emitted] = None  # let it go once printed
                emitted += 1
            if emitted == total:
                return
            try:
                event = self.events.get(timeout=0.5)
            except queue.Empty:
                if self.progress is not None:
                    self.progress.draw()
                continue
            self._handle(*event)

    def stop_fetching(self) -> None:
        """Drop the fetches not yet started; those under way end on their own timeouts."""
        self.threads.shutdown()

    def _handle(self, future: Future, index: Any, stage: str) -> None:
        if stage == "analyze":
            for one, outcome in zip(index, future.result()):
                self._finish(one, outcome)
            return
        first, self.states[index] = future.result()
        if isinstance(first, Outcome):
            self._finish(index, first)
        else:
            self._analyze([index], [first])

    def _analyze(self, indices: list[int], jobs: list[Job]) -> None:
        if self.pool is None:  # one CPU: analyse here, between the fetches
            for index, job in zip(indices, jobs):
                self._finish(index, analyze_job(job, self.batch.book, self.batch.presenter, pieces=True))
        else:
            self._track(self.pool.submit(jobs, self.batch.presenter), indices, "analyze")

    def _track(self, future: Future, index: Any, stage: str) -> None:
        future.add_done_callback(lambda done: self.events.put((done, index, stage)))

    def _finish(self, index: int, outcome: Outcome) -> None:
        outcome = _cached(outcome, self.states.pop(index, "off"))
        self.outcomes[index] = outcome
        if self.progress is not None:
            self.progress.done(outcome)


class _FetchThreads:
    """Up to ``workers`` daemon threads that run fetches from a queue.

    Not a ThreadPoolExecutor: the interpreter joins its threads at exit, so after Ctrl-C a
    fetch from a server that never answers would hold the process until its own deadline.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._stopped = False

    def submit(self, function: Any, *args: Any) -> Future:
        """Run function(*args) in a thread; the future holds its result."""
        from concurrent.futures import Future

        future: Future = Future()
        self._work.put((future, function, args))
        if len(self._threads) < self._workers:
            thread = threading.Thread(target=self._serve, name=f"claimcheck-fetch-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return future

    def shutdown(self) -> None:
        """Drop the fetches not yet started; those under way end on their deadline, or with the process."""
        self._stopped = True
        for _ in self._threads:
            self._work.put(None)

    def _serve(self) -> None:
        while True:
            item = self._work.get()
            if item is None:
                return
            future, function, args = item
            if self._stopped or not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as exc:  # the future carries it to the thread that waits
                future.set_exception(exc)


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
