"""Read a cast file: ``speakers: [{name, role, aliases}]`` (as in the evaluation data)."""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import CleanerError
from .parse import load_yaml, parse_cast_items
from .schema import CastMember


def parse_cast(text: str, path: str) -> tuple[CastMember, ...]:
    """The cast members of a cast file's text (``speakers:`` or ``cast:`` list, or a bare list).

    Entries are validated by ``packs.parse_cast_items``; problems are a ``CleanerError``
    naming the line.
    """
    doc = load_yaml(text, path)  # plain data only: no tags, a bounded number of aliases
    items = doc
    if isinstance(doc, CommentedMap):
        items = doc.get("speakers", doc.get("cast"))
    if not isinstance(items, CommentedSeq):
        raise CleanerError("a cast file needs a 'speakers:' list of {name, role, aliases}", path, 1, 1)
    return parse_cast_items(items, path)
