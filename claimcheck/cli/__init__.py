"""The command line: the only package that imports click.

Ledgers go to stdout, messages to stderr, so ``claimcheck -f json URL | jq`` always works.
Exit codes come from claimcheck.errors.ExitCode. The commands live in ``check`` (the default),
``commands`` (eval, rules); ``options`` holds the option decorators they share.
"""
from __future__ import annotations

import sys
from typing import NoReturn

import click

from claimcheck.version import __version__
from claimcheck.cli.check import check
from claimcheck.cli.commands import eval_command, rules_command
from claimcheck.cli.common import _err
from claimcheck.cli.options import FORMAT_NAMES, SORT_KEYS
from claimcheck.errors import ExitCode

__all__ = ["FORMAT_NAMES", "SORT_KEYS", "main", "run"]


class Interrupted(Exception):
    """Ctrl-C, carried past click (which turns a KeyboardInterrupt into output of its own)."""


class DefaultGroup(click.Group):
    """A group whose default command runs when the first argument is not a command name."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Put the default command's name in front when no command is named."""
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names + ["--version"]):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; Ctrl-C comes out as Interrupted."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # click would print an empty line for it first: the one line is run()'s to print.
            raise Interrupted from None

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The group's --help options section, with the default command's options."""
        # Show the default command's options in the main --help, where users look first.
        check = self.commands[self.default_command]
        records = [p.get_help_record(ctx) for p in check.get_params(ctx)]
        records += [p.get_help_record(ctx) for p in self.get_params(ctx)]
        with formatter.section("Options"):
            formatter.write_dl([r for r in records if r])
        self.format_commands(ctx, formatter)


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


main.add_command(check)
main.add_command(eval_command)
main.add_command(rules_command)


def run() -> None:
    """Entry point: main() with usage errors (exit 2) and Ctrl-C (exit 130) handled."""
    try:
        code = main.main(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (click.Abort, KeyboardInterrupt, Interrupted):
        _exit_interrupted()
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _exit_interrupted() -> NoReturn:
    """One line and exit 130, at once: no thread (a fetch that never ends) is waited for."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the goodbye
    try:
        _err("interrupted")
    except OSError:
        pass  # stderr gone too: the exit code still says it
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    # The -o file and the worker processes were dealt with on the way here; what is left are
    # threads blocked on the network, which the interpreter's normal exit would join.
    os._exit(ExitCode.INTERRUPTED)
