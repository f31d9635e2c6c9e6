"""File I/O at the edge: read inputs, write outputs atomically. Only the CLI calls this."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import CleanerError
from .read import decode
from .remote import is_url

# 16 MiB: about 270 times a one-hour episode's transcript (the seed is 62 kB), and still
# cleaned in well under a minute on one core. A bigger file is far more likely a mistake
# (a media file, a log) than a transcript; --max-bytes raises or (0) lifts the limit.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
BACKUP_SUFFIX = ".bak"


def read_raw(path: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input file (``-`` is stdin), refusing more than ``max_bytes``.

    ``max_bytes`` of ``None`` or ``0`` means no limit. At most ``max_bytes + 1`` bytes are
    read, so a huge file is refused without being loaded.
    """
    limit = max_bytes or None
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1) if limit else sys.stdin.buffer.read()
    else:
        try:
            stream, size = _open_input(path)
            with stream:
                if limit and size is not None and size > limit:
                    raise CleanerError(_too_big(size, limit), path)
                data = stream.read(limit + 1) if limit else stream.read()
        except FileNotFoundError:
            raise CleanerError("no such file", path) from None
        except IsADirectoryError:
            raise CleanerError("is a directory (give a file)", path) from None
        except OSError as error:
            raise CleanerError(f"cannot read: {error.strerror or error}", path) from None
    if limit and len(data) > limit:
        raise CleanerError(_too_big(None, limit), path)
    return data


def _open_input(path: str):
    """An open binary stream of a file or URL, and its size in bytes (None: unknown)."""
    if is_url(path):
        from .remote import open_input

        return open_input(path)
    stream = open(path, "rb")
    return stream, os.fstat(stream.fileno()).st_size


def _too_big(size: int | None, limit: int) -> str:
    what = f"{size:,} bytes, over" if size is not None else "larger than"
    return (f"input is {what} the --max-bytes limit of {limit:,} bytes "
            "(raise it, or give --max-bytes 0 for no limit)")


def read_input(path: str, max_bytes: int | None = None) -> tuple[str, str, bool]:
    """Read and decode an input file (``-`` is stdin): ``(text, encoding, bom)``."""
    return decode(read_raw(path, max_bytes), path)


def parse_size(text: str) -> int:
    """A byte count such as ``16777216``, ``500k``, ``16M`` or ``1G`` (binary units)."""
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    value = text.strip().lower().removesuffix("b").removesuffix("i")
    unit = value[-1:] if value[-1:] in "kmg" else ""
    number = value[: len(value) - len(unit)]
    if not number.isdigit():
        raise ValueError(f"not a size: {text!r} (use bytes, or a k, M or G suffix)")
    return int(number) * units[unit]


def same_file(a: str, b: str) -> bool:
    """True when two paths name the same existing file (or the same path)."""
    if a == "-" or b == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def write_output(path: str, text: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to ``path`` atomically (``-`` is stdout)."""
    write_outputs([(path, text)])


def write_outputs(outputs: Sequence[tuple[str, str | bytes]]) -> None:
    """Write several outputs (text as UTF-8, or bytes), each atomically, and none unless all
    can be written.

    Every file's text first goes to a temporary file in its target folder (flushed to disk);
    only when all are complete do they replace their targets, so a crash or a full disk
    midway leaves every previous output intact and no temporary file behind. ``-`` is
    stdout, written last. URLs (``s3://...``) are written whole after the local files are
    staged and before they replace their targets (see ``remote.py``).
    """
    staged: list[tuple[str, str]] = []  # (temporary file, target)
    urls: list[tuple[str, bytes]] = []
    try:
        for path, text in outputs:
            data = text.encode("utf-8") if isinstance(text, str) else text
            if is_url(path):
                urls.append((path, data))
            elif path != "-":
                staged.append((_stage(path, data), path))
        if urls:
            from .remote import write_all

            write_all(urls)
        while staged:
            temp, path = staged[0]
            try:
                os.replace(temp, path)
            except OSError as error:
                raise CleanerError(f"cannot write: {error.strerror}", path) from None
            staged.pop(0)
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
    for path, text in outputs:
        if path == "-" and isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        elif path == "-":
            sys.stdout.write(text)
            sys.stdout.flush()


def write_backup(path: str, data: bytes, suffix: str = BACKUP_SUFFIX) -> str:
    """Save ``data`` (the input's original bytes) as ``path + suffix``; return that path.

    An existing backup is never replaced: it may be the only copy of an earlier original.
    """
    backup = path + suffix
    temp = _stage(backup, data)
    try:
        try:
            os.link(temp, backup)  # atomic, and fails if the backup already exists
        except FileExistsError:
            raise CleanerError(f"backup {backup} already exists; move it away first "
                               "(it may hold an earlier original)", path) from None
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise CleanerError(f"cannot write backup: {error.strerror}", backup) from None
            if os.path.lexists(backup):  # no hard links here: check, then rename
                raise CleanerError(f"backup {backup} already exists; move it away first "
                                   "(it may hold an earlier original)", path) from None
            os.replace(temp, backup)
    finally:
        Path(temp).unlink(missing_ok=True)
    return backup


def _stage(path: str, data: bytes) -> str:
    """Write ``data`` to a new temporary file beside ``path``; return the temporary's path."""
    target = Path(path)
    if target.is_dir():  # found now, before any output replaces its target
        raise CleanerError("is a folder, not a file: give a file name", path)
    folder = target.parent if str(target.parent) else Path(".")
    temp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temp, mode)
        return temp
    except BaseException as error:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CleanerError(f"cannot write: {error.strerror}", path) from None
        raise


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
