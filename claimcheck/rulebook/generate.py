"""Generate ``rules/pattern-data.json`` from the shipped rule files.

    python -m claimcheck.rulebook.generate --write   # rewrite the file
    python -m claimcheck.rulebook.generate           # exit 1 if it is stale

For every pattern loading the shipped rules compiles (cue rules, kind rules, joints and the
check-worthiness signals of ``worth.toml``) the file holds what ``re.compile`` gives that a
LazyPattern answers without compiling, keyed by a hash of the pattern and the flags it is
compiled with, and the pattern's trigger words (``words.trigger_of``), keyed by a hash of the
pattern and the flags the compiled pattern reports (those the loaders pass to ``triggers_of``).
Run it after editing a shipped rule file; ``tests/test_startup.py`` fails until then.
"""
from __future__ import annotations

import json
import re
import sys
from typing import Any, Optional, Sequence

from claimcheck.rulebook import default_rule_files, read_rule_files
from claimcheck.rulebook.patterns import DATA_FORMAT, data_path, pattern_key, recording
from claimcheck.rulebook.words import stored_form, trigger_of

COMMAND = "python -m claimcheck.rulebook.generate --write"


def shipped_calls() -> list[tuple[str, int]]:
    """Every (pattern, flags) that loading the shipped rule files compiles, once each, in order."""
    with recording() as calls:
        read_rule_files(default_rule_files())  # not the cached load: its patterns must be compiled here
    return list(dict.fromkeys(calls))


def build(calls: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """The data for the given (pattern, flags) calls, as the file holds it."""
    patterns: dict[str, list] = {}
    words: dict[str, list] = {}
    for pattern, flags in calls:
        compiled = re.compile(pattern, flags)
        patterns[pattern_key(pattern, flags)] = [compiled.flags, compiled.groups, dict(compiled.groupindex)]
        words[pattern_key(pattern, compiled.flags)] = stored_form(trigger_of(pattern, compiled.flags))
    return {
        "format": DATA_FORMAT,
        "generated_by": COMMAND,
        "patterns": dict(sorted(patterns.items())),
        "words": dict(sorted(words.items())),
    }


def render(data: dict[str, Any]) -> str:
    """The file's text: one entry a line, so a rule edit shows as a small diff."""
    lines = ["{", f'  "format": {json.dumps(data["format"])},', f'  "generated_by": {json.dumps(data["generated_by"])},']
    for section in ("patterns", "words"):
        entries = [f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=True)}" for key, value in data[section].items()]
        closing = "}," if section == "patterns" else "}"
        lines += [f'  "{section}": {{', ",\n".join(entries), f"  {closing}"] if entries else [f'  "{section}": {{{closing}']
    return "\n".join(lines) + "\n}\n"


def current_text() -> Optional[str]:
    """The data file as it is now, or None when it cannot be read."""
    try:
        return data_path().read_text(encoding="utf-8")
    except OSError:
        return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Write the data file (``--write``) or check that it is up to date."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args not in ([], ["--write"]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    text = render(build(shipped_calls()))
    if args == ["--write"]:
        data_path().write_text(text, encoding="utf-8")
        print(f"wrote {data_path()}", file=sys.stderr)
        return 0
    if current_text() != text:
        print(f"{data_path()} is stale: run {COMMAND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
