"""The command line: the only module that imports click.

Ledgers go to stdout, messages to stderr, so ``claimcheck -f json URL | jq`` always works.
Exit codes come from claimcheck.errors.ExitCode.
"""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

import click

from . import __version__
from .errors import ClaimcheckError, ExitCode

FORMAT_NAMES = ("table", "json", "jsonl")  # kept in step with render.RENDERERS by a test
SORT_KEYS = ("text", "worth", "confidence")  # check --sort: text order or highest first


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
    "2 usage error; 130 interrupted. See the README for the JSON format.",
)
@click.version_option(__version__, "--version", prog_name="claimcheck", message="%(prog)s %(version)s")
def main() -> None:
    """Print the claim ledger of an article: every claim, how firmly the text commits to it,
    the words that show it, and on whose authority it rests.

    \b
    Usage: claimcheck [OPTIONS] [SOURCE]...
    SOURCE is a file, a URL or - for stdin (read when no SOURCE is given and stdin is not a
    terminal). Files and stdin may hold plain text or HTML.

    \b
    Examples:
      cat article.txt | claimcheck
      claimcheck article.txt -f json | jq '.claims[] | {level, text}'
      claimcheck https://example.com/story.html
      claimcheck a.txt b.txt -f jsonl
    """


@main.command("check", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table", show_default=True,
              help="Output format.")
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
def check(
    sources: Sequence[str],
    fmt: str,
    rule_paths: Sequence[str],
    timeout: float,
    max_bytes: int,
    user_agent: Optional[str],
    color: Optional[bool],
    sort_by: str = "text",
) -> None:
    """Print the claim ledger of each SOURCE (file, URL or - for stdin)."""
    if not sources:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no SOURCE given: name a file or URL, or pipe text on stdin")
        sources = ("-",)
    from .render import RENDERERS, Style
    from .sources import SourceOptions

    book = _load_rules(rule_paths)
    options = SourceOptions(timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    output = RENDERERS[fmt]
    style = Style(color=color)
    failed = False
    done = []
    for name in sources:
        ledger = _sorted_claims(_analyze_one(name, options, book), sort_by)
        if ledger is None:
            failed = True
        elif output.streams:
            _write(output.render([ledger], style))
        else:
            done.append(ledger)
    if done:
        _write(output.render(done, style))
    sys.exit(ExitCode.INPUT_ERROR if failed else ExitCode.OK)


def _load_rules(rule_paths: Sequence[str]):
    from .rulebook import load_rulebook

    try:
        return load_rulebook(tuple(rule_paths))
    except ClaimcheckError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)


def _analyze_one(name: str, options, book):
    """The ledger of one source, or None after reporting why it failed."""
    from .ledger import analyze
    from .sources import load

    try:
        document = load(name, options)
        for warning in document.source.warnings:
            _err(f"warning: {warning}")
        return analyze(document, rules=book)
    except ClaimcheckError as exc:
        _err(str(exc))
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # a bug must still not print a traceback at a user
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        _err(f"{name}: internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)")
    return None


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `claimcheck ... | head`: the reader left; exit quietly, without a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)


def _sorted_claims(ledger, sort_by: str):
    """The ledger with its claims in the order --sort asks for (text order is the default)."""
    if ledger is None or sort_by == "text":
        return ledger
    from dataclasses import replace

    key = (lambda c: -c.check_worthiness) if sort_by == "worth" else (lambda c: -c.confidence)
    return replace(ledger, claims=tuple(sorted(ledger.claims, key=lambda c: (key(c), c.start))))


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

    from .evaluate import evaluate, format_table, read_gold

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
    from .rulebook import check_examples

    book = _load_rules(rule_paths)
    if not quiet:
        for rule in book.cues:
            effect = rule.level or rule.flag
            click.echo(f"{rule.ref:<36} {rule.kind:<13} {effect:<22} {rule.file}:{rule.line}")
        for kind_rule in book.kinds:
            click.echo(f"{kind_rule.ref:<36} {'sentence':<13} {kind_rule.kind:<22} {kind_rule.file}:{kind_rule.line}")
    problems = check_examples(book)
    for problem in problems:
        _err(problem)
    total = len(book.cues) + len(book.kinds)
    summary = f"{total} rules in {len(book.files)} files: " + (
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
