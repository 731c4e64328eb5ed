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
import re
from dataclasses import asdict, replace
from typing import Optional

from claimcheck.sources.http import FetchOptions, FetchResult, Validators, fetch
from claimcheck.files import write_atomically
from claimcheck.sources.names import printable_name, redact_url

_FORMAT = 1  # bump when the entry layout changes: older entries are then ignored
_ENTRY_LIMIT = 64_000_000  # an entry holds one page's text (at most --max-bytes, as UTF-8 JSON)
# The type each field of a stored page must have (FetchResult's fields).
_FIELDS: dict[str, tuple[type, ...]] = {
    "url": (str,), "final_url": (str,), "status": (int,), "content_type": (str, type(None)),
    "encoding": (str, type(None)), "text": (str,), "fetched_at": (str,), "etag": (str, type(None)),
    "last_modified": (str, type(None)),
}
# What an HTTP header value may hold: a validator with CR, LF or other controls cannot be sent.
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def _page_problem(page: object) -> Optional[str]:
    """Why a stored page cannot be used, or None when every field has its type."""
    if not isinstance(page, dict):
        return "no page in it"
    if set(page) != set(_FIELDS):
        return "fields missing or unknown"
    for name, types in _FIELDS.items():
        value = page[name]
        if not isinstance(value, types) or isinstance(value, bool):
            return f"{name} is {type(value).__name__}, not {' or '.join(t.__name__ for t in types if t is not type(None))}"
    for name in ("etag", "last_modified"):
        if page[name] is not None and not _HEADER_VALUE.fullmatch(page[name]):
            return f"{name} holds characters no HTTP header may carry"
    return None


def _damaged(path: str, why: str) -> str:
    return f"cache entry {printable_name(path)} is damaged ({why}); fetched the page again"


def check_directory(directory: str) -> Optional[str]:
    """Why ``directory`` cannot hold the cache (not a folder, cannot be made or written), or None."""
    import tempfile

    try:
        os.makedirs(directory, exist_ok=True)
        if not os.path.isdir(directory):
            return "not a directory"
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".probe")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot write there: {exc.strerror or exc}"
    return None


class PageCache:
    """Fetched pages in a directory, keyed by URL."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def path(self, url: str) -> str:
        """The entry's file: named by the URL without its credentials, which are never kept."""
        digest = hashlib.sha256(redact_url(url).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return os.path.join(self.directory, f"{digest}.json")

    def get(self, url: str) -> Optional[FetchResult]:
        """The cached copy of ``url``, or None (absent, unreadable, damaged or from another layout)."""
        return self.lookup(url)[0]

    def lookup(self, url: str) -> tuple[Optional[FetchResult], Optional[str]]:
        """(the cached copy of ``url`` or None, why an entry there was unusable or None).

        A damaged entry (not JSON, a field of the wrong type, a validator no header can carry)
        is a miss with a reason to warn about, never an error: the page is fetched again and
        its new copy replaces the entry.
        """
        path = self.path(url)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(_ENTRY_LIMIT + 1)
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, _damaged(path, f"unreadable: {exc.strerror or exc}")
        if len(raw) > _ENTRY_LIMIT:
            return None, _damaged(path, "too large")
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None, _damaged(path, "not JSON")
        if not isinstance(entry, dict):
            return None, _damaged(path, "not a JSON object")
        if entry.get("format") != _FORMAT or entry.get("url") != redact_url(url):
            return None, None  # another layout, or (a hash collision) another URL: a plain miss
        problem = _page_problem(entry.get("page"))
        if problem is not None:
            return None, _damaged(path, problem)
        return FetchResult(**entry["page"]), None

    def put(self, result: FetchResult) -> None:
        """Keep ``result`` (replacing any older copy); a cache that cannot be written is skipped."""
        page = asdict(result)
        del page["warnings"]  # said once, when they happened: never kept
        for name in ("etag", "last_modified"):
            if page[name] is not None and not _HEADER_VALUE.fullmatch(page[name]):
                page[name] = None  # a validator that could never be sent back is no validator
        entry = {"format": _FORMAT, "url": result.url, "page": page}
        write_atomically(self.path(result.url), json.dumps(entry, ensure_ascii=False).encode("utf-8"))


def fetch_cached(url: str, options: FetchOptions, cache: Optional[PageCache]) -> tuple[FetchResult, str]:
    """Fetch ``url`` through the cache: (the page, what the cache did).

    What the cache did is ``"off"`` (no cache), ``"new"`` (not cached before), ``"revalidated"``
    (a 304: the cached copy is used), ``"changed"`` (a 200 replaced the cached copy) or
    ``"refetched"`` (the copy had no validators, so the page was fetched whole again).
    """
    if cache is None:
        return fetch(url, options), "off"
    cached, problem = cache.lookup(url)
    if problem is not None:
        # Said once, with the page: the new copy replaces the damaged entry.
        result = fetch(url, options)
        cache.put(result)
        return replace(result, warnings=(f"{result.url}: {problem}",)), "refetched"
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
