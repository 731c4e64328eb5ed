"""Every kind of rule in force, and the check of every rule's examples.

The rulebook wing reads and validates rule files; the analysis wing uses them. Checking a
rule's examples needs both (does the rule fire on its sentence?), so it lives here, above them.
"""
from __future__ import annotations

from functools import partial

from claimcheck.analysis.cues import rule_fires
from claimcheck.rulebook import Rulebook, example_problems


def check_examples(book: Rulebook) -> list[str]:
    """Run every rule's examples; return one 'file:line: ...' message per failure."""
    problems = []
    for rule in book.cues:
        fires = partial(rule_fires, rule)
        problems += example_problems(f"{rule.file}:{rule.line}", f"rule {rule.id!r}", fires, rule.match, rule.no_match)
    for kind_rule in book.kinds:
        problems += example_problems(
            f"{kind_rule.file}:{kind_rule.line}", f"rule {kind_rule.id!r}", kind_rule.pattern.search,
            kind_rule.match, kind_rule.no_match,
        )
    return problems
