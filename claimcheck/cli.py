"""The command line: the only module that imports click.

Ledgers go to stdout, messages to stderr, so ``claimcheck -f json URL | jq`` always works.
Exit codes come from claimcheck.errors.ExitCode.
"""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

import click

from claimcheck import __version__
from claimcheck.errors import ClaimcheckError, ExitCode

FORMAT_NAMES = ("table", "json", "jsonl", "markdown", "csv", "html")  # kept in step with render.RENDERERS by a test
SORT_KEYS = ("text", "worth", "confidence")  # check --sort: text order or highest first
DEFAULT_JOBS = 4  # claimcheck.batch.DEFAULT_JOBS, repeated so --help does not import the pipeline


class DefaultGroup(click.Group):
    """A group whose default command runs when the first argument is not a command name."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names + ["--version"]):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Show the default command's options in the main --help, where users look first.
        check = self.commands[self.default_command]
        records = [p.get_help_record(ctx) for p in check.get_params(ctx)]
        records += [p.get_help_record(ctx) for p in self.get_params(ctx)]
        with formatter.section("Options"):
            formatter.write_dl([r for r in records if r])
        self.format_commands(ctx, formatter)


def _err(message: str) -> None:
    click.echo(f"claimcheck: {message}", err=True)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Exit codes: 0 ledgers printed; 1 a source or rule file failed (the others still print); "
    "2 usage error; 3 a claim matched --fail-on (every source read); 130 interrupted. "
    "See the README for the formats.",
)
@click.version_option(__version__, "--version", prog_name="claimcheck", message="%(prog)s %(version)s")
def main() -> None:
    """Print the claim ledger of an article: every claim, how firmly the text commits to it,
    the words that show it, and on whose authority it rests.

    \b
    Usage: claimcheck [OPTIONS] [SOURCE]...
    SOURCE is a file, a directory (its .txt, .html and .htm files), a URL or - for stdin (read
    when no SOURCE is given and stdin is not a terminal). Files and stdin may hold plain text
    or HTML.

    \b
    Examples:
      cat article.txt | claimcheck
      claimcheck article.txt -f json | jq '.claims[] | {level, text}'
      claimcheck https://example.com/story.html
      claimcheck a.txt b.txt drafts/ -f jsonl
      claimcheck --from-file urls.txt --cache .cc -f html -o report.html
      claimcheck draft.txt --fail-on unverified,disputed,unsupported_certainty
    """


def _levels_and_flags(allow_flags: bool):
    """A click callback reading a comma list of levels (and flags) into a frozenset."""

    def parse(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[frozenset]:
        if value is None:
            return None
        from claimcheck.vocabulary import FLAGS, LEVELS

        known = set(LEVELS) | (set(FLAGS) if allow_flags else set())
        words = [w.strip().lower() for w in value.split(",")]
        for word in words:
            if word not in known:
                what = "level or flag" if allow_flags else "level"
                raise click.BadParameter(
                    f"unknown {what} {word!r} (choose from {', '.join([*LEVELS, *(sorted(FLAGS) if allow_flags else [])])})"
                )
        return frozenset(words)

    return parse


@main.command("check", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--from-file", "lists", multiple=True, metavar="LIST",
              help="Read more sources from LIST, one a line (- for stdin; # starts a comment). Repeatable.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the output to FILE instead of stdout.")
@click.option("--jobs", type=click.IntRange(min=1, max=64), default=DEFAULT_JOBS, show_default=True, metavar="N",
              help="Sources worked on at once: URLs fetched in parallel (at most 2 per host), "
              "documents analysed in up to N processes (no more than the CPUs).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Keep fetched pages in DIR and revalidate them next time (ETag, Last-Modified).")
@click.option("--fail-on", "fail_on", metavar="SPEC", callback=_levels_and_flags(True),
              help="Exit 3 (after printing) when a claim has one of these levels or flags, "
              "e.g. unverified,disputed,unsupported_certainty.")
@click.option("--only", "only", metavar="LEVELS", callback=_levels_and_flags(False),
              help="Show only claims of these levels (comma list); summaries still count every claim.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="X",
              help="Show only claims with confidence of at least X.")
@click.option("--claims-only", is_flag=True,
              help="Show the claims without the article around them (no article text in html, "
              "only the claims' sentences in json, no metadata lines in table and markdown).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Extra rule file or directory, on top of the defaults (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Bound on the whole fetch of one URL, from connecting to the last byte.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10_000_000, show_default=True,
              help="Largest page body to accept (after decompression).")
@click.option("--user-agent", default=None, help="User-Agent header for URL fetches.")
@click.option("--color/--no-color", "color", default=None,
              help="Colour the table (default: when stdout is a terminal and NO_COLOR is unset).")
@click.option("--sort", "sort_by", type=click.Choice(SORT_KEYS), default="text", show_default=True,
              help="Order of claims: text order, check-worthiness or confidence (highest first).")
@click.option("--progress/--no-progress", "progress", default=None,
              help="Progress bar on stderr (default: with several sources, when stderr is a terminal).")
@click.option("--summary/--no-summary", "summary", default=None,
              help="Closing summary on stderr: sources read and failed, claims per level "
              "(default: on whenever there are several sources).")
def check(
    sources: Sequence[str],
    lists: Sequence[str] = (),
    fmt: str = "table",
    output_path: Optional[str] = None,
    jobs: int = DEFAULT_JOBS,
    cache_dir: Optional[str] = None,
    fail_on: Optional[frozenset] = None,
    only: Optional[frozenset] = None,
    min_confidence: Optional[float] = None,
    claims_only: bool = False,
    rule_paths: Sequence[str] = (),
    timeout: float = 30.0,
    max_bytes: int = 10_000_000,
    user_agent: Optional[str] = None,
    color: Optional[bool] = None,
    sort_by: str = "text",
    progress: Optional[bool] = None,
    summary: Optional[bool] = None,
) -> None:
    """Print the claim ledger of each SOURCE (file, directory, URL or - for stdin)."""
    if not sources and not lists:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no SOURCE given: name a file or URL, or pipe text on stdin")
        sources = ("-",)
    if "-" in lists and ("-" in sources or list(lists).count("-") > 1):
        raise click.UsageError("stdin can be read once: as a SOURCE or as a --from-file list, not both")
    from claimcheck.batch import Batch, Presenter, Progress
    from claimcheck.output import RENDERERS, Style, View
    from claimcheck.sources import SourceOptions, expand_sources

    book = _load_rules(rule_paths)
    entries = expand_sources(sources, lists)
    out = _open_output(output_path)
    if color is None:
        color = out is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    several = len(entries) > 1
    bar = Progress(len(entries), sys.stderr) if (several and sys.stderr.isatty() if progress is None else progress) else None
    output = RENDERERS[fmt]
    style = Style(color=color, claims_only=claims_only)
    batch = Batch(
        entries,
        options=SourceOptions(timeout=timeout, max_bytes=max_bytes, user_agent=user_agent),
        book=book,
        rule_paths=rule_paths,
        jobs=jobs,
        cache_dir=cache_dir,
        presenter=Presenter(fmt, style, View(sort_by, only, min_confidence), fail_on or frozenset()),
    )
    tally = _Tally()
    done = []
    try:
        for outcome in batch.run(bar):
            for warning in outcome.warnings:
                _note(f"warning: {warning}", bar)
            if outcome.error is not None:
                _note(outcome.error, bar)
                tally.failed.append(outcome.error)
                continue
            tally.add(outcome)
            if outcome.text is not None:
                _write(outcome.text, out)
            else:
                done.append(outcome.ledger)
    finally:
        if bar is not None:
            bar.clear()
    if done:
        _write(output.pieces(done, style), out)
    if out is not sys.stdout:
        out.close()
    if summary if summary is not None else several:
        for line in tally.summary_lines(len(entries)):
            _err(line)
    if fail_on and tally.matched:
        _err(f"--fail-on {','.join(sorted(fail_on))}: {tally.gate_line()}")
    if tally.failed:
        sys.exit(ExitCode.INPUT_ERROR)  # an incomplete check is not a verdict: 1 wins over 3
    sys.exit(ExitCode.GATE if fail_on and tally.matched else ExitCode.OK)


class _Tally:
    """What the closing summary and the --fail-on gate report: every claim, shown or not."""

    def __init__(self) -> None:
        self.read = 0
        self.failed: list[str] = []
        self.levels: dict[str, int] = {}
        self.cache: dict[str, int] = {}
        self.matched: dict[str, int] = {}  # --fail-on level or flag -> claims that have it
        self.gated_sources = 0

    def add(self, outcome) -> None:
        self.read += 1
        for level, n in outcome.summary.items():
            self.levels[level] = self.levels.get(level, 0) + n
        if outcome.cache != "off":
            self.cache[outcome.cache] = self.cache.get(outcome.cache, 0) + 1
        for word, n in (outcome.matched or {}).items():
            self.matched[word] = self.matched.get(word, 0) + n
        self.gated_sources += bool(outcome.matched)

    def summary_lines(self, total: int) -> list[str]:
        from claimcheck.output import level_counts

        head = f"{total} source{'s' if total != 1 else ''}: {self.read} read, {len(self.failed)} failed"
        if self.cache:
            head += "; cache: " + ", ".join(f"{n} {state}" for state, n in sorted(self.cache.items()))
        claims = sum(self.levels.values())
        counts = level_counts(self.levels)
        lines = [head] + [f"  failed: {why}" for why in self.failed]
        lines.append(f"{claims} claim{'s' if claims != 1 else ''}" + (f": {counts}" if counts else ""))
        return lines

    def gate_line(self) -> str:
        found = ", ".join(f"{n} {word}" for word, n in sorted(self.matched.items()))
        return f"{found} (in {self.gated_sources} source{'s' if self.gated_sources != 1 else ''})"


def _open_output(path: Optional[str]):
    if path is None or path == "-":
        return sys.stdout
    try:
        # newline="": the text is written as rendered (csv's rows end in CRLF, the rest in LF).
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise click.BadParameter(f"cannot write {path}: {exc.strerror or exc}", param_hint="'-o' / '--output'")


def _note(message: str, bar) -> None:
    """A message on stderr, with the progress bar (if any) out of its way."""
    if bar is not None:
        bar.note(f"claimcheck: {message}")
    else:
        _err(message)


def _load_rules(rule_paths: Sequence[str]):
    from claimcheck.ruleset import load_ruleset

    try:
        return load_ruleset(rule_paths)
    except ClaimcheckError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)


def _write(text, out=None) -> None:
    """Write text (a string, or its pieces one after another) to out (stdout by default)."""
    out = out if out is not None else sys.stdout
    try:
        if isinstance(text, str):
            out.write(text)
        else:
            for piece in text:
                out.write(piece)
        out.flush()
    except BrokenPipeError:
        # `claimcheck ... | head`: the reader left; exit quietly, without a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)


@main.command("eval", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("gold", type=click.Path(dir_okay=True), metavar="GOLD.jsonl")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="Output format.")
@click.option("--errors", "show_errors", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="List the N worst misses with the cues that fired.")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Extra rule file or directory, on top of the defaults (repeatable).")
def eval_command(gold: str, fmt: str, show_errors: int, rule_paths: Sequence[str]) -> None:
    """Score the ledger against annotated rows, one JSON object a line:
    {"text", "hedged"?, "level"?, "claim"?, "score"?}.

    \b
    Prints P/R/F1 of hedged, level accuracy with a confusion matrix, P/R/F1 of check-worthy
    claims, and Pearson r of confidence against score, for the labels the rows carry.
    """
    import json

    from claimcheck.evaluate import evaluate, format_table, read_gold

    book = _load_rules(rule_paths)
    try:
        rows = read_gold(gold)
    except ClaimcheckError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)
    report = evaluate(rows, rules=book, errors=show_errors)
    if fmt == "json":
        _write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(format_table(report, gold))
    sys.exit(ExitCode.OK)


@main.command("rules", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Extra rule file or directory to load and check (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only report problems.")
def rules_command(rule_paths: Sequence[str], quiet: bool) -> None:
    """List the rules in force and check every rule's examples (file:line on failure)."""
    from claimcheck.ruleset import check_examples

    rules = _load_rules(rule_paths)
    if not quiet:
        for rule in rules.cues:
            effect = rule.level or rule.flag
            click.echo(f"{rule.ref:<36} {rule.kind:<13} {effect:<22} {rule.file}:{rule.line}")
        for kind_rule in rules.kinds:
            click.echo(f"{kind_rule.ref:<36} {'sentence':<13} {kind_rule.kind:<22} {kind_rule.file}:{kind_rule.line}")
    problems = check_examples(rules)
    for problem in problems:
        _err(problem)
    counts = [
        (len(rules.cues) + len(rules.kinds), "rules"),
        (len(rules.worth.signals), "worth signals"),
        (len(rules.worth.combos), "worth combos"),
        (len(rules.joints.examples), "joints examples"),
        (len(rules.segmentation.examples), "segmentation examples"),
    ]
    summary = ", ".join(f"{n} {what}" for n, what in counts) + f" in {len(rules.files)} files: " + (
        f"{len(problems)} example(s) failed" if problems else "every example passes"
    )
    click.echo(summary, err=bool(problems) or quiet)
    sys.exit(ExitCode.INPUT_ERROR if problems else ExitCode.OK)


def run() -> None:
    """Entry point: main() with usage errors (exit 2) and Ctrl-C (exit 130) handled."""
    try:
        code = main.main(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        _err("interrupted")
        code = ExitCode.INTERRUPTED
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
