"""A page cache for ``--cache DIR``: fetched pages kept with their validators, revalidated.

Each URL is one JSON file in DIR (named by a hash of the URL) holding the decoded page and the
server's ETag and Last-Modified. A later fetch of the URL sends them back (If-None-Match,
If-Modified-Since): a 304 means the copy is current and no body crosses the network; a 200
means the page changed, and its new copy replaces the old. Files are written whole (a temporary
file, then a rename), so concurrent fetches and interrupted runs never leave half an entry.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, replace
from typing import Optional

from claimcheck.sources.http import FetchOptions, FetchResult, Validators, fetch
from claimcheck.files import write_atomically
from claimcheck.sources.names import redact_url

_FORMAT = 1  # bump when the entry layout changes: older entries are then ignored


class PageCache:
    """Fetched pages in a directory, keyed by URL."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def path(self, url: str) -> str:
        """The entry's file: named by the URL without its credentials, which are never kept."""
        digest = hashlib.sha256(redact_url(url).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return os.path.join(self.directory, f"{digest}.json")

    def get(self, url: str) -> Optional[FetchResult]:
        """The cached copy of ``url``, or None (absent, unreadable, or from another layout)."""
        try:
            with open(self.path(url), encoding="utf-8") as handle:
                entry = json.load(handle)
            if entry.get("format") != _FORMAT or entry.get("url") != redact_url(url):
                return None
            return FetchResult(**entry["page"])
        except (OSError, ValueError, TypeError, KeyError):
            return None  # a broken entry is a miss, never an error

    def put(self, result: FetchResult) -> None:
        """Keep ``result`` (replacing any older copy); a cache that cannot be written is skipped."""
        entry = {"format": _FORMAT, "url": result.url, "page": asdict(result)}
        write_atomically(self.path(result.url), json.dumps(entry, ensure_ascii=False).encode("utf-8"))


def fetch_cached(url: str, options: FetchOptions, cache: Optional[PageCache]) -> tuple[FetchResult, str]:
    """Fetch ``url`` through the cache: (the page, what the cache did).

    What the cache did is ``"off"`` (no cache), ``"new"`` (not cached before), ``"revalidated"``
    (a 304: the cached copy is used), ``"changed"`` (a 200 replaced the cached copy) or
    ``"refetched"`` (the copy had no validators, so the page was fetched whole again).
    """
    if cache is None:
        return fetch(url, options), "off"
    cached = cache.get(url)
    validators = Validators(cached.etag, cached.last_modified) if cached is not None else None
    if validators is not None and not validators.headers():
        validators = None
    result = fetch(url, options, validators)
    if result.status == 304 and cached is not None:
        fresh = replace(
            cached,
            fetched_at=result.fetched_at,
            etag=result.etag or cached.etag,
            last_modified=result.last_modified or cached.last_modified,
        )
        cache.put(fresh)
        return fresh, "revalidated"
    cache.put(result)
    if cached is None:
        return result, "new"
    return result, "changed" if validators is not None else "refetched"
