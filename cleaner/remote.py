"""Files behind fsspec URLs (``s3://``, ``gs://``, ``memory://``...), at the edge like ``files.py``.

Batch runs on a Dask cluster read and write where every worker can reach, which is rarely one
machine's disk. fsspec is imported only when a URL is met (it comes with ``cleaner[dask]``).
A URL on the local filesystem (``file://``) becomes its plain path (``local``), so local
files keep one code path: atomic writes, symlink checks, the same folder walk. Everything
else here handles the other filesystems, where a file is written whole in one call (an
object store's upload is all or nothing) and no temporary file is needed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from typing import Any

from .errors import CleanerError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
EXTRA_HINT = "pip install 'cleaner[dask]'"


def is_url(path: str | None) -> bool:
    """True for ``protocol://...`` (a Windows drive such as ``C:\\`` is not one)."""
    return bool(path) and bool(_URL.match(str(path)))


def local(path: str) -> str:
    """``path`` itself, or the plain path of a URL on the local filesystem (``file://``)."""
    if not is_url(path):
        return path
    fs, inner = filesystem(path)
    if "local" in _protocols(fs):
        trailing = "/" if path.endswith("/") and not inner.endswith("/") else ""
        return inner + trailing
    return path


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it (a one-line error if unknown)."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise CleanerError(f"URLs need fsspec: {EXTRA_HINT}", url) from None
    try:
        return url_to_fs(url)
    except ImportError as error:  # fsspec knows the protocol, its backend is not installed
        raise CleanerError(f"cannot open this URL: {_one_line(error)}", url) from None
    except (ValueError, OSError) as error:
        raise CleanerError(f"cannot open this URL: {_one_line(error)}", url) from None


def is_folder(url: str) -> bool:
    """True when ``url`` names a folder (a prefix with files under it, on object stores)."""
    fs, path = filesystem(url)
    return _call(url, fs.isdir, path)


def exists(url: str) -> bool:
    """True when ``url`` names a file or folder."""
    fs, path = filesystem(url)
    return _call(url, fs.exists, path)


def walk(url: str, wanted: tuple[str, ...], skipped: Sequence[str]) -> Iterator[str]:
    """The files under the folder ``url`` with one of the ``wanted`` extensions, sorted.

    Hidden files and folders are left out, as in a local walk, and so is anything under one
    of the ``skipped`` URLs (an output folder inside the input one). Each URL starts with
    ``url`` as given, so failures name files the way the user does.
    """
    fs, root = filesystem(url)
    root = root.rstrip("/")
    skips = [filesystem(s)[1].rstrip("/") + "/" for s in skipped if is_url(s)]
    for found in sorted(_call(url, fs.find, root)):
        relative = posixpath.relpath(found, root)
        parts = relative.split("/")
        if (any(part.startswith(".") for part in parts) or relative.startswith("..")
                or not parts[-1].lower().endswith(wanted)
                or any((found + "/").startswith(skip) for skip in skips)):
            continue
        yield url.rstrip("/") + "/" + relative  # spelled as given: s3://bucket/dir/a.md


def glob(pattern: str) -> list[str]:
    """The URLs a glob URL (``s3://bucket/**/*.md``) matches, sorted."""
    fs, path = filesystem(pattern)
    return [fs.unstrip_protocol(found) for found in sorted(_call(pattern, fs.glob, path))]


def relative(url: str, root: str) -> str | None:
    """``url``'s path under the folder ``root`` (forward slashes), or None when not under it
    (or when it is ``root`` itself)."""
    path, base = filesystem(url)[1], filesystem(root)[1].rstrip("/")
    rel = posixpath.normpath(posixpath.relpath(path, base))
    outside = rel in (".", "..") or rel.startswith("../") or rel.startswith("/")
    return None if outside else rel


def join(folder: str, rel: str) -> str:
    """The URL of ``rel`` (a relative path with forward slashes) inside the folder URL."""
    clean = posixpath.normpath(rel)
    if clean.startswith("..") or clean.startswith("/") or clean == ".":
        raise CleanerError("output path would leave the output folder", f"{folder}/{rel}")
    return folder.rstrip("/") + "/" + clean


def open_input(url: str):
    """An open binary stream of the file at ``url``, and its size (None when unknown)."""
    fs, path = filesystem(url)
    if _call(url, fs.isdir, path):
        raise IsADirectoryError(url)
    size = fs.size(path)
    return fs.open(path, "rb"), size


def read_head(url: str, count: int) -> bytes:
    """The first ``count`` bytes of a file, or nothing when it cannot be read."""
    try:
        fs, path = filesystem(url)
        with fs.open(path, "rb") as stream:
            return stream.read(count)
    except (OSError, CleanerError):
        return b""


def write_all(outputs: Sequence[tuple[str, bytes]]) -> None:
    """Write each ``(url, bytes)`` whole, in one call per file."""
    for url, data in outputs:
        fs, path = filesystem(url)
        if _call(url, fs.isdir, path):
            raise CleanerError("is a folder, not a file: give a file name", url)
        parent = posixpath.dirname(path)
        try:
            if parent:
                fs.makedirs(parent, exist_ok=True)
            fs.pipe_file(path, data)
        except OSError as error:
            raise CleanerError(f"cannot write: {_one_line(error)}", url) from None


def _call(url: str, method, *args):
    try:
        return method(*args)
    except FileNotFoundError:
        raise CleanerError("no such file or folder", url) from None
    except OSError as error:
        raise CleanerError(f"cannot reach: {_one_line(error)}", url) from None


def _protocols(fs) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
