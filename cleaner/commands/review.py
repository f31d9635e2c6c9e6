"""``cleaner review``: a local page where an editor fixes speakers and accepts or rejects
changes; every action is saved beside the input (``INPUT.review.yaml``).

The web stack (Starlette, uvicorn, Jinja2) is imported only when this command runs, so the
other commands do not pay for it at start-up."""

from __future__ import annotations

import argparse
import os
import sys
import threading

from ..config import complete_options
from ..errors import CleanerError
from ..read import FORMATS
from ..tidy import STYLES
from .clean import add_input_options, add_rule_options, add_speaker_options, options_from

HELP = "open a local review page: fix speakers, accept or reject changes, export"
EPILOG = """examples:
  cleaner review talk.txt
  cleaner review talk.txt --cast cast.yaml --media talk.mp3 --port 8765 --no-open

The page's address (with its secret token) is the first line printed. Every action is saved
to INPUT.review.yaml at once; reopening resumes it, and its 'overrides' list works with
cleaner clean --overrides. Ctrl-C stops the server.
"""


def add_parser(subparsers) -> None:
    """Register ``review`` and its options."""
    parser = subparsers.add_parser("review", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="transcript file to review")
    parser.add_argument("--media", metavar="AUDIO", default=None,
                        help="audio or video of the transcript: click a turn to play from its "
                             "time (default: none)")
    parser.add_argument("--port", type=int, default=0, metavar="N",
                        help="port on 127.0.0.1 (default: 0, a free one)")
    parser.add_argument("--no-open", action="store_true",
                        help="do not open a browser; only print the address (default: off)")
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="input format (default: detected from the content)")
    parser.add_argument("--style", choices=STYLES, default="clean",
                        help="verbatim, clean or edited, as for clean (default: clean)")
    add_input_options(parser)
    add_rule_options(parser)
    add_speaker_options(parser)


def run(args) -> int:
    """Serve the review until Ctrl-C; 0 when stopped."""
    if args.input == "-" or os.path.isdir(args.input):
        raise CleanerError("review works on one transcript file", args.input)
    if not 0 <= args.port <= 65535:
        raise CleanerError(f"--port must be 0-65535, not {args.port}")
    from ..review.app import make_server  # the web stack: only now
    from ..review.session import Session, acquire_lock, release_lock

    options = complete_options(options_from(args), args)
    lock = acquire_lock(args.input)
    try:
        session = Session(args.input, options, media=args.media, max_bytes=args.max_bytes)
        server, listener, url = make_server(session, args.port)
        print(url, flush=True)
        print(f"cleaner: reviewing {args.input}; every action is saved to {session.sidecar}; "
              "Ctrl-C stops", file=sys.stderr, flush=True)
        if not args.no_open:
            threading.Thread(target=_open, args=(url,), daemon=True).start()
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:  # uvicorn shuts down on Ctrl-C, then raises it again
            pass
        finally:
            listener.close()
            if session.history.done or os.path.exists(session.sidecar):
                session.save()
        print("cleaner: review stopped; saved", file=sys.stderr)
    finally:
        release_lock(lock)
    return 0


def _open(url: str) -> None:
    import webbrowser

    try:
        webbrowser.open(url)
    except Exception:  # no browser here: the printed address still works
        pass
