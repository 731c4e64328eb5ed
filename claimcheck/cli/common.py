"""What every command shares: messages on stderr, writing output, loading the rules."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Sequence

import click

from claimcheck.errors import ClaimcheckError, ExitCode

if TYPE_CHECKING:
    from claimcheck.ruleset import RuleSet

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def _err(message: str) -> None:
    click.echo(f"claimcheck: {message}", err=True)


def _load_rules(rule_paths: Sequence[str]) -> "RuleSet":
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
