"""The sub-commands besides ``check``: ``eval`` (score against gold rows) and ``rules`` (list and check the rules)."""
from __future__ import annotations

import sys
from typing import Sequence

import click

from claimcheck.cli.common import HELP_OPTIONS, _err, _load_rules, _write
from claimcheck.cli.options import format_option, rules_option
from claimcheck.errors import ClaimcheckError, ExitCode


@click.command("eval", context_settings=HELP_OPTIONS)
@click.argument("gold", type=click.Path(dir_okay=True), metavar="GOLD.jsonl")
@format_option(("table", "json"))
@click.option("--errors", "show_errors", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="List the N worst misses with the cues that fired.")
@rules_option()
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


@click.command("rules", context_settings=HELP_OPTIONS)
@rules_option("Extra rule file or directory to load and check (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only report problems.")
def rules_command(rule_paths: Sequence[str], quiet: bool) -> None:
    """List the rules in force and check every rule's examples (file:line on failure)."""
    from claimcheck.ruleset import check_examples

    rules = _load_rules(rule_paths)
    if not quiet:
        for rule in rules.cues:
            effect = rule.level or rule.flag
            _write(f"{rule.ref:<36} {rule.kind:<13} {effect:<22} {rule.file}:{rule.line}\n")
        for kind_rule in rules.kinds:
            _write(f"{kind_rule.ref:<36} {'sentence':<13} {kind_rule.kind:<22} {kind_rule.file}:{kind_rule.line}\n")
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
    if problems or quiet:
        click.echo(summary, err=True)
    else:
        _write(summary + "\n")
    sys.exit(ExitCode.INPUT_ERROR if problems else ExitCode.OK)
