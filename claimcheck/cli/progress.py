"""What a user sees on stderr while many sources run: the progress bar, messages around it, and
the closing summary with the --fail-on tally."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Optional, TextIO

from claimcheck.cli.common import _err
from claimcheck.printable import printable
from claimcheck.sources import shown_name

if TYPE_CHECKING:
    from claimcheck.batch import Outcome


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
        """Show the source now being worked on."""
        self._current = printable(shown_name(name))
        self.draw()

    def done(self, outcome: Outcome) -> None:
        """Count a finished source (the last one always redraws)."""
        self.finished += 1
        self.failed += outcome.error is not None
        self._current = printable(shown_name(outcome.name))
        self.draw(force=self.finished == self.total)

    def draw(self, force: bool = False) -> None:
        """Redraw the bar, at most once per 50 ms unless forced."""
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
        """Take the bar off the terminal line."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def note(self, line: str) -> None:
        """Print a line above the bar."""
        self.clear()
        self.stream.write(printable(line, keep="\n") + "\n")
        self.stream.flush()
        self.draw(force=True)


def note(message: str, bar: Optional[Progress]) -> None:
    """A message on stderr, with the progress bar (if any) out of its way."""
    if bar is not None:
        bar.note(f"claimcheck: {message}")
    else:
        _err(message)


class Tally:
    """What the closing summary and the --fail-on gate report: every claim, shown or not."""

    def __init__(self) -> None:
        self.read = 0
        self.failed: list[str] = []
        self.levels: dict[str, int] = {}
        self.cache: dict[str, int] = {}
        self.matched: dict[str, int] = {}  # --fail-on level or flag -> claims that have it
        self.gated_sources = 0

    def add(self, outcome: Outcome) -> None:
        """Count a source that was read."""
        self.read += 1
        for level, n in (outcome.summary or {}).items():
            self.levels[level] = self.levels.get(level, 0) + n
        if outcome.cache != "off":
            self.cache[outcome.cache] = self.cache.get(outcome.cache, 0) + 1
        for word, n in (outcome.matched or {}).items():
            self.matched[word] = self.matched.get(word, 0) + n
        self.gated_sources += bool(outcome.matched)

    def summary_lines(self, total: int) -> list[str]:
        """The closing summary: sources read and failed, then claims per level."""
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
        """What --fail-on found, and in how many sources."""
        found = ", ".join(f"{n} {word}" for word, n in sorted(self.matched.items()))
        return f"{found} (in {self.gated_sources} source{'s' if self.gated_sources != 1 else ''})"
