"""Writing files so that a reader never sees half of one."""
from __future__ import annotations

import os


def write_atomically(path: str, payload: bytes, mode: int = 0o777) -> bool:
    """Replace the file at path with payload all at once (a temporary file, then a rename),
    making its folder (with mode) if need be; False, and nothing left behind, when it cannot."""
    import tempfile

    directory = os.path.dirname(path)
    temporary = None
    try:
        os.makedirs(directory, mode=mode, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
        temporary = None
        return True
    except OSError:
        return False  # the caller decides: a cache skips it, an output file reports it
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
