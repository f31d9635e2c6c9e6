"""Tell files that are not transcripts by their first bytes (magic numbers), before decoding.

A PDF or Word file handed to ``clean`` by mistake deserves a message that says what it is and
what to do, not "binary file" (or worse: an all-ASCII PDF read as plain text and "cleaned").
Only signatures no transcript can start with are listed.
"""

from __future__ import annotations

DOCUMENT = "export its text (as .txt, .srt or .vtt) first"
IMAGE = "give the transcript as text (.txt, .md, .srt, .vtt or .json)"
MEDIA = "transcribe it first, then clean the transcript"
ARCHIVE = "unpack it first (a folder of transcripts can be cleaned at once)"

# ((offset, bytes), ...) that must all match, what the file is, what to do. First match wins.
SIGNATURES: tuple[tuple[tuple[tuple[int, bytes], ...], str, str], ...] = (
    (((0, b"%PDF-"),), "a PDF document", DOCUMENT),
    (((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),), "a Word (.doc) or other Office document",
     DOCUMENT),
    (((0, b"{\\rtf"),), "an RTF document", DOCUMENT),
    (((0, b"PK\x03\x04"),), "a zip archive", ARCHIVE),
    (((0, b"PK\x05\x06"),), "a zip archive", ARCHIVE),  # an empty one
    (((0, b"\x1f\x8b"),), "a gzip archive", ARCHIVE),
    (((0, b"7z\xbc\xaf\x27\x1c"),), "a 7-Zip archive", ARCHIVE),
    (((0, b"Rar!\x1a\x07"),), "a RAR archive", ARCHIVE),
    (((0, b"\x89PNG\r\n\x1a\n"),), "a PNG image", IMAGE),
    (((0, b"\xff\xd8\xff"),), "a JPEG image", IMAGE),
    (((0, b"GIF87a"),), "a GIF image", IMAGE),
    (((0, b"GIF89a"),), "a GIF image", IMAGE),
    (((0, b"RIFF"), (8, b"WEBP")), "a WebP image", IMAGE),
    (((0, b"II*\x00"),), "a TIFF image", IMAGE),
    (((0, b"MM\x00*"),), "a TIFF image", IMAGE),
    (((0, b"\x00\x00\x00"), (4, b"ftypheic")), "a HEIC image", IMAGE),
    (((0, b"\x00\x00\x00"), (4, b"ftypavif")), "an AVIF image", IMAGE),
    (((0, b"RIFF"), (8, b"WAVE")), "a WAV audio file", MEDIA),
    (((0, b"ID3\x02"),), "an MP3 audio file", MEDIA),
    (((0, b"ID3\x03"),), "an MP3 audio file", MEDIA),
    (((0, b"ID3\x04"),), "an MP3 audio file", MEDIA),
    (((0, b"fLaC"),), "a FLAC audio file", MEDIA),
    (((0, b"OggS\x00"),), "an Ogg audio file", MEDIA),
    (((0, b"\x00\x00\x00"), (4, b"ftyp")), "an MP4 audio or video file", MEDIA),
    (((0, b"\x1aE\xdf\xa3"),), "a Matroska or WebM video file", MEDIA),
)

# A zip holding one of these is an office document: say which.
ZIPPED = ((b"word/document", "a Word document (.docx)"),
          (b"opendocument.text", "an OpenDocument text (.odt)"),
          (b"application/epub+zip", "an EPUB book"),
          (b"xl/workbook", "an Excel workbook (.xlsx)"),
          (b"ppt/presentation", "a PowerPoint file (.pptx)"))


def not_a_transcript(data: bytes) -> str | None:
    """What ``data`` is, and what to do, when its first bytes say it is no transcript."""
    for parts, what, advice in SIGNATURES:
        if all(data.startswith(signature, offset) for offset, signature in parts):
            if what == "a zip archive":
                what, advice = next(((name, DOCUMENT) for marker, name in ZIPPED
                                     if marker in data), (what, advice))
            return f"{what}, not a transcript: {advice}"
    return None
