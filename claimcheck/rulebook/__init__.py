"""The rulebook wing: rule files (``rules/`` and the user's ``--rules``) read into records.

Rules are data: lexicons and patterns live in TOML files with comments and examples; this wing
only reads, checks and compiles them (``loader.py``, ``reading.py``, ``merging.py``) into the
records of ``model.py``. A broken file fails here, naming file and line.
"""
from __future__ import annotations

from claimcheck.rulebook.loader import (
    build_rulebook,
    default_rule_files,
    expand_paths,
    load_rule_files,
    load_rulebook,
    read_rule_files,
)
from claimcheck.rulebook.model import (
    Combo,
    CueRule,
    Joints,
    KindRule,
    RuleFiles,
    Rulebook,
    SegmentationRules,
    Signal,
    WorthRules,
)
from claimcheck.rulebook.reading import parse_toml, read_toml, shipped_rules_dir

__all__ = [
    "Combo",
    "CueRule",
    "Joints",
    "KindRule",
    "RuleFiles",
    "Rulebook",
    "SegmentationRules",
    "Signal",
    "WorthRules",
    "build_rulebook",
    "default_rule_files",
    "expand_paths",
    "load_rule_files",
    "load_rulebook",
    "parse_toml",
    "read_rule_files",
    "read_toml",
    "shipped_rules_dir",
]
