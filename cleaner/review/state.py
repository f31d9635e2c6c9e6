"""What an editor decided in a review, as data: a history of actions, folded into a state.

The history is the source of truth. The state (speaker fixes, voice names, people added,
edit decisions) is the fold of the history over the overrides the review started from, so
undo and redo only move actions between the history and the redo stack, and "restore
original" is itself an action (undoing it brings every earlier fix back). Everything here is
pure: no files, no pipeline; ``session.py`` runs the pipeline and writes the sidecar.

Actions (dicts, as stored in the sidecar):

- ``{"op": "fix", "fixes": [{line, at, speaker}, ...]}``: speaker overrides (one turn, or a
  word to the end of a turn); a later fix at the same place replaces an earlier one.
- ``{"op": "voice", "voice": LABEL, "name": NAME}``: every turn the decoder gives to LABEL is
  shown as NAME (two labels renamed to one name are merged); turns pinned by a fix keep
  their fix, so "all" and "one" never fight.
- ``{"op": "person", "name": NAME}``: someone not in the cast.
- ``{"op": "decide", "scope": "edit"|"rule"|"category", "key": KEY, "accept": bool}``: the
  latest decision that matches an edit wins; edits no decision matches are accepted.
- ``{"op": "text", "fixes": [{line, start, end, before, after}, ...]}``: the editor's own
  text changes (a word edited inline, find and replace), in input columns; a later one at
  the same place replaces an earlier one.
- ``{"op": "restore"}``: back to the state the review started from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import CleanerError

SCOPES = ("edit", "rule", "category")
OPS = ("fix", "voice", "person", "decide", "text", "restore")


@dataclass(frozen=True, slots=True)
class State:
    """The editor's decisions at one point of the history."""

    fixes: tuple[tuple[int, int | None, str], ...] = ()  # (line, at, speaker), sorted
    voices: tuple[tuple[str, str], ...] = ()  # (decoder label, name shown), in order given
    people: tuple[str, ...] = ()
    decisions: tuple[tuple[str, str, bool], ...] = ()  # (scope, key, accept), latest last
    texts: tuple[tuple[int, int, int, str, str], ...] = ()  # (line, start, end, before, after)

    def voice_map(self) -> dict[str, str]:
        """Decoder label -> name shown."""
        return dict(self.voices)

    def accepted(self, key: str, rule: str, category: str) -> bool:
        """Whether an edit stands: the latest decision about it, its rule or its category."""
        wanted = {("edit", key), ("rule", rule), ("category", category)}
        for scope, name, accept in reversed(self.decisions):
            if (scope, name) in wanted:
                return accept
        return True


@dataclass(frozen=True, slots=True)
class History:
    """Actions done (in order) and undone (most recently undone last), over a base state."""

    base: State = field(default_factory=State)
    done: tuple[dict, ...] = ()
    undone: tuple[dict, ...] = ()

    @property
    def state(self) -> State:
        """The state after every action done."""
        state = self.base
        for action in self.done:
            state = apply(state, action, self.base)
        return state

    def do(self, action: dict) -> History:
        """The history with one more action (a new action clears the redo stack)."""
        check_action(action)
        return replace(self, done=self.done + (action,), undone=())

    def undo(self) -> History:
        if not self.done:
            return self
        return replace(self, done=self.done[:-1], undone=self.undone + (self.done[-1],))

    def redo(self) -> History:
        if not self.undone:
            return self
        return replace(self, done=self.done + (self.undone[-1],), undone=self.undone[:-1])


def apply(state: State, action: Mapping, base: State) -> State:
    """The state after one action (``base`` is what "restore original" goes back to)."""
    op = action["op"]
    if op == "fix":
        fixes = {(line, at): speaker for line, at, speaker in state.fixes}
        for fix in action["fixes"]:
            fixes[(fix["line"], fix.get("at"))] = fix["speaker"]
        return replace(state, fixes=tuple(sorted(
            ((line, at, speaker) for (line, at), speaker in fixes.items()),
            key=lambda f: (f[0], f[1] or 0))))
    if op == "voice":
        voices = [(label, name) for label, name in state.voices if label != action["voice"]]
        if action["name"] != action["voice"]:
            voices.append((action["voice"], action["name"]))
        return replace(state, voices=tuple(voices))
    if op == "person":
        if action["name"] in state.people:
            return state
        return replace(state, people=state.people + (action["name"],))
    if op == "decide":
        key = (action["scope"], action["key"])
        kept = tuple(d for d in state.decisions if d[:2] != key)
        return replace(state, decisions=kept + ((*key, bool(action["accept"])),))
    if op == "text":
        texts = {fix[:3]: fix for fix in state.texts}
        for fix in action["fixes"]:
            place = (fix["line"], fix["start"], fix["end"])
            texts.pop(place, None)
            if fix["after"] != fix["before"]:
                texts[place] = (*place, fix["before"], fix["after"])
        return replace(state, texts=tuple(sorted(texts.values())))
    if op == "restore":
        return base
    raise ValueError(f"unknown action {op!r}")


def check_action(action: object) -> None:
    """Refuse a malformed action (it comes from the page, or from a hand-edited sidecar)."""
    if not isinstance(action, Mapping) or action.get("op") not in OPS:
        raise CleanerError(f"unknown review action (allowed: {', '.join(OPS)})")
    op = action["op"]
    if op == "fix":
        fixes = action.get("fixes")
        if not isinstance(fixes, list) or not fixes:
            raise CleanerError("a fix needs a list of {line, at, speaker}")
        for fix in fixes:
            if not isinstance(fix, Mapping) or not _count(fix.get("line"), 1) \
                    or not (fix.get("at") is None or _count(fix.get("at"), 1)) \
                    or not _name(fix.get("speaker")):
                raise CleanerError("a fix is {line: 1 or more, at: 1 or more or null, "
                                   "speaker: a name}")
    elif op == "voice":
        if not _name(action.get("voice")) or not _name(action.get("name")):
            raise CleanerError("a voice rename needs a voice and a name")
    elif op == "person":
        if not _name(action.get("name")):
            raise CleanerError("a person needs a name")
    elif op == "text":
        fixes = action.get("fixes")
        if not isinstance(fixes, list) or not fixes:
            raise CleanerError("a text change needs a list of {line, start, end, before, after}")
        for fix in fixes:
            if not isinstance(fix, Mapping) or not _count(fix.get("line"), 1) \
                    or not _count(fix.get("start"), 0) or not _count(fix.get("end"), 1) \
                    or fix["start"] >= fix["end"] or not isinstance(fix.get("before"), str) \
                    or not isinstance(fix.get("after"), str) or len(fix["after"]) > 10000 \
                    or "\n" in fix["after"] or "\r" in fix["after"]:
                raise CleanerError("a text change is {line, start < end, before, after: one line}")
    elif op == "decide":
        if action.get("scope") not in SCOPES or not isinstance(action.get("key"), str) \
                or not isinstance(action.get("accept"), bool):
            raise CleanerError("a decision is {scope: edit|rule|category, key, accept: bool}")


def _count(value: object, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _name(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 200 \
        and value == " ".join(value.split())


def normal_name(text: str) -> str:
    """A speaker name as typed, with its spaces tidied (as overrides files read them)."""
    return " ".join(str(text).split())


# --- the pieces of a review that depend on the turns -----------------------------------------

def line_starts(segments: Iterable) -> dict[int, int]:
    """The column where each input line's transcript text starts (the overrides' ``at`` origin)."""
    starts: dict[int, int] = {}
    for segment in segments:
        starts.setdefault(segment.line, segment.start)
    return starts


def fix_column(fix: tuple[int, int | None, str], starts: Mapping[int, int]) -> int:
    """The input column a fix starts at."""
    line, at, _ = fix
    return starts.get(line, 0) + (at or 0)


def pinned(turns: Sequence, fixes: Sequence[tuple[int, int | None, str]],
           starts: Mapping[int, int]) -> set[int]:
    """The turns a fix lands in: the editor said who speaks there."""
    columns: dict[int, list[int]] = {}
    for fix in fixes:
        columns.setdefault(fix[0], []).append(fix_column(fix, starts))
    return {number for number, turn in enumerate(turns)
            if any(s <= column < e for line, s, e in turn.spans for column in columns.get(line, ()))}


def turn_fixes(turns: Sequence, number: int, speaker: str, starts: Mapping[int, int],
               line: int | None = None, column: int | None = None) -> list[dict]:
    """Overrides giving turn ``number`` to ``speaker`` (from input ``line``/``column`` on when
    given, else the whole turn): one at the start of each of its lines, and one where the
    next turn starts mid-line, naming that turn's speaker, so the fix ends with the turn."""
    turn = turns[number]
    spans = list(turn.spans)
    if line is not None:
        spans = [(l, max(s, column), e) if l == line else (l, s, e) for l, s, e in spans
                 if l > line or (l == line and e > column)]
    fixes = [_fix(l, s, speaker, starts) for l, s, _ in spans]
    if spans and number + 1 < len(turns):
        following = turns[number + 1]
        last_line, _, last_end = spans[-1]
        first_line, first_start, _ = following.spans[0]
        if first_line == last_line and first_start == last_end and following.speaker:
            fixes.append(_fix(first_line, first_start, following.speaker, starts))
    return fixes


def _fix(line: int, column: int, speaker: str, starts: Mapping[int, int]) -> dict:
    at = column - starts.get(line, 0)
    return {"line": line, "at": at if at > 0 else None, "speaker": speaker}


def speaker_at(turns: Sequence) -> dict[tuple[int, int, int], str | None]:
    """Each turn span and its speaker (to compare two labellings)."""
    return {span: turn.speaker for turn in turns for span in turn.spans}


def changed_turns(before: Sequence, after: Sequence) -> list[int]:
    """The turns of ``after`` where some text has another speaker than in ``before``."""
    old: dict[int, list[tuple[int, int, str | None]]] = {}
    for turn in before:
        for line, start, end in turn.spans:
            old.setdefault(line, []).append((start, end, turn.speaker))
    out = []
    for number, turn in enumerate(after):
        if any(s < end and start < e and speaker != turn.speaker
               for line, start, end in turn.spans for s, e, speaker in old.get(line, ())):
            out.append(number)
    return out


def overrides_doc(fixes: Sequence[tuple[int, int | None, str]]) -> list[dict]:
    """Fixes in the ``--overrides`` file format."""
    out = []
    for line, at, speaker in fixes:
        item = {"line": line, "speaker": speaker}
        if at:
            item["at"] = at
        out.append(item)
    return out


def effective_fixes(turns: Sequence, state: State, starts: Mapping[int, int],
                    voice_of: Sequence[str | None]) -> list[tuple[int, int | None, str]]:
    """The editor's fixes plus, for each turn shown under a renamed voice, overrides at its
    lines: together they give ``cleaner clean --overrides`` the labelling the editor sees.
    ``voice_of[i]`` is the decoder's label of turn ``i`` (before renames)."""
    fixes = {(line, at): speaker for line, at, speaker in state.fixes}
    names = state.voice_map()
    held = pinned(turns, state.fixes, starts)
    for number, turn in enumerate(turns):
        name = names.get(voice_of[number] or "")
        if name is None or number in held:
            continue
        for fix in turn_fixes(turns, number, name, starts):
            fixes.setdefault((fix["line"], fix["at"]), fix["speaker"])
    return sorted(((line, at, speaker) for (line, at), speaker in fixes.items()),
                  key=lambda f: (f[0], f[1] or 0))


def history_doc(history: History) -> dict:
    """The history as plain data for the sidecar."""
    return {"history": [dict(a) for a in history.done], "redo": [dict(a) for a in history.undone]}


def history_from(doc: Mapping, base: State, path: str) -> History:
    """The history read back from a sidecar (every action checked again)."""
    done, undone = doc.get("history") or [], doc.get("redo") or []
    if not isinstance(done, list) or not isinstance(undone, list):
        raise CleanerError("a review file's 'history' and 'redo' must be lists", path)
    for action in (*done, *undone):
        try:
            check_action(action)
        except CleanerError as error:
            raise CleanerError(f"bad action in review file: {error.message}", path) from None
    return History(base=base, done=tuple(_plain(a) for a in done),
                   undone=tuple(_plain(a) for a in undone))


def _plain(value):
    """YAML containers as plain dicts and lists (so actions compare and serialise simply)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
