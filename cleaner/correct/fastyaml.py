"""Load a pack file fast with libyaml (PyYAML's C parser), keeping the lines of every node.

ruamel's round-trip loader is pure Python and took about 9 s on a 10,000-rule pack; libyaml
builds the same nodes in a fraction of that. The result has the shape ``parse.py`` reads:
``Map`` (a dict) and ``Seq`` (a list), each with an ``lc`` giving the 0-based line and column
of the collection, its keys, values and items, as ruamel's do. Plain scalars are typed by
ruamel's own YAML 1.2 resolver, so ``yes`` stays a string as it does there.

Anything unusual (any explicit tag, a type other than string, integer, boolean or null, a
duplicate or non-string key, many aliases, a YAML error) raises ``Unsupported``, and the
caller reads the file with the round-trip loader instead, whose messages and lines are the
reference. Without libyaml, ``load`` raises ``Unsupported`` every time.
"""

from __future__ import annotations

import re

try:
    from yaml.cyaml import CParser
    from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                             ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
except ImportError:  # no PyYAML, or PyYAML built without libyaml
    CParser = None

from .schema import MAX_ALIASES

_STR = "tag:yaml.org,2002:str"
_NEW = object()  # not built yet
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
# Where libyaml and ruamel disagree: libyaml takes a tab inside plain text and NEL, LS and PS
# as line breaks; ruamel does not. Such a file is left to ruamel, whose reading is the reference.
_READ_APART = re.compile("[\t\x85\u2028\u2029]|\r(?!\n)")


class Unsupported(Exception):
    """The fast loader does not handle this file: read it with the round-trip loader."""


class LineCol:
    """Positions of a collection and its parts (0-based), as ruamel's ``lc``."""

    __slots__ = ("line", "col", "data")

    def __init__(self, mark) -> None:
        self.line, self.col = mark.line, mark.column
        self.data: dict = {}

    def key(self, key) -> tuple[int, int]:
        """Where a mapping key is."""
        return self.data[key][:2]

    def value(self, key) -> tuple[int, int]:
        """Where a mapping value is."""
        return self.data[key][2:]

    def item(self, index: int) -> tuple[int, int]:
        """Where a sequence item is."""
        return self.data[index]


class Map(dict):
    """A YAML mapping with its positions."""

    __slots__ = ("lc",)


class Seq(list):
    """A YAML sequence with its positions."""

    __slots__ = ("lc",)


def available() -> bool:
    """True when libyaml is installed, so ``load`` can work."""
    return CParser is not None


def load(text: str):
    """The document in ``text`` as ``Map``/``Seq``/scalars, or ``Unsupported``."""
    if CParser is None:
        raise Unsupported("libyaml is not available")
    if _READ_APART.search(text):  # before the directive check: a lone CR is a line break
        raise Unsupported("tabs, a lone CR or Unicode line breaks: ruamel reads them otherwise")
    if text.startswith("%") or "\n%" in text:  # a directive (%YAML 1.1 changes the types)
        raise Unsupported("a YAML directive")
    parser = CParser(text)
    try:
        return _Builder().run(parser.get_event)
    except Unsupported:
        raise
    except Exception as error:  # any YAML error: the round-trip loader words it
        raise Unsupported(str(error)) from None
    finally:
        parser.dispose()


class _Builder:
    """Builds the document straight from libyaml's events (composing nodes first costs
    three times as much); an anchored value is built once and shared by its aliases."""

    def __init__(self) -> None:
        self.anchors: dict[str, tuple[object, object]] = {}  # anchor -> (value, start mark)
        self.aliases = 0
        self.resolver = None

    def run(self, next_event):
        stack: list[list] = []  # [collection, anchor, key or _NEW, key mark, start mark]
        documents = 0
        root = None
        while True:
            event = next_event()
            kind = type(event)
            mark = event.start_mark
            if kind is ScalarEvent:
                value = self._scalar(event)
                if event.anchor is not None:
                    self._anchor(event.anchor, value, mark)
            elif kind is AliasEvent:
                value, mark = self._alias(event)  # where the anchored value is, as ruamel says
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag is not None:
                    raise Unsupported(f"tag {event.tag}")
                made = Map() if kind is MappingStartEvent else Seq()
                made.lc = LineCol(event.start_mark)
                if event.anchor in self.anchors:
                    raise Unsupported("an anchor defined twice")
                stack.append([made, event.anchor, _NEW, None, mark])
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value, anchor, _, _, mark = stack.pop()
                if anchor is not None:
                    self._anchor(anchor, value, mark)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Unsupported("more than one document")
                continue
            elif kind is StreamEndEvent:
                return root
            else:  # stream start, document end
                continue
            if not stack:
                root = value
                continue
            top = stack[-1]
            parent = top[0]
            if type(parent) is Seq:
                parent.lc.data[len(parent)] = (mark.line, mark.column)
                parent.append(value)
            elif top[2] is _NEW:
                if type(value) is not str or value in parent:
                    raise Unsupported("a key that is not a unique string")
                top[2], top[3] = value, mark
            else:
                key, key_mark = top[2], top[3]
                parent[key] = value
                parent.lc.data[key] = (key_mark.line, key_mark.column, mark.line, mark.column)
                top[2] = _NEW

    def _anchor(self, name: str, value, mark) -> None:
        if name in self.anchors:  # ruamel and libyaml resolve a redefined anchor differently
            raise Unsupported("an anchor defined twice")
        self.anchors[name] = (value, mark)

    def _alias(self, event):
        if event.anchor not in self.anchors:
            raise Unsupported("an alias to an unknown or unfinished anchor")
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise Unsupported("too many aliases")
        return self.anchors[event.anchor]

    def _scalar(self, event):
        tag, value = event.tag, event.value
        if tag is not None:  # even !!str: ruamel does not make every such scalar a string
            raise Unsupported(f"tag {tag}")
        if not event.implicit[0]:
            return value  # quoted: always a string
        if value[:1].isalpha() and value.lower() not in _SPECIAL:
            return value  # the common case: a word, which YAML 1.2 never types otherwise
        tag = self._resolve(value)
        if tag == _STR:
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:int" and _INT.match(value):
            return int(value)
        raise Unsupported(f"plain scalar {value!r} of type {tag}")

    def _resolve(self, value: str) -> str:
        """ruamel's YAML 1.2 type of a plain scalar (what its round-trip loader decides)."""
        if self.resolver is None:
            from ruamel.yaml.nodes import ScalarNode as RuamelScalar
            from ruamel.yaml.resolver import VersionedResolver

            resolver = VersionedResolver(version=(1, 2))
            self.resolver = lambda text: resolver.resolve(RuamelScalar, text, (True, False))
        return self.resolver(value)


# The words that YAML 1.2 (as ruamel reads it) types as something other than a string.
_SPECIAL = {"true", "false", "null"}
