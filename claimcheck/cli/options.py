"""Option decorators: those several commands share, and the whole set of ``check``'s options.

A decorator here adds its options in the order they are listed, which is the order --help shows.
"""
from __future__ import annotations

from typing import Callable, Optional, TypeVar

import click

from claimcheck import defaults

FORMAT_NAMES = ("table", "json", "jsonl", "markdown", "csv", "html")  # kept in step with render.RENDERERS by a test
SORT_KEYS = ("text", "worth", "confidence")  # check --sort: text order or highest first

F = TypeVar("F", bound=Callable)


def _stack(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """One decorator applying several, the first listed outermost (shown first by --help)."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def rules_option(help: str = "Extra rule file or directory, on top of the defaults (repeatable).") -> Callable[[F], F]:
    """--rules PATH, repeatable, into the parameter rule_paths."""
    return click.option("--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH", help=help)


def format_option(names: tuple[str, ...]) -> Callable[[F], F]:
    """-f/--format, one of names (the first is the default), into the parameter fmt."""
    return click.option("-f", "--format", "fmt", type=click.Choice(names), default=names[0], show_default=True,
                        help="Output format.")


def levels_and_flags(allow_flags: bool) -> Callable[[click.Context, click.Parameter, Optional[str]], Optional[frozenset]]:
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


def finite_seconds(ctx: click.Context, param: click.Parameter, value: Optional[float]) -> Optional[float]:
    """A click callback refusing a timeout that bounds nothing: inf, nan, or more than a day."""
    import math

    if value is not None and (not math.isfinite(value) or value > defaults.MAX_TIMEOUT):
        raise click.BadParameter(f"{value!r} is not a number of seconds from 0.1 to {defaults.MAX_TIMEOUT:g}")
    return value


def cache_folder(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[str]:
    """A click callback refusing a --cache folder that cannot be made or written."""
    if value is None:
        return None
    from claimcheck.sources.page_cache import check_directory

    problem = check_directory(value)
    if problem is not None:
        raise click.BadParameter(f"{value}: {problem}")
    return value


# The options of `check`, read into claimcheck.cli.check.CheckOptions (one field per parameter name).
check_options = _stack(
    click.argument("sources", nargs=-1, metavar="[SOURCE]..."),
    click.option("--from-file", "lists", multiple=True, metavar="LIST",
                 help="Read more sources from LIST, one a line (- for stdin; # starts a comment). Repeatable."),
    format_option(FORMAT_NAMES),
    click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
                 help="Write the output to FILE instead of stdout."),
    click.option("--jobs", type=click.IntRange(min=1, max=64), default=defaults.JOBS, show_default=True, metavar="N",
                 help=f"Sources worked on at once: URLs fetched in parallel (at most {defaults.PER_HOST} per host), "
                 "documents analysed in up to N processes (no more than the CPUs)."),
    click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR", callback=cache_folder,
                 help="Keep fetched pages in DIR and revalidate them next time (ETag, Last-Modified)."),
    click.option("--fail-on", "fail_on", metavar="SPEC", callback=levels_and_flags(True),
                 help="Exit 3 (after printing) when a claim has one of these levels or flags, "
                 "e.g. unverified,disputed,unsupported_certainty."),
    click.option("--only", "only", metavar="LEVELS", callback=levels_and_flags(False),
                 help="Show only claims of these levels (comma list); summaries still count every claim."),
    click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="X",
                 help="Show only claims with confidence of at least X."),
    click.option("--claims-only", is_flag=True,
                 help="Show the claims without the article around them (no article text in html, "
                 "only the claims' sentences in json, no metadata lines in table and markdown)."),
    rules_option(),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.TIMEOUT, show_default=True,
                 metavar="SECONDS", callback=finite_seconds, help="Bound on the whole fetch of one URL, from connecting to the last byte."),
    click.option("--max-bytes", type=click.IntRange(min=1), default=defaults.MAX_BYTES, show_default=True,
                 help="Largest page body to accept (after decompression)."),
    click.option("--user-agent", default=None, help="User-Agent header for URL fetches."),
    click.option("--allow-private/--no-private", "allow_private", default=True, show_default=True,
                 help="Whether URLs and their redirects may reach loopback, private, link-local or reserved "
                 "addresses (checked on the address connected to)."),
    click.option("--color/--no-color", "color", default=None,
                 help="Colour the table (default: when stdout is a terminal and NO_COLOR is unset)."),
    click.option("--sort", "sort_by", type=click.Choice(SORT_KEYS), default="text", show_default=True,
                 help="Order of claims: text order, check-worthiness or confidence (highest first)."),
    click.option("--progress/--no-progress", "progress", default=None,
                 help="Progress bar on stderr (default: with several sources, when stderr is a terminal)."),
    click.option("--summary/--no-summary", "summary", default=None,
                 help="Closing summary on stderr: sources read and failed, claims per level "
                 "(default: on whenever there are several sources)."),
)
