"""Read a cast file: ``speakers: [{name, role, aliases}]`` (as in the evaluation data)."""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import CleanerError
from .packs import CastMember, parse_cast_items


def parse_cast(text: str, path: str) -> tuple[CastMember, ...]:
    """The cast members of a cast file's text (``speakers:`` or ``cast:`` list, or a bare list).

    Entries are validated by ``packs.parse_cast_items``; problems are a ``CleanerError``
    naming the line.
    """
    try:
        doc = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CleanerError(f"invalid YAML: {error.problem or error.context}", path, line, col) from None
    except YAMLError as error:
        raise CleanerError(f"invalid YAML: {error}", path) from None
    items = doc
    if isinstance(doc, CommentedMap):
        items = doc.get("speakers", doc.get("cast"))
    if not isinstance(items, CommentedSeq):
        raise CleanerError("a cast file needs a 'speakers:' list of {name, role, aliases}", path, 1, 1)
    return parse_cast_items(items, path)
