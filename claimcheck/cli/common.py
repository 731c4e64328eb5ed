"""What every command shares: messages on stderr, writing output, loading the rules."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn, Sequence

import click

from claimcheck.errors import ClaimcheckError, ExitCode
from claimcheck.printable import printable

if TYPE_CHECKING:
    from claimcheck.ruleset import RuleSet

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def _err(message: str) -> None:
    # A message may name a file or quote a page: no control character of theirs reaches the terminal.
    click.echo(f"claimcheck: {printable(message, keep=chr(10))}", err=True)


def _load_rules(rule_paths: Sequence[str]) -> "RuleSet":
    from claimcheck.ruleset import load_ruleset

    try:
        return load_ruleset(rule_paths)
    except ClaimcheckError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)


def _write(text, out=None, name: str = "stdout") -> None:
    """Write text (a string, or its pieces one after another) to out (stdout by default), named
    name in the message when it cannot be written: then exit 1 (a closed pipe exits quietly)."""
    out = out if out is not None else sys.stdout
    if out is None:
        _cannot_write(name, "it is closed")
    try:
        if isinstance(text, str):
            out.write(text)
        else:
            for piece in text:
                out.write(piece)
        out.flush()
    except BrokenPipeError:
        # `claimcheck ... | head`: the reader left; exit quietly, without a second error at exit.
        _silence_stdout()
        sys.exit(ExitCode.OK)
    except OSError as exc:  # a full disk, a device that refuses the data
        if out is sys.stdout:
            _silence_stdout()  # or the interpreter tries the buffered rest again at exit, and says so
        _cannot_write(name, exc.strerror or str(exc))


def _cannot_write(name: str, why: str) -> NoReturn:
    _err(f"cannot write {name}: {why}")
    sys.exit(ExitCode.INPUT_ERROR)


def _silence_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass
