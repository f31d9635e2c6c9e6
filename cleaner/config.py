"""Configuration files: ``cleaner.toml``, or ``[tool.cleaner]`` in ``pyproject.toml``.

The nearest one is found by walking up from the working directory (a ``pyproject.toml``
without a ``[tool.cleaner]`` table is skipped, as ruff does; in one folder ``cleaner.toml``
comes first). Its settings fill in options the command line did not give: command-line
options always win. An unknown key or a bad value is an error naming the key and the file.
"""

from __future__ import annotations

import argparse
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import CleanerError

CONFIG_NAMES = ("cleaner.toml", "pyproject.toml")
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Setting:
    """One config key: the option it sets (argparse ``dest``), how to check its value, and
    whether it holds paths (resolved against the config file's folder)."""

    dest: str
    check: Callable[[Any], Any]
    paths: bool = False
    help: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded configuration: where it came from and its checked values by ``dest``."""

    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a list of non-empty strings")
    return list(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _level(value: Any) -> str:
    if value not in LEVELS:
        raise ValueError(f"must be one of {', '.join(LEVELS)}")
    return value


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return float(value)


def _jobs(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number, 0 for one per CPU")
    return value


def _bytes(value: Any) -> int:
    from .files import parse_size

    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        return parse_size(value)
    raise ValueError("must be a byte count such as 16777216 or \"16M\" (0: no limit)")


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value
    return check


def _input_format(value: Any) -> str:
    from .read import FORMATS

    return _one_of(*FORMATS)(value)


def _output_format(value: Any) -> str:
    from .render.findings import FORMAT_NAMES

    return _one_of(*FORMAT_NAMES)(value)


SETTINGS: dict[str, Setting] = {
    "rules": Setting("rules", _strings, paths=True, help="extra rule packs"),
    "no-default-rules": Setting("no_default_rules", _boolean, help="skip the shipped packs"),
    "disable": Setting("disable", _strings, help="rule ids to switch off"),
    "cast": Setting("cast", _string, paths=True, help="cast file"),
    "style": Setting("style", _one_of("verbatim", "clean", "edited"), help="tidy style"),
    "punctuate": Setting("punctuate", _one_of("auto", "always", "never"),
                         help="restore punctuation and capitals"),
    "keep-hallucinations": Setting("keep_hallucinations", _boolean,
                                   help="flag loops instead of removing them"),
    "review-below": Setting("review_below", _fraction, help="review confidence threshold"),
    "mark-review": Setting("mark_review", _boolean,
                           help="write review marks into md, txt and html output"),
    "fail-on": Setting("fail_on", _level, help="lowest severity that fails a check"),
    "output-format": Setting("findings_format", _output_format, help="check output format"),
    "baseline": Setting("baseline", _string, paths=True, help="baseline file for check"),
    "jobs": Setting("jobs", _jobs, help="worker processes"),
    "from": Setting("input_format", _input_format, help="input format"),
    "exclude": Setting("exclude", _strings, help="glob patterns to skip in folders"),
    "extensions": Setting("extensions", _strings, help="file extensions to take from folders"),
    "max-bytes": Setting("max_bytes", _bytes, help="largest input accepted, in bytes"),
}


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest config file from ``start`` (default: the working directory) upward."""
    folder = Path(start or os.getcwd()).resolve()
    for directory in (folder, *folder.parents):
        own = directory / "cleaner.toml"
        if own.is_file():
            return own
        project = directory / "pyproject.toml"
        if project.is_file() and _has_tool_table(project):
            return project
    return None


def load_config(path: str | Path) -> Config:
    """Read and check a config file (``cleaner.toml`` keys at the top level, a
    ``pyproject.toml`` under ``[tool.cleaner]``)."""
    path = Path(path)
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CleanerError("config file not found", shown) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CleanerError(f"cannot read config file: {error}", shown) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, col = _toml_position(str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise CleanerError(f"invalid TOML: {message}", shown, line, col) from None
    table_name = "[tool.cleaner]" if path.name == "pyproject.toml" else None
    table = document.get("tool", {}).get("cleaner", {}) if table_name else document
    if not isinstance(table, dict):
        raise CleanerError("[tool.cleaner] must be a table", shown)
    values: dict[str, Any] = {}
    for key, value in table.items():
        setting = SETTINGS.get(key)
        where = (shown, _key_line(text, key, table_name))
        if setting is None:
            raise CleanerError(f"unknown config key {key!r} (allowed: {', '.join(sorted(SETTINGS))})",
                               *where)
        try:
            checked = setting.check(value)
        except ValueError as error:
            raise CleanerError(f"config key {key!r} {error}", *where) from None
        if setting.paths:
            checked = ([_resolve(path.parent, item) for item in checked]
                       if isinstance(checked, list) else _resolve(path.parent, checked))
        values[setting.dest] = checked
    return Config(path=shown, values=values)


def discover(explicit: str | None = None, disabled: bool = False) -> Config:
    """The config in force: a named file, else the nearest one, else none."""
    if disabled:
        return Config()
    if explicit:
        return load_config(explicit)
    found = find_config()
    return load_config(found) if found else Config()


def apply_config(args: argparse.Namespace, config: Config, given: set[str]) -> argparse.Namespace:
    """Fill in ``args`` from the config, except options given on the command line.

    Settings the command has no option for are kept in ``args.config_extra`` so that
    ``complete_options`` can pass them to the pipeline (e.g. ``cast`` on a command
    without ``--cast``).
    """
    extra: dict[str, Any] = {}
    for dest, value in config.values.items():
        if dest in given:
            continue
        if hasattr(args, dest):
            setattr(args, dest, value)
        else:
            extra[dest] = value
    args.config_extra = extra
    args.config_path = config.path
    return args


def complete_options(options, args: argparse.Namespace):
    """Pass config settings the command has no flag for to ``Options``: as a field when
    ``Options`` has one, else in ``Options.extra``."""
    extra = getattr(args, "config_extra", None) or {}
    names = {f.name for f in fields(options)}
    pipeline_keys = {"cast", "style", "keep_hallucinations", "review_below", "input_format",
                     "mark_review", "punctuate"}
    direct = {k: v for k, v in extra.items() if k in names and k in pipeline_keys}
    rest = {k: v for k, v in extra.items() if k not in names and k in pipeline_keys}
    if direct:
        options = replace(options, **direct)
    if rest:
        options = replace(options, extra={**options.extra, **rest})
    return options


def with_setting(options, name: str, value: Any):
    """``Options`` with one pipeline setting: its field when it has one, else in ``extra``."""
    if value is None:
        return options
    if name in {f.name for f in fields(options)}:
        return replace(options, **{name: value})
    return replace(options, extra={**options.extra, name: value})


def given_dests(parser: argparse.ArgumentParser, argv: list[str] | None) -> set[str]:
    """The ``dest`` of every option the command line actually gave.

    Parses ``argv`` again with every default suppressed, so an option left at its
    default is told apart from one given explicitly (even when given the default value).
    """
    _suppress_defaults(parser)
    try:
        namespace = parser.parse_args(argv)
    except SystemExit:  # the real parse succeeded, so this does not happen
        return set()
    return set(vars(namespace))


def _suppress_defaults(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _suppress_defaults(sub)
        elif action.dest not in ("help", "version"):
            action.default = argparse.SUPPRESS
    parser._defaults = {}


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    if "cleaner" not in text:
        return False
    try:
        return "cleaner" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        # A broken pyproject.toml that mentions [tool.cleaner] is ours to report.
        return bool(re.search(r"^\s*\[\s*tool\s*\.\s*cleaner\s*[\].]", text, re.M))


def _key_line(text: str, key: str, table: str | None) -> int | None:
    lines = text.splitlines()
    start = 0
    if table:
        header = re.compile(r"^\s*\[\s*tool\s*\.\s*cleaner\s*\]")
        start = next((n for n, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*[=.]")
    for number in range(start, len(lines)):
        if pattern.match(lines[number]):
            return number + 1
    return None


def _toml_position(message: str) -> tuple[int | None, int | None]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def _resolve(folder: Path, value: str) -> str:
    candidate = Path(value).expanduser()
    if not candidate.is_absolute():
        candidate = folder / candidate
    return _shown(candidate)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is under it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)
