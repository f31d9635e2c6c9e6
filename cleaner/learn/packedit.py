"""Add learned or accepted rules to a pack file's text, keeping everything else as it was.

Comments, key order, quoting and indentation survive (ruamel.yaml round-trip, with the
file's own indentation). A rule whose replacement and context match an existing rule of
the pack adds its new variants (and an example for each) to that rule instead of
becoming a duplicate; other rules are appended after the pack's last rule, with ids that
no loaded pack uses. Pure: text in, text out. The caller writes the file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import CleanerError
from .learn import LearnedRule
from ..correct.matcher import LiteralIndex, variant_keys
from ..correct.packs import Pack, parse_pack
from ..correct.selftest import apply_rules, cases, check


@dataclass(frozen=True, slots=True)
class Merged:
    """What merging changed: the new text, rules added, variants added to existing rules."""

    text: str
    added: tuple[str, ...]
    extended: tuple[tuple[str, tuple[str, ...]], ...]
    unchanged: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """True when the pack text changes."""
        return bool(self.added or self.extended)


def new_pack_text(pack_id: str, description: str) -> str:
    """The text of an empty pack (for ``--into`` a file that does not exist yet)."""
    return f"pack: {pack_id}\ndescription: {description}\nrules: []\n"


def rules_yaml(rules: Sequence[LearnedRule]) -> str:
    """The rules as a YAML ``rules:`` list (what a dry run prints)."""
    yaml = _yaml(2, 4, 2)
    stream = io.StringIO()
    seq = CommentedSeq(_rule_node(rule) for rule in rules)
    if not rules:
        seq.fa.set_flow_style()
    yaml.dump({"rules": seq}, stream)
    return stream.getvalue()


def merge_rules(text: str, path: str, rules: Sequence[LearnedRule],
                taken_ids: set[str] = frozenset()) -> Merged:
    """Merge ``rules`` into the pack ``text`` (see the module docstring).

    Raises ``CleanerError`` when the pack does not parse, or when the merged pack would
    fail its own tests; the caller then leaves the file alone.
    """
    before = parse_pack(text.encode("utf-8"), path)
    yaml, doc = _load(text)
    rules_node = doc["rules"]
    by_replace = _literal_rules(rules_node)
    ids = set(taken_ids) | {str(node.get("id")) for node in rules_node}
    added: list[CommentedMap] = []
    extended: dict[str, list[str]] = {}
    unchanged: list[str] = []
    for rule in rules:
        target = by_replace.get((rule.replace, rule.near))
        if target is None:
            rule_id = _unique(rule.id, ids)
            ids.add(rule_id)
            node = _rule_node(rule, rule_id)
            added.append(node)
            by_replace[(rule.replace, rule.near)] = node
            continue
        known = {tuple(variant_keys(v)) for v in _variants(target)}
        fresh = [v for v in rule.match if tuple(variant_keys(v)) not in known]
        if not fresh:
            unchanged.append(str(target["id"]))
            continue
        _add_variants(target, fresh, rule)
        extended.setdefault(str(target["id"]), []).extend(fresh)
    if not added and not extended:
        return Merged(text, (), (), tuple(unchanged))
    merged = _dump_with_appended(yaml, doc, text, added)
    touched = {str(node["id"]) for node in added} | set(extended)
    after = _validate(merged, path, before, touched)
    expected_ids = {str(node["id"]) for node in added}
    if not expected_ids <= {rule.id for rule in after.rules}:
        raise CleanerError("internal: merged pack lost a rule", path)
    return Merged(merged, tuple(str(node["id"]) for node in added),
                  tuple((rule_id, tuple(v)) for rule_id, v in extended.items()), tuple(unchanged))


# ------------------------------------------------------------------------------------------


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _load(text: str) -> tuple[YAML, CommentedMap]:
    """Load round-trip with the indentation that reproduces the file (else 2/4/2)."""
    _, sequence, offset = load_yaml_guess_indent(text)
    choices = [(2, sequence or 4, offset if offset is not None else 2), (2, 4, 2), (2, 2, 0),
               (4, 4, 2), (4, 6, 4)]
    for mapping, seq, off in choices:
        yaml = _yaml(mapping, max(seq, off + 2), off)
        doc = yaml.load(text)
        stream = io.StringIO()
        yaml.dump(doc, stream)
        if stream.getvalue() == text:
            return yaml, doc
    yaml = _yaml(*choices[0][:2], choices[0][2])
    return yaml, yaml.load(text)


def _literal_rules(rules_node) -> dict[tuple[str, tuple[str, ...]], CommentedMap]:
    """Existing literal rules by (replacement, near words), first one wins."""
    out: dict[tuple[str, tuple[str, ...]], CommentedMap] = {}
    for node in rules_node:
        if "match" not in node or "regex" in node:
            continue
        context = node.get("context") or {}
        if set(context) - {"near", "window"} or context.get("window", 12) != 12:
            continue  # a richer context: leave it alone
        near = context.get("near") or ()
        near = (near,) if isinstance(near, str) else tuple(near)
        out.setdefault((str(node["replace"]), near), node)
    return out


def _variants(node: CommentedMap) -> list[str]:
    match = node.get("match")
    return [match] if isinstance(match, str) else list(match or ())


def _add_variants(node: CommentedMap, fresh: list[str], rule: LearnedRule) -> None:
    match = node["match"]
    if isinstance(match, str):
        seq = CommentedSeq([match])
        seq.fa.set_flow_style()
        node["match"] = match = seq
    match.extend(fresh)
    examples = [(a, b) for a, b in rule.examples if any(_mentions(a, v) for v in fresh)]
    if not examples:
        return
    if "examples" not in node:
        node["examples"] = CommentedSeq()
    for text, out in examples:
        node["examples"].append(_example(text, out))


def _mentions(text: str, variant: str) -> bool:
    index = LiteralIndex()
    index.add(variant, 0, False)
    return bool(index.find(text))


def _rule_node(rule: LearnedRule, rule_id: str | None = None) -> CommentedMap:
    node = CommentedMap()
    node["id"] = rule_id or rule.id
    node["category"] = rule.category
    node["match"] = _flow(rule.match)
    node["replace"] = rule.replace
    if rule.note:
        node["note"] = rule.note
    if rule.near:
        context = CommentedMap()
        context["near"] = _flow(rule.near)
        node["context"] = context
    node["examples"] = CommentedSeq(_example(a, b) for a, b in rule.examples)
    if rule.keep:
        node["keep"] = _flow(DoubleQuotedScalarString(text) for text in rule.keep)
    return node


def _flow(items) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _example(text: str, out: str) -> CommentedMap:
    example = CommentedMap([("in", DoubleQuotedScalarString(text)),
                            ("out", DoubleQuotedScalarString(out))])
    example.fa.set_flow_style()
    return example


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    stem = base
    number = 2
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


def _dump_with_appended(yaml: YAML, doc: CommentedMap, original: str,
                        added: list[CommentedMap]) -> str:
    """Dump the document, with the new rules placed right after the pack's last rule.

    ruamel attaches comments that follow the last rule (a closing comment, the next
    section's heading) to that rule, so appending to the list would put new rules after
    them. Instead the new rules are dumped on their own and inserted as text after the
    last rule's last line of content.
    """
    rules_node = doc["rules"]
    if not len(rules_node) or rules_node.fa.flow_style():
        rules_node.fa.set_block_style()
        rules_node.extend(added)
        stream = io.StringIO()
        yaml.dump(doc, stream)
        return stream.getvalue()
    stream = io.StringIO()
    yaml.dump(doc, stream)
    text = stream.getvalue()
    if not added:
        return text
    lines = text.splitlines(keepends=True)
    end = _rules_end(doc, lines)
    piece = io.StringIO()
    yaml.dump({"rules": CommentedSeq(added)}, piece)
    item_lines = piece.getvalue().splitlines(keepends=True)[1:]
    spaced = _items_spaced(rules_node, lines)
    block = []
    for node_lines in _split_items(item_lines):
        if spaced:
            block.append("\n")
        block.extend(node_lines)
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end] + block + lines[end:])


def _rules_end(doc: CommentedMap, lines: list[str]) -> int:
    """Index of the line after the last rule's last line of content."""
    keys = list(doc)
    position = keys.index("rules")
    limit = len(lines)
    if position + 1 < len(keys):
        limit = doc.lc.key(keys[position + 1])[0]
    end = limit
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _items_spaced(rules_node: CommentedSeq, lines: list[str]) -> bool:
    """True when the pack separates its rules with blank lines."""
    if len(rules_node) < 2:
        return True
    line = rules_node.lc.item(len(rules_node) - 1)[0]
    return line > 0 and (not lines[line - 1].strip() or lines[line - 1].lstrip().startswith("#"))


def _split_items(lines: list[str]) -> list[list[str]]:
    """Cut dumped sequence lines into one list per item."""
    items: list[list[str]] = []
    indent = None
    for line in lines:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and (indent is None or len(line) - len(stripped) == indent):
            indent = len(line) - len(stripped)
            items.append([])
        items[-1].append(line)
    return items


def _validate(text: str, path: str, before: Pack, touched: set[str]) -> Pack:
    """The merged pack must parse, keep every rule, and the rules it touched must pass
    all their cases."""
    after = parse_pack(text.encode("utf-8"), path)
    missing = {rule.id for rule in before.rules} - {rule.id for rule in after.rules}
    if missing:
        raise CleanerError(f"internal: merging would lose rule(s) {', '.join(sorted(missing))}", path)
    failures = [failure for case in cases([after])
                if case.rule.id in touched and (failure := check(case)) is not None]
    if failures:
        raise CleanerError(f"the merged pack would fail its own tests: {failures[0]}", path)
    for rule in after.rules:
        if rule.id not in touched:
            continue
        changed, _ = apply_rules(rule.replace, list(after.rules), (after.id,))
        if changed != rule.replace:
            raise CleanerError(f"rule {rule.id!r}: its replacement {rule.replace!r} would be "
                               f"changed again by another rule of the pack ({changed!r})", path)
    return after
