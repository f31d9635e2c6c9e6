"""``cleaner rules test|lint|list``: tools for the people who write rule packs."""

from __future__ import annotations

import argparse
import json
import sys

from . import HELPS
from ..check.findings import Severity, selftest_findings, sort_findings
from ..config import LEVELS
from ..files import write_output
from ..check.lint import lint_packs
from ..correct.packs import Pack, read_packs
from ..render.findings import FORMAT_NAMES, FindingsRun, render_findings, summary_line
from .clean import add_rule_options

HELP = HELPS["rules"]
EPILOG = """examples:
  cleaner rules test                      # every example and keep case of the packs in force
  cleaner rules test my-show.yaml         # only this pack
  cleaner rules lint --format github      # duplicates, chains, dead variants, slow regexes
  cleaner rules list --format json

PACK arguments name the packs to work on; without them the packs in force are used (the
shipped ones unless --no-default-rules, plus --rules and the config's rules).
exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config error
"""

SUBCOMMANDS = {
    "test": "run every example and keep case of every rule; report all failures with file:line",
    "lint": "find duplicate ids and variants, chains, rules that re-match their output, "
            "variants that can never match, risky regexes and shadowed rules",
    "list": "show every loaded rule with its pack and file:line",
}


def add_parser(subparsers) -> None:
    """Register ``rules`` and its ``test``, ``lint`` and ``list`` subcommands."""
    parser = subparsers.add_parser("rules", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(command_module="rules")
    actions = parser.add_subparsers(dest="rules_command", metavar="ACTION",
                                    parser_class=type(parser))
    actions.required = True
    for name, text in SUBCOMMANDS.items():
        sub = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".",
                                 epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(command_module="rules")
        sub.add_argument("packs", nargs="*", metavar="PACK",
                         help="rule pack files (default: the packs in force)")
        if name == "list":
            sub.add_argument("--format", dest="list_format", choices=("text", "json"),
                             default="text", help="output format (default: text)")
        else:
            sub.add_argument("--format", dest="findings_format", choices=FORMAT_NAMES,
                             default="text", help="findings format (default: text)")
            default_level = "warning" if name == "lint" else "error"
            sub.add_argument("--fail-on", dest="rules_fail_on", choices=LEVELS,
                             default=default_level,
                             help=f"lowest severity that makes the exit code 1 "
                                  f"(default: {default_level})")
        sub.add_argument("-o", "--output", default="-",
                         help="write the result here (default: - for stdout)")
        add_rule_options(sub)


def run(args) -> int:
    """Run the chosen action; 0 clean, 1 findings."""
    packs, errors = _packs(args)
    if args.rules_command == "list":
        write_output(args.output, render_list(packs, set(args.disable), args.list_format))
        if errors:
            for error in errors:
                print(f"cleaner: error: {error}", file=sys.stderr)
            return 2
        return 0
    if args.rules_command == "lint":
        found = lint_packs(packs, errors)
    else:
        found = sort_findings(selftest_findings(packs) + lint_packs([], errors))
    fail_on = Severity(args.rules_fail_on)
    files = tuple(pack.path for pack in packs)
    run_ = FindingsRun(tuple(found), files, fail_on, tool=f"cleaner rules {args.rules_command}")
    write_output(args.output, render_findings(run_, args.findings_format))
    cases = sum(len(rule.examples) + len(rule.keep) for pack in packs for rule in pack.rules)
    what = f"{cases} cases in " if args.rules_command == "test" else ""
    print(f"cleaner: {what}{len(packs)} pack{'s' if len(packs) != 1 else ''}: "
          f"{summary_line(run_)}", file=sys.stderr)
    return 1 if any(f.severity.at_least(fail_on) for f in found) else 0


def render_list(packs: list[Pack], disabled: set[str], fmt: str) -> str:
    """Every rule: where it is defined, its pack, id, category, what it matches and its fix."""
    rows = []
    for pack in packs:
        for rule in pack.rules:
            rows.append({
                "origin": rule.origin, "pack": pack.id, "id": rule.id,
                "category": rule.category,
                "match": list(rule.match) if rule.regex is None else None,
                "regex": rule.regex, "replace": rule.replace,
                "context": rule.context is not None, "show": pack.is_show,
                "disabled": rule.id in disabled or bool(set(rule.aliases) & disabled),
            })
    if fmt == "json":
        return json.dumps({"rules": rows}, ensure_ascii=False, allow_nan=False, indent=1) + "\n"
    width = max((len(row["origin"]) for row in rows), default=0)
    lines = []
    for row in rows:
        found = row["regex"] if row["regex"] is not None else ", ".join(row["match"])
        flags = "".join([" [context]" if row["context"] else "",
                         " [show]" if row["show"] else "",
                         " [disabled]" if row["disabled"] else ""])
        lines.append(f"{row['origin']:<{width}}  {row['pack']}  {row['id']} ({row['category']})"
                     f"{flags}: {found} -> {row['replace']!r}")
    return "\n".join(lines) + ("\n" if lines else "")


def _packs(args) -> tuple[list[Pack], list]:
    if args.packs:
        return read_packs(list(args.packs) + list(args.rules), defaults=False)
    return read_packs(list(args.rules), defaults=not args.no_default_rules)
