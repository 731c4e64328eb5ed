"""claimcheck: a claim ledger for news articles."""
from __future__ import annotations

from claimcheck.version import __version__

__all__ = ["__version__", "analyze", "analyze_text"]


def __getattr__(name: str):
    # Imported lazily so that `claimcheck --version` does not pay for nltk.
    if name in ("analyze", "analyze_text"):
        from claimcheck import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
