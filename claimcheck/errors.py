"""Exit codes and the errors that map onto them: the one place both are defined."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the README's table is generated from the same meanings."""

    OK = 0  # every ledger printed
    INPUT_ERROR = 1  # a source could not be read, fetched or analysed (others still print)
    USAGE = 2  # bad command line: unknown option, bad value
    GATE = 3  # reserved for --fail-on: a claim matched the gate
    INTERRUPTED = 130  # Ctrl-C


class ClaimcheckError(Exception):
    """An error the user can act on: printed as one line on stderr, never a traceback."""

    exit_code: ExitCode = ExitCode.INPUT_ERROR


class SourceError(ClaimcheckError):
    """A source (file, stdin or URL) could not be read or holds no usable text."""


class RuleError(ClaimcheckError):
    """A rule file is broken; the message names the file and line."""
