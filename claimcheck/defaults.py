"""Limits and defaults, in one place: the command line's option defaults and the library's.

Nothing here imports anything, so ``claimcheck --help`` can read these without loading the pipeline.
"""
from __future__ import annotations

MAX_BYTES = 10_000_000  # largest source read: a file, stdin, or a page body after decompression
FILE_LIMIT = 10_000_000  # a list or gold file larger than this is surely not one
TIMEOUT = 30.0  # seconds for the whole fetch of one URL, connecting to the last byte
MAX_TIMEOUT = 86_400.0  # a day: a larger --timeout is surely a mistake (and inf or nan never a bound)
JOBS = 4  # sources worked on at once
PER_HOST = 2  # concurrent requests to one host
