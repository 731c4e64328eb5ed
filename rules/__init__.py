"""claimcheck's rule files (TOML). This folder installs as the package ``claimcheck.rules``."""
