"""The version of claimcheck: a module of its own that imports nothing, so that any module
may name the version without importing the package's entry points."""

__version__ = "0.1.0"
