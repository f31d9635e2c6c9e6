"""Command line: arguments in, the library API called, an exit code out.

Exit codes are the same for every subcommand: 0 success, 1 findings, 2 a usage, input,
rule or config error (printed as one line, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from . import commands
from .config import apply_config, discover, given_dests
from .errors import CleanerError, InternalError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: exit 2, one line
        self.print_usage(sys.stderr)
        raise SystemExit(f"cleaner: error: {message}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand; with ``only``, just that one is complete
    (the others are listed with their help), so only its module is imported."""
    parser = _Parser(prog="cleaner", description="Clean ASR transcripts: fix known errors, "
                     "guess speakers, report every change.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="read settings from this cleaner.toml or pyproject.toml "
                             "(default: the nearest one from the working directory up)")
    parser.add_argument("--no-config", action="store_true",
                        help="ignore configuration files (default: off)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in commands.NAMES:
        if only in (None, name):
            commands.load(name).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=commands.HELPS[name])
    return parser


def chosen_command(argv: list[str] | None) -> str | None:
    """The subcommand named in ``argv`` after the global options, or None when that is not
    plain to see (help, version, an abbreviated option): then every command is loaded."""
    words = sys.argv[1:] if argv is None else argv
    index = 0
    while index < len(words):
        if words[index] == "--config":
            index += 2
        elif words[index] == "--no-config" or words[index].startswith("--config="):
            index += 1
        else:
            break
    return words[index] if index < len(words) and words[index] in commands.NAMES else None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script passes it to ``sys.exit``)."""
    only = chosen_command(argv)
    parser = build_parser(only)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
            return EXIT_ERROR
        return EXIT_OK if not exit_.code else EXIT_ERROR
    handler = commands.load(_module_name(args))
    try:
        config = discover(args.config, args.no_config)
        apply_config(args, config, given_dests(build_parser(only), argv))
        return handler.run(args)
    except CleanerError as error:
        print(f"cleaner: error: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except InternalError as error:
        print(f"cleaner: internal error (nothing written): {_one_line(str(error))}",
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # our own bug: still one line and exit 2, never a traceback
        if os.environ.get("CLEANER_DEBUG"):
            raise
        print(f"cleaner: internal error: {type(error).__name__}: {_one_line(str(error))} "
              "(outputs are replaced only when complete; CLEANER_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_ERROR


def _one_line(message: str) -> str:
    """A message on one line, whatever a file name or YAML error put in it."""
    return " ".join(message.splitlines()) if "\n" in message or "\r" in message else message


def _module_name(args) -> str:
    return getattr(args, "command_module", None) or args.command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
