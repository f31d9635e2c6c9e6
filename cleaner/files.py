"""File I/O at the edge: read inputs, write outputs atomically. Only the CLI calls this."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import CleanerError
from .read import decode


def read_input(path: str) -> tuple[str, str, bool]:
    """Read and decode an input file (``-`` is stdin): ``(text, encoding, bom)``."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise CleanerError("no such file", path) from None
        except IsADirectoryError:
            raise CleanerError("is a directory (give a file)", path) from None
        except OSError as error:
            raise CleanerError(f"cannot read: {error.strerror}", path) from None
    return decode(data, path)


def same_file(a: str, b: str) -> bool:
    """True when two paths name the same existing file (or the same path)."""
    if a == "-" or b == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def write_output(path: str, text: str) -> None:
    """Write text to ``path`` atomically (``-`` is stdout).

    The text goes to a temporary file in the target folder, which then replaces the target,
    so a crash midway leaves any previous output intact.
    """
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            if target.exists():
                os.chmod(temp, target.stat().st_mode & 0o777)
            else:
                os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CleanerError(f"cannot write: {error.strerror}", path) from None


def check_writable(path: str) -> None:
    """Refuse early, with a clear message, when ``path`` cannot be (re)written.

    An existing file without any write permission bit counts as read-only even for root,
    who could otherwise replace it: the owner marked it so on purpose.
    """
    target = Path(path)
    if target.is_dir():
        raise CleanerError("is a directory, expected a file", path)
    if target.exists():
        mode = target.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
            raise CleanerError("is read-only; left untouched", path)
    folder = target.parent if str(target.parent) else Path(".")
    if folder.exists() and not os.access(folder, os.W_OK):
        raise CleanerError(f"cannot write into folder {str(folder)!r}; left untouched", path)
