"""Readers: one module per input format, each turning text into a ``Transcript``.

``read_text`` picks the reader from the content (or the ``fmt`` the user forces);
``decode`` turns raw bytes into text and remembers how, so the bytes can be rebuilt.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from collections.abc import Callable

import regex

from ..errors import CleanerError
from ..model import Transcript
from . import plain, podcast_json, published, seed, srt, vtt, whisper_json
from .lines import split_lines
from .sniff import not_a_transcript
from .timing import with_inline_times

READERS: dict[str, Callable[[list[str], list[str], str | None], Transcript]] = {
    "seed": seed.parse,
    "plain": plain.parse,
    "srt": srt.parse,
    "vtt": vtt.parse,
    "whisper-json": whisper_json.parse,
    "podcast-json": podcast_json.parse,
    "published": published.parse,
}

FORMATS = tuple(READERS)


def register(name: str, parse: Callable[[list[str], list[str], str | None], Transcript]) -> None:
    """Add a reader (used by later stages that bring their own input format)."""
    READERS[name] = parse


def detect_format(text: str) -> str:
    """Guess the input format from the content alone."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return "podcast-json" if podcast_json.looks_like(stripped) else "whisper-json"
    if stripped.startswith("WEBVTT"):
        return "vtt"
    lines = [line for line in split_lines(stripped)[0][:6] if line.strip()]
    # A cue number, then a line with an arrow: SRT, even when that timing is broken (the SRT
    # reader then reads that cue without times and says so, instead of the cue number and
    # timing being read as plain text).
    if len(lines) >= 2 and lines[0].strip().isdigit() and "-->" in lines[1]:
        return "srt"
    for name, probe in _PROBES:
        if probe(text):
            return name
    if plain.looks_like_ours(text):  # our own Markdown output: title, source line, labels
        return "plain"
    if seed.looks_like(text):
        return "seed"
    return "plain"


# Readers added later (e.g. the published-transcript layout) can add a content probe here.
_PROBES: list[tuple[str, Callable[[str], bool]]] = []


def register_probe(name: str, probe: Callable[[str], bool]) -> None:
    """Let a registered reader claim inputs that look like its format."""
    _PROBES.append((name, probe))


register_probe("published", published.looks_like)


def read_text(text: str, path: str | None = None, fmt: str | None = None) -> Transcript:
    """Parse decoded text into a ``Transcript`` with the given or detected reader."""
    if fmt is None:
        fmt = detect_format(text)
    if fmt not in READERS:
        raise CleanerError(f"unknown input format {fmt!r} (choose from {', '.join(READERS)})", path)
    lines, newlines = split_lines(text)
    transcript = READERS[fmt](lines, newlines, path)
    timed = with_inline_times(list(transcript.segments))  # "[08:01]" in the text
    if timed != list(transcript.segments):
        transcript = replace(transcript, segments=tuple(timed))
    return transcript


def decode(data: bytes, path: str | None = None) -> tuple[str, str, bool]:
    """Decode input bytes; return ``(text, encoding, bom)``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such; text that is not
    valid UTF-8 but is valid cp1252 (Windows "smart quotes") is read as cp1252. Anything
    else, and text with NUL bytes, is refused as binary; a file whose first bytes say what
    else it is (a PDF, a Word file, an image, ...) is refused saying so.
    """
    what = not_a_transcript(data)
    if what:
        raise CleanerError(what, path)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", path), "utf-8", True
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode(data[2:], encoding, path), encoding, True
    if b"\x00" in data:
        hint = " (UTF-16 without a byte-order mark? save it as UTF-8)" if _utf16ish(data) else ""
        raise CleanerError(f"binary file (contains NUL bytes), not a transcript{hint}", path)
    try:
        return _refuse_control(data.decode("utf-8"), path), "utf-8", False
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise CleanerError(
                f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}) and not cp1252 text",
                path,
                line,
            ) from None
        return _refuse_control(text, path), "cp1252", False


def _utf16ish(data: bytes) -> bool:
    """True when NUL bytes sit in every other position, as in BOM-less UTF-16 text."""
    sample = data[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > 0.9 * len(sample[1::2])
                                 or sample[0::2].count(0) > 0.9 * len(sample[0::2]))


def _decode(data: bytes, encoding: str, path: str | None) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise CleanerError(f"not valid {encoding}: {error.reason}", path) from None
    return _refuse_control(text, path)


_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
BINARY_SAMPLE = 65536  # characters looked at to tell binary data from text
BINARY_SHARE = 0.01  # more control characters than this share of the sample: binary


def _refuse_control(text: str, path: str | None) -> str:
    if "\x00" in text:
        raise CleanerError("binary file (contains NUL characters), not a transcript", path)
    sample = text[:BINARY_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, BINARY_SHARE * len(sample)):
        raise CleanerError(f"binary file ({controls} control characters in the first "
                           f"{len(sample)}), not a transcript", path)
    return text


def encode(text: str, encoding: str, bom: bool) -> bytes:
    """Inverse of ``decode``: the exact bytes for ``text``."""
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
                "utf-16-be": codecs.BOM_UTF16_BE}[encoding] + data
    return data
