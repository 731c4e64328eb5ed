"""``claimcheck check`` (the default command): the ledger of each source, then the summary and the gate."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Optional, TextIO, Union

import click

from claimcheck.cli.common import HELP_OPTIONS, _cannot_write, _err, _load_rules, _write
from claimcheck.cli.options import check_options
from claimcheck.cli.progress import Progress, Tally, note
from claimcheck.errors import ExitCode
from claimcheck.files import AtomicFile, replaces_atomically
from claimcheck.printable import printable

if TYPE_CHECKING:
    from claimcheck.batch import Batch
    from claimcheck.output import Style
    from claimcheck.records import Ledger
    from claimcheck.sources import Entry


@dataclass(frozen=True)
class CheckOptions:
    """What the user asked of ``check``, as click parsed it (see claimcheck.cli.options)."""

    sources: tuple[str, ...]
    lists: tuple[str, ...]
    fmt: str
    output_path: Optional[str]
    jobs: int
    cache_dir: Optional[str]
    fail_on: Optional[frozenset]
    only: Optional[frozenset]
    min_confidence: Optional[float]
    claims_only: bool
    rule_paths: tuple[str, ...]
    timeout: float
    max_bytes: int
    user_agent: Optional[str]
    allow_private: bool
    color: Optional[bool]
    sort_by: str
    progress: Optional[bool]
    summary: Optional[bool]


@click.command("check", context_settings=HELP_OPTIONS)
@check_options
def check(**params: Any) -> None:
    """Print the claim ledger of each SOURCE (file, directory, URL or - for stdin)."""
    run_check(CheckOptions(**params))


def run_check(options: CheckOptions) -> None:
    """Print every ledger, then the summary and the gate's verdict; exit with the code they give."""
    sources = _sources_named(options)
    from claimcheck.output import Style
    from claimcheck.sources import expand_sources

    book = _load_rules(options.rule_paths)
    entries = expand_sources(sources, options.lists)
    out = _open_output(options.output_path)
    try:
        color = options.color
        if color is None:
            color = out.stream is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        style = Style(color=color, claims_only=options.claims_only)
        bar = _progress_bar(options, len(entries))
        tally = _print_ledgers(options, _batch(options, entries, book, style), bar, out, style)
        out.finish()
    except BaseException:
        out.abandon()  # Ctrl-C, a full disk: the -o file is not left looking complete
        raise
    _report(options, tally, len(entries))
    if tally.failed:
        sys.exit(ExitCode.INPUT_ERROR)  # an incomplete check is not a verdict: 1 wins over 3
    sys.exit(ExitCode.GATE if options.fail_on and tally.matched else ExitCode.OK)


def _sources_named(options: CheckOptions) -> tuple[str, ...]:
    """The SOURCE arguments, stdin when there are none; usage errors for what cannot work."""
    sources, lists = options.sources, options.lists
    if not sources and not lists:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no SOURCE given: name a file or URL, or pipe text on stdin")
        sources = ("-",)
    if "-" in lists and ("-" in sources or list(lists).count("-") > 1):
        raise click.UsageError("stdin can be read once: as a SOURCE or as a --from-file list, not both")
    return sources


class _Output:
    """Where the ledgers go: stdout, or an -o file written under a temporary name and renamed
    into place once complete (a device or FIFO named by -o is written in place)."""

    def __init__(self, stream: Optional[TextIO], name: str, atomic: Optional[AtomicFile] = None) -> None:
        self.stream = stream
        self.name = name
        self.atomic = atomic

    def write(self, text: Union[str, Iterable[str]]) -> None:
        """Write text or its pieces; one message and exit 1 when it cannot be written."""
        _write(text, self.stream, self.name)

    def finish(self) -> None:
        """The output is complete: put the -o file in place (or close the device)."""
        try:
            if self.atomic is not None:
                self.atomic.commit()
            elif self.stream is not None and self.stream is not sys.stdout:
                self.stream.close()
        except OSError as exc:
            _cannot_write(self.name, exc.strerror or str(exc))
        finally:
            self.atomic = None

    def abandon(self) -> None:
        """The output is incomplete: remove the temporary -o file, leave the path as it was."""
        if self.atomic is not None:
            self.atomic.discard()
            self.atomic = None


def _open_output(path: Optional[str]) -> _Output:
    if path is None or path == "-":
        if sys.stdout is None:  # `>&-`: say so before any work is done
            _cannot_write("stdout", "it is closed")
        return _Output(sys.stdout, "stdout")
    try:
        if replaces_atomically(path):
            # newline="": the text is written as rendered (csv's rows end in CRLF, the rest in LF).
            atomic = AtomicFile(path, newline="")
            return _Output(atomic.stream, path, atomic)
        return _Output(open(path, "w", encoding="utf-8", newline=""), path)
    except OSError as exc:
        why = printable(f"cannot write {path}: {exc.strerror or exc}")
        raise click.BadParameter(why, param_hint="'-o' / '--output'")


def _progress_bar(options: CheckOptions, total: int) -> Optional[Progress]:
    """The bar, when asked for, or by default with several sources and stderr on a terminal."""
    wanted = options.progress
    if wanted is None:
        wanted = total > 1 and sys.stderr.isatty()
    return Progress(total, sys.stderr) if wanted else None


def _batch(options: CheckOptions, entries: list[Entry], book: Any, style: Style) -> Batch:
    from claimcheck.batch import Batch, Presenter
    from claimcheck.output import View
    from claimcheck.sources import SourceOptions

    view = View(options.sort_by, options.only, options.min_confidence)
    return Batch(
        entries,
        options=SourceOptions(timeout=options.timeout, max_bytes=options.max_bytes, user_agent=options.user_agent,
                              allow_private=options.allow_private),
        book=book,
        rule_paths=options.rule_paths,
        jobs=options.jobs,
        cache_dir=options.cache_dir,
        presenter=Presenter(options.fmt, style, view, options.fail_on or frozenset()),
    )


def _print_ledgers(options: CheckOptions, batch: Batch, bar: Optional[Progress], out: _Output, style: Style) -> Tally:
    """Each ledger as it comes (a streaming format) or all at the end; messages on stderr."""
    from claimcheck.output import RENDERERS

    tally = Tally()
    done: list[Ledger] = []
    outcomes = batch.run(bar)
    try:
        for outcome in outcomes:
            for warning in outcome.warnings:
                note(f"warning: {warning}", bar)
            if outcome.error is not None:
                note(outcome.error, bar)
                tally.failed.append(outcome.error)
                continue
            tally.add(outcome)
            if outcome.text is not None:
                out.write(outcome.text)
            elif outcome.ledger is not None:
                done.append(outcome.ledger)
    finally:
        # Closed now, not when collected: stopped mid-way (Ctrl-C while writing, a full disk),
        # the run stops its worker processes on the way out.
        outcomes.close()
        if bar is not None:
            bar.clear()
    if done:
        out.write(RENDERERS[options.fmt].pieces(done, style))
    return tally


def _report(options: CheckOptions, tally: Tally, total: int) -> None:
    """The closing summary (by default with several sources) and what --fail-on matched."""
    if options.summary if options.summary is not None else total > 1:
        for line in tally.summary_lines(total):
            _err(line)
    if options.fail_on and tally.matched:
        _err(f"--fail-on {','.join(sorted(options.fail_on))}: {tally.gate_line()}")
