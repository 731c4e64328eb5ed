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


class AtomicFile:
    """A text file written under a temporary name in its folder and renamed into place by
    ``commit``: until then (and for good after ``discard``) the path shows what it held before."""

    def __init__(self, path: str, newline: str = "") -> None:
        import tempfile

        # Through a symbolic link to the file it names: the link itself stays a link.
        self.path = os.path.realpath(path)
        directory = os.path.dirname(self.path)
        handle, self.temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(self.path)}.", suffix=".part")
        try:
            os.fchmod(handle, _mode_for(self.path))
            self.stream = os.fdopen(handle, "w", encoding="utf-8", newline=newline)
        except BaseException:
            os.close(handle)
            os.unlink(self.temporary)
            raise

    def commit(self) -> None:
        """Close the file and put it in place (an OSError, and the file discarded, if that fails)."""
        try:
            self.stream.close()
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Close and remove the temporary file: the path keeps what it held."""
        try:
            self.stream.close()
        except OSError:
            pass  # the disk that refused the data may refuse the flush on close too
        try:
            os.unlink(self.temporary)
        except OSError:
            pass


def _mode_for(path: str) -> int:
    """The mode a plain open() would give: the replaced file's, or 0o666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def replaces_atomically(path: str) -> bool:
    """Whether path is a regular file or not there yet (a device, a FIFO or /dev/stdout is
    written in place: it cannot be renamed onto)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False
