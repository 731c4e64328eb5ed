"""The README's example outputs are what the tool prints: a reader can trust them."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from claimcheck.output import schema

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    """The first fenced block after marker."""
    found = re.search(re.escape(marker) + r".*?\n```[a-z]*\n(.*?)```", README, re.DOTALL)
    assert found, f"README has no example after {marker!r}"
    return found.group(1)


def test_the_example_ledger_is_the_table_the_tool_prints(cli) -> None:
    shown = _block_after("`claimcheck samples/plant-recall.txt` (cues").splitlines()
    printed = cli("samples/plant-recall.txt", env={"COLUMNS": "100"}).out.splitlines()
    cut = shown.index(" ...")  # the README shows the first claims, then the summary and sources lines
    assert shown[:cut] == printed[:cut]
    assert shown[cut + 1:] == printed[cut + 1 - len(shown):]


def test_the_csv_example_is_the_csv_the_tool_prints(cli) -> None:
    shown = _block_after("**csv**").splitlines()
    printed = cli("samples/plant-recall.txt", "-f", "csv").out.splitlines()
    assert shown == printed[: len(shown)]


def test_the_markdown_example_is_the_markdown_the_tool_prints(cli) -> None:
    shown = _block_after("**markdown**").splitlines()
    printed = cli("samples/plant-recall.txt", "-f", "markdown").out.splitlines()
    assert shown == printed[: len(shown)]


def test_the_json_sketch_validates_and_shows_every_claim_field() -> None:
    sketch = json.loads(_block_after("`-f json` prints one object per source"))
    jsonschema.validate(sketch, schema())
    assert set(sketch["claims"][0]) == set(schema()["properties"]["claims"]["items"]["properties"])
