"""Parse and validate one pack file (or a cast list): YAML bytes in, a ``Pack`` out.

Every key and value is checked, and problems are a ``CleanerError`` naming the file, line and
column. Only plain YAML is accepted (no tags, a bounded number of aliases).

Packs are read with libyaml first (``fastyaml.py``, many times faster on a big pack); a file
it does not handle, or one with any problem, is read again with ruamel's round-trip loader,
so every error message and ``file:line`` comes from the one reference reader.
"""

from __future__ import annotations

from pathlib import Path

import regex

from ..errors import CleanerError
from ..model import Role
from . import fastyaml, prefilter
from .matcher import has_tokens
from .schema import (CATEGORIES, MAX_ALIASES, CastMember, Context, Detect, Example, Pack, Rule)

_PACK_KEYS = {"pack", "description", "detect", "cast", "rules"}
_RULE_KEYS = {"id", "category", "match", "regex", "replace", "case", "priority", "context",
              "note", "examples", "keep", "aliases"}
_CONTEXT_KEYS = {"near", "window", "topic", "topic_min", "show", "section"}
_DETECT_KEYS = {"title", "text", "text_min"}
_CAST_KEYS = {"name", "role", "aliases"}
_ID = regex.compile(r"^[a-z0-9][a-z0-9.-]*$")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "seq", "map")}


def read_yaml(data: bytes, path: str, what: str = "rule pack"):
    """Parse YAML bytes (round-trip, so nodes keep their lines); errors name file and line."""
    return load_yaml(_decode(data, path, what), path)


def _decode(data: bytes, path: str, what: str = "rule pack") -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CleanerError(f"{what} is not valid UTF-8", path) from None


def parse_pack(data: bytes, path: str) -> Pack:
    """Parse and validate one pack file's bytes (fast loader first, see the module docstring)."""
    text = _decode(data, path)
    try:
        return pack_from_yaml(fastyaml.load(text), path)
    except (fastyaml.Unsupported, CleanerError):
        pass  # read again below: the round-trip loader's errors and lines are the reference
    return pack_from_yaml(load_yaml(text, path), path)


def pack_from_yaml(doc, path: str) -> Pack:
    """Validate a loaded YAML document (mappings with ``lc`` positions) into a ``Pack``."""
    if not isinstance(doc, dict):
        raise CleanerError("a rule pack must be a mapping with a 'rules' list", path, 1, 1)
    _check_keys(doc, _PACK_KEYS, path, "pack")
    pack_id = _optional_str(doc, "pack", path) or Path(path).stem
    rules_node = doc.get("rules")
    if not isinstance(rules_node, list):
        raise CleanerError("'rules' must be a list", path, *_where(doc, "rules"))
    rules = tuple(
        _parse_rule(node, pack_id, path, _item_line(rules_node, number))
        for number, node in enumerate(rules_node)
    )
    detect = _parse_detect(doc["detect"], path) if "detect" in doc else None
    cast = _parse_cast(doc["cast"], path) if "cast" in doc else ()
    return Pack(
        id=pack_id, path=path, rules=rules,
        description=_optional_str(doc, "description", path) or "",
        detect=detect, cast=cast,
    )


MAX_DEPTH = 100  # a pack needs a handful of levels; thousands would exhaust Python's stack
_OPENS = ("MappingStartEvent", "SequenceStartEvent")
_CLOSES = ("MappingEndEvent", "SequenceEndEvent")


def load_yaml(text: str, path: str):
    """Load one YAML document safely (round-trip types, so nodes keep their lines).

    Before anything is built, the event stream is checked: an explicit tag other than the
    plain YAML types (``!!python/object``, ``!custom``, ...) is refused rather than ignored,
    so a pack can never ask for objects to be constructed; and more than ``MAX_ALIASES``
    aliases is refused ("billion laughs"), as is nesting deeper than ``MAX_DEPTH``. Shared by
    rule packs and cast files.
    """
    from ruamel.yaml import YAML  # imported here: a warm run never needs it
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        aliases = depth = 0
        for event in yaml.parse(text):
            tag = getattr(event, "tag", None)
            if tag is not None and str(tag) not in _PLAIN_TAGS:
                mark = event.start_mark
                shown = str(tag).replace("tag:yaml.org,2002:", "!!")
                raise CleanerError(f"YAML tag {shown!r} is not allowed (plain strings, "
                                   "numbers, lists and mappings only)", path,
                                   mark.line + 1, mark.column + 1)
            kind = type(event).__name__
            depth += kind in _OPENS
            depth -= kind in _CLOSES
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise CleanerError(f"invalid YAML: nested more than {MAX_DEPTH} deep", path,
                                   mark.line + 1, mark.column + 1)
            if kind == "AliasEvent":
                aliases += 1
                if aliases > MAX_ALIASES:
                    mark = event.start_mark
                    raise CleanerError(f"too many YAML aliases (over {MAX_ALIASES})", path,
                                       mark.line + 1, mark.column + 1)
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CleanerError(f"invalid YAML: {problem}", path, line, col) from None
    except YAMLError as error:
        raise CleanerError(f"invalid YAML: {error}", path) from None


def _parse_rule(node, pack_id: str, path: str, line: int) -> Rule:
    if not isinstance(node, dict):
        raise CleanerError("a rule must be a mapping", path, line)
    _check_keys(node, _RULE_KEYS, path, "rule")
    rule_id = _required_str(node, "id", path, line)
    if not _ID.match(rule_id):
        raise CleanerError(f"rule id {rule_id!r} must be lowercase letters, digits, '-' or '.'",
                           path, *_where(node, "id"))
    where = f"rule {rule_id!r}"
    category = _required_str(node, "category", path, line, where)
    if category not in CATEGORIES:
        raise CleanerError(f"{where}: unknown category {category!r} (choose from "
                           f"{', '.join(CATEGORIES)})", path, *_where(node, "category"))
    replace = node.get("replace")
    if not isinstance(replace, str):
        raise CleanerError(f"{where}: 'replace' must be a string (use \"\" to delete)",
                           path, *(_where(node, "replace") if "replace" in node else (line,)))
    has_match, has_regex = "match" in node, "regex" in node
    if has_match == has_regex:
        raise CleanerError(f"{where}: give exactly one of 'match' or 'regex'", path, line)
    match = _str_list(node, "match", path, where) if has_match else ()
    for variant in match:
        if not has_tokens(variant):
            raise CleanerError(f"{where}: variant {variant!r} has no words or marks to match",
                               path, *_where(node, "match"))
    pattern = _required_str(node, "regex", path, line, where) if has_regex else None
    case = node.get("case", "ignore")
    if case not in ("ignore", "exact"):
        raise CleanerError(f"{where}: 'case' must be 'ignore' or 'exact'", path,
                           *_where(node, "case"))
    priority = node.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise CleanerError(f"{where}: 'priority' must be an integer", path,
                           *_where(node, "priority"))
    rule = Rule(
        id=rule_id, pack=pack_id, category=category, replace=replace, match=match,
        regex=pattern, case_exact=case == "exact", priority=priority,
        context=_parse_context(node["context"], path, where) if "context" in node else None,
        note=_optional_str(node, "note", path),
        examples=_parse_examples(node, path, where),
        keep=tuple(Example(text, text, line_no) for text, line_no in _str_items(node, "keep", path, where)),
        aliases=_str_list(node, "aliases", path, where) if "aliases" in node else (),
        path=path, line=line,
    )
    if rule.regex is not None:
        _compile_regex(rule)
    return rule


def _parse_examples(node, path: str, where: str) -> tuple[Example, ...]:
    if "examples" not in node:
        return ()
    items = node["examples"]
    if not isinstance(items, list):
        raise CleanerError(f"{where}: 'examples' must be a list of {{in, out}}", path,
                           *_where(node, "examples"))
    examples = []
    for number, item in enumerate(items):
        line = _item_line(items, number)
        if not isinstance(item, dict) or set(item) != {"in", "out"}:
            raise CleanerError(f"{where}: each example needs exactly 'in' and 'out'", path, line)
        if not isinstance(item["in"], str) or not isinstance(item["out"], str):
            raise CleanerError(f"{where}: example 'in' and 'out' must be strings", path, line)
        examples.append(Example(item["in"], item["out"], line))
    return tuple(examples)


def _parse_context(node, path: str, where: str) -> Context:
    if not isinstance(node, dict):
        raise CleanerError(f"{where}: 'context' must be a mapping", path)
    _check_keys(node, _CONTEXT_KEYS, path, f"{where} context")
    window = node.get("window", 12)
    topic_min = node.get("topic_min", 1)
    for name, value in (("window", window), ("topic_min", topic_min)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise CleanerError(f"{where}: context '{name}' must be a positive integer", path,
                               *_where(node, name))
    section = _optional_str(node, "section", path)
    if section is not None:
        _compile_pattern(section, path, _where(node, "section"), where)
    return Context(
        near=_str_list(node, "near", path, where) if "near" in node else (),
        window=window,
        topic=_str_list(node, "topic", path, where) if "topic" in node else (),
        topic_min=topic_min,
        show=_str_list(node, "show", path, where) if "show" in node else (),
        section=section,
    )


def _parse_detect(node, path: str) -> Detect:
    if not isinstance(node, dict):
        raise CleanerError("'detect' must be a mapping with 'title' and/or 'text'", path)
    _check_keys(node, _DETECT_KEYS, path, "detect")
    title = _str_list(node, "title", path, "detect") if "title" in node else ()
    text = _str_list(node, "text", path, "detect") if "text" in node else ()
    for pattern in title + text:
        _compile_pattern(pattern, path, _where(node, "title" if pattern in title else "text"),
                         "detect")
    text_min = node.get("text_min", 1)
    if not isinstance(text_min, int) or isinstance(text_min, bool) or text_min < 1:
        raise CleanerError("detect 'text_min' must be a positive integer", path,
                           *_where(node, "text_min"))
    return Detect(title=title, text=text, text_min=text_min)


def _parse_cast(node, path: str) -> tuple[CastMember, ...]:
    if not isinstance(node, list):
        raise CleanerError("'cast' must be a list of {name, role, aliases}", path)
    return parse_cast_items(node, path)


def parse_cast_items(items, path: str) -> tuple[CastMember, ...]:
    """Validate a YAML list of cast entries (shared with ``--cast`` files)."""
    roles = {role.value for role in Role}
    members: list[CastMember] = []
    owner: dict[str, str] = {}
    for number, item in enumerate(items):
        line = _item_line(items, number)
        if not isinstance(item, dict):
            raise CleanerError("a cast entry must be a mapping with 'name'", path, line)
        _check_keys(item, _CAST_KEYS, path, "cast entry")
        name = _required_str(item, "name", path, line, "cast entry").strip()
        role = item.get("role", Role.UNKNOWN.value)
        if role not in roles:
            raise CleanerError(f"cast entry {name!r}: unknown role {role!r} (choose from "
                               f"{', '.join(sorted(roles))})", path, line)
        aliases = _str_list(item, "aliases", path, f"cast entry {name!r}") if "aliases" in item else ()
        for label in (name, *aliases):
            key = " ".join(label.casefold().split())
            if key in owner and owner[key] != name:
                raise CleanerError(f"cast: {label!r} names both {owner[key]!r} and {name!r}",
                                   path, line)
            if key in owner and label == name:
                raise CleanerError(f"cast: duplicate name {name!r}", path, line)
            owner[key] = name
        members.append(CastMember(name=name, role=role, aliases=aliases, origin=f"{path}:{line}"))
    return tuple(members)


def rule_flags(rule: Rule) -> int:
    """The ``regex`` flags a rule's pattern is compiled with."""
    return (0 if rule.case_exact else regex.IGNORECASE) | regex.VERSION0


def _compile_regex(rule: Rule):
    flags = rule_flags(rule)
    try:
        compiled = prefilter.compiled(rule.regex, flags)
    except (regex.error, KeyError, ValueError, OverflowError) as error:  # (?V1) is a KeyError
        reason = "flags it does not support" if isinstance(error, KeyError) else error
        raise CleanerError(f"rule {rule.id!r}: invalid regex: {reason}", rule.path, rule.line) from None
    _check_template(rule, flags)
    return compiled


def _check_template(rule: Rule, flags: int) -> None:
    """Refuse a ``replace`` template that names a missing group or has a bad escape.

    The template is expanded once against an always-matching copy of the pattern (same
    groups, plus an empty alternative), so the mistake shows at load time, not on the
    first transcript that happens to match.
    """
    if "\\" not in rule.replace:
        return  # no group reference or escape: nothing to go wrong
    try:
        probe = prefilter.compiled(f"(?:{rule.regex}\n)|", flags)
    except regex.error:
        return  # an unusual pattern the probe cannot wrap: expansion errors are caught later
    try:
        probe.match("").expand(rule.replace)
    except (IndexError, regex.error) as error:
        raise CleanerError(f"rule {rule.id!r}: bad 'replace' template {rule.replace!r}: {error}",
                           rule.path, rule.line) from None


def _compile_pattern(pattern: str, path: str, where: tuple[int, ...], what: str) -> None:
    try:
        regex.compile(pattern)
    except regex.error as error:
        raise CleanerError(f"{what}: invalid regex {pattern!r}: {error}", path, *where) from None


def _check_keys(node: dict, allowed: set[str], path: str, what: str) -> None:
    for key in node:
        if key not in allowed:
            raise CleanerError(f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})",
                               path, *_key_where(node, key))


def _required_str(node, key: str, path: str, line: int, where: str = "") -> str:
    value = node.get(key)
    prefix = f"{where}: " if where else ""
    if key not in node:
        raise CleanerError(f"{prefix}missing required field '{key}'", path, line)
    if not isinstance(value, str) or not value.strip():
        raise CleanerError(f"{prefix}'{key}' must be a non-empty string", path, *_where(node, key))
    return str(value)


def _optional_str(node, key: str, path: str) -> str | None:
    if key not in node or node[key] is None:
        return None
    if not isinstance(node[key], str):
        raise CleanerError(f"'{key}' must be a string", path, *_where(node, key))
    return str(node[key])


def _str_list(node, key: str, path: str, where: str) -> tuple[str, ...]:
    return tuple(text for text, _ in _str_items(node, key, path, where))


def _str_items(node, key: str, path: str, where: str) -> list[tuple[str, int]]:
    if key not in node:
        return []
    items = node[key]
    if isinstance(items, str):
        return [(str(items), _where(node, key)[0])]
    if not isinstance(items, list) or not items:
        raise CleanerError(f"{where}: '{key}' must be a non-empty list of strings", path,
                           *_where(node, key))
    out = []
    for number, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise CleanerError(f"{where}: '{key}' entries must be non-empty strings", path,
                               _item_line(items, number))
        out.append((str(item), _item_line(items, number)))
    return out


def _where(node: dict, key: str) -> tuple[int, int]:
    try:
        line, col = node.lc.value(key)
        return line + 1, col + 1
    except (KeyError, TypeError, AttributeError):
        return _key_where(node, key)


def _key_where(node: dict, key: str) -> tuple[int, int]:
    try:
        line, col = node.lc.key(key)
        return line + 1, col + 1
    except (KeyError, TypeError, AttributeError):
        return (node.lc.line + 1, node.lc.col + 1)


def _item_line(seq: list, number: int) -> int:
    try:
        return seq.lc.item(number)[0] + 1
    except (KeyError, TypeError, AttributeError):
        return seq.lc.line + 1
