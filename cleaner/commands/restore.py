"""``cleaner restore``: rebuild the exact original input from a JSON output."""

from __future__ import annotations

import argparse
import json

from . import HELPS
from ..errors import CleanerError
from ..files import read_raw, same_file, write_output
from ..restore import restore_bytes

HELP = HELPS["restore"]
EPILOG = """examples:
  cleaner clean talk.txt -o talk.json && cleaner restore talk.json -o talk.original.txt
  cleaner restore talk.json | cmp - talk.txt
"""


def add_parser(subparsers) -> None:
    """Register ``restore`` and its options."""
    parser = subparsers.add_parser(
        "restore", help=HELP, description=HELP[0].upper() + HELP[1:] + ".", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("document", metavar="OUTPUT.json",
                        help="a JSON output of 'cleaner clean', or - for stdin")
    parser.add_argument("-o", "--output", default="-",
                        help="where to write the original bytes (default: - for stdout)")


def run(args) -> int:
    """Restore one document; 0 on success."""
    if same_file(args.output, args.document):
        raise CleanerError("refusing to write over the JSON document", args.output)
    raw = read_raw(args.document, None)
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CleanerError("not UTF-8 JSON", args.document) from None
    except json.JSONDecodeError as error:
        raise CleanerError(f"invalid JSON: {error.msg}", args.document, error.lineno,
                           error.colno) from None
    if not isinstance(document, dict) or not str(document.get("schema", "")).startswith(
            "cleaner/transcript@"):
        raise CleanerError("not a cleaner JSON output (no 'schema': 'cleaner/transcript@1')",
                           args.document)
    try:
        data = restore_bytes(document)
    except CleanerError as error:
        raise CleanerError(error.message, args.document) from None
    write_output(args.output, data)
    return 0
