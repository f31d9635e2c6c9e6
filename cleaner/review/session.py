"""One review of one transcript: runs the pipeline as ``clean`` does, applies the editor's
actions, and keeps the sidecar (``INPUT.review.yaml``) and the lock beside the input.

The only files touched: the input (read), the cast/overrides/pack/media files given (read),
the sidecar and lock (written), and exports, which go in the input's folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

import yaml

from ..attribute.overrides import Override
from ..collector import collector_paused
from ..correct.packs import CastMember, load_library
from ..errors import CleanerError
from ..files import DEFAULT_MAX_BYTES, read_raw, same_file, write_output
from ..model import Result
from ..pipeline import Options, clean, clean_transcript, verify_restorable
from ..read import decode
from ..render import WRITERS, render
from .state import (History, State, changed_turns, check_action, effective_fixes, history_doc,
                    history_from, line_starts, normal_name, overrides_doc, pinned, turn_fixes)
from ..edits import text_offset
from .view import decided, find, page_data, shown_speakers, with_texts

SIDECAR_SUFFIX = ".review.yaml"
LOCK_SUFFIX = ".review.lock"
EXTENSION = {"podcast-json": "json"}


class Session:
    """The state of one open review; every method that changes it saves the sidecar."""

    def __init__(self, path: str, options: Options | None = None, *, media: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = os.path.abspath(path)
        self.sidecar = self.path + SIDECAR_SUFFIX
        self.media = os.path.abspath(media) if media else None
        if self.media and not os.path.isfile(self.media):
            raise CleanerError("no such media file", media)
        options = options or Options()
        raw = read_raw(path, max_bytes)
        text, encoding, bom = decode(raw, path)
        self.library = load_library(options.rules, options.default_rules, options.disabled)
        given = tuple(options.overrides or ())
        self.options = replace(options, overrides=None)
        with collector_paused():
            first = clean(text, path=path, options=replace(self.options, overrides=given),
                          library=self.library, encoding=encoding, bom=bom)
        self.transcript = first.transcript
        self.starts = line_starts(self.transcript.segments)
        self.cast = (tuple(options.cast) if isinstance(options.cast, tuple) else tuple(
            CastMember(name=m["name"], role=m["role"] or "unknown", aliases=tuple(m["aliases"]))
            for m in first.options.get("cast", ())))
        base = State(fixes=tuple((o.line, o.at or None, o.speaker) for o in given))
        self.history = self._load(base)
        self._cache: dict = {}
        if not self.history.done:
            self._cache[self._key(base)] = first
        try:
            self.result = self._decode(self.history.state)
        except CleanerError as error:  # the input changed since the review was saved
            raise CleanerError(f"the review file does not fit the input any more ({error}); "
                               "move it away to start afresh", self.sidecar) from None

    # --- the pipeline ----------------------------------------------------------------------

    def _key(self, state: State) -> tuple:
        return tuple(self._overrides(state)), tuple(self._extras(state))

    def _overrides(self, state: State) -> list[Override]:
        """The fixes as the decoder's overrides: a name the editor gave a voice goes to the
        decoder as that voice's label (the decoder only knows its own cast)."""
        known = {member.name for member in self.cast}
        label_of = {name: label for label, name in state.voices}
        return [Override(line=line, at=at, speaker=speaker if speaker in known
                         else label_of.get(speaker, speaker))
                for line, at, speaker in state.fixes]

    def _extras(self, state: State) -> list[str]:
        """Names a fix gives that the cast lacks (a person the editor added)."""
        known = {member.name for member in self.cast}
        return list(dict.fromkeys(o.speaker for o in self._overrides(state)
                                  if o.speaker not in known))

    def _decode(self, state: State) -> Result:
        """The pipeline's result with the state's fixes as overrides (cached per fix set)."""
        key = self._key(state)
        if key not in self._cache:
            extras = key[1]
            cast = self.options.cast
            if extras:
                cast = self.cast + tuple(CastMember(name=name) for name in extras)
            options = replace(self.options, overrides=key[0], cast=cast)
            with collector_paused():
                result = clean_transcript(self.transcript, self.library, options)
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[key] = result
        return self._cache[key]

    # --- what the page sees and does ---------------------------------------------------------

    @property
    def state(self) -> State:
        return self.history.state

    @property
    def title(self) -> str:
        return self.transcript.title or os.path.basename(self.path)

    def speakers(self, result: Result | None = None, state: State | None = None) -> list:
        return shown_speakers((result or self.result).turns, state or self.state, self.starts)

    def data(self, changed=(), fixed=()) -> dict:
        """The page's data for the current state."""
        state = self.state
        held = sorted(pinned(self.result.turns, state.fixes, self.starts))
        out = page_data(with_texts(self.result, state), state, changed=changed, fixed=fixed,
                        pinned=held, people=state.people)
        out.update({"title": self.title, "file": os.path.basename(self.path),
                    "media": bool(self.media), "undo": len(self.history.done),
                    "redo": len(self.history.undone),
                    "formats": sorted(WRITERS), "sidecar": os.path.basename(self.sidecar)})
        return out

    def act(self, payload: Mapping) -> dict:
        """Do one thing the page asked for; return the new page data, with the turns whose
        speaker changed beyond those the action named (``changed``) and those it named
        (``fixed``). Nothing changes if the pipeline refuses the result (a CleanerError)."""
        op = payload.get("op") if isinstance(payload, Mapping) else None
        if op == "undo":
            history, action = self.history.undo(), None
        elif op == "redo":
            history, action = self.history.redo(), None
        else:
            action = self._action(payload)
            history = self.history.do(action)
        result = self._decode(history.state)
        before = self._shown_turns(self.result, self.state)
        self.history, self.result = history, result
        after = self._shown_turns(result, history.state)
        changed = changed_turns(before, after)
        direct = self._direct(action, after)
        self.save()
        return self.data(changed=[n for n in changed if n not in direct], fixed=sorted(direct))

    def _shown_turns(self, result: Result, state: State) -> list:
        return [replace(turn, speaker=name)
                for turn, name in zip(result.turns, self.speakers(result, state))]

    def _direct(self, action: Mapping | None, turns) -> set[int]:
        """The turns an action named itself (the rest of what changed is propagation)."""
        if not action:
            return set()
        if action["op"] == "fix":
            fixes = [(f["line"], f.get("at"), f["speaker"]) for f in action["fixes"]]
            return pinned(turns, fixes, self.starts)
        if action["op"] == "voice":
            return {n for n, turn in enumerate(self.result.turns) if turn.speaker == action["voice"]}
        return set()

    def _action(self, payload: Mapping) -> dict:
        """A page request as a history action (fixes are placed on the turns shown now)."""
        op = payload.get("op")
        if op == "relabel":
            turns = self._shown_turns(self.result, self.state)
            number, scope = payload.get("turn"), payload.get("scope", "turn")
            if not isinstance(number, int) or not 0 <= number < len(turns):
                raise CleanerError("no such turn")
            speaker = normal_name(payload.get("speaker") or "")
            if not speaker:
                raise CleanerError("give a speaker name")
            if scope == "voice":
                voice = self.result.turns[number].speaker
                if not voice:
                    raise CleanerError("this turn has no voice to rename")
                action = {"op": "voice", "voice": voice, "name": speaker}
            elif scope in ("turn", "rest"):
                line = payload.get("line") if scope == "rest" else None
                column = payload.get("col") if scope == "rest" else None
                if scope == "rest" and not (isinstance(line, int) and isinstance(column, int)):
                    raise CleanerError("a fix from a word needs its line and column")
                action = {"op": "fix", "fixes": turn_fixes(turns, number, speaker, self.starts,
                                                           line, column)}
            else:
                raise CleanerError("scope must be turn, rest or voice")
        elif op == "replace":
            found = self.find(str(payload.get("query") or ""), bool(payload.get("case")))
            only = payload.get("only")
            if isinstance(only, list):
                found = [m for n, m in enumerate(found) if n in set(only)]
            if not found:
                raise CleanerError("nothing to replace")
            after = str(payload.get("with") or "")
            action = {"op": "text", "fixes": [{**{k: m[k] for k in ("line", "start", "end",
                                                                    "before")}, "after": after}
                                              for m in found]}
        elif op == "word":
            action = {"op": "text", "fixes": [self._word_fix(payload)]}
        elif op in ("person", "decide", "restore"):
            action = {key: payload[key] for key in ("op", "name", "scope", "key", "accept")
                      if key in payload}
            if op == "person":
                action["name"] = normal_name(action.get("name") or "")
        else:
            raise CleanerError(f"unknown action {op!r}")
        check_action(action)
        return action

    def find(self, query: str, case: bool = False) -> list[dict]:
        """Where ``query`` occurs in text no rule changed (the find and replace preview)."""
        return find(with_texts(self.result, self.state), query, case)

    def _word_fix(self, payload: Mapping) -> dict:
        """A text change replacing the word at input ``line``/``col`` (its text as shown is
        ``text``) by ``with``."""
        line, column, word = payload.get("line"), payload.get("col"), payload.get("text")
        after = payload.get("with")
        if not (isinstance(line, int) and isinstance(column, int) and isinstance(word, str)
                and word.strip() and isinstance(after, str)):
            raise CleanerError("a word edit needs line, col, text and with")
        word = word.strip()
        for segment in self.transcript.segments:
            if segment.line == line and segment.start <= column < segment.end:
                offset = text_offset(segment, column)
                if segment.text[offset:offset + len(word)] != word:
                    break
                end = segment.end_col(offset + len(word))
                return {"line": line, "start": column, "end": end, "after": " ".join(after.split()),
                        "before": self.transcript.lines[line - 1][column:end]}
        raise CleanerError("that word is not in the input as shown (reload the page)")

    def make_rules(self, pack: str) -> str:
        """Learn rules from the editor's text changes (``cleaner learn`` on the input and the
        input with those changes) and merge them into ``pack``: one of the ``--rules`` packs
        given, or a ``.yaml`` file in the input's folder. Returns what changed, in a line."""
        from ..commands.packfile import add_to_pack, summary, taken_ids
        from ..learn.learn import LearnOptions, learn
        from ..read import read_text

        target = self._pack_path(pack)
        texts = self.state.texts
        if not texts:
            raise CleanerError("no text changes to learn from: edit a word first")
        lines = list(self.transcript.lines)
        for line, start, end, before, after in sorted(texts, reverse=True):
            if lines[line - 1][start:end] == before:
                lines[line - 1] = lines[line - 1][:start] + after + lines[line - 1][end:]
        corrected = read_text("".join(l + nl for l, nl in zip(lines, self.transcript.newlines)),
                              self.path, self.transcript.format)
        existing = [rule for pack_ in self.library.packs for rule in pack_.rules]
        learned = learn(self.transcript, corrected, existing,
                        LearnOptions(source=os.path.basename(self.path)))
        if not learned.rules:
            why = "; ".join(f"{s.before!r} -> {s.after!r}: {s.reason}" for s in learned.skipped)
            raise CleanerError("no safe rule in these changes" + (f" ({why})" if why else ""))
        merged = add_to_pack(target, learned.rules, taken_ids(self.library),
                             "Rules made in cleaner review from an editor's corrections.")
        return summary(os.path.basename(target), merged)

    def _pack_path(self, pack: str) -> str:
        """The pack file the editor named: a given ``--rules`` pack, or a new or existing
        ``.yaml`` file in the input's folder (the server writes nowhere else)."""
        pack = str(pack or "").strip()
        for given in self.options.rules:
            if pack in (given, os.path.basename(given)) and os.path.isfile(given):
                return os.path.abspath(given)
        if (not pack.endswith((".yaml", ".yml")) or os.path.basename(pack) != pack
                or pack.startswith(".") or "\\" in pack):
            raise CleanerError("name a pack given with --rules, or a new .yaml file name "
                               "(it goes in the input's folder)")
        return os.path.join(os.path.dirname(self.path), pack)

    # --- files -------------------------------------------------------------------------------

    def _load(self, base: State) -> History:
        """The history saved beside the input, or a fresh one."""
        if not os.path.exists(self.sidecar):
            return History(base=base)
        try:
            with open(self.sidecar, encoding="utf-8") as handle:
                doc = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
            raise CleanerError(f"cannot read the review file: {_first_line(error)}",
                               self.sidecar) from None
        if not isinstance(doc, dict):
            raise CleanerError("a review file must be a mapping", self.sidecar)
        return history_from(doc, base, self.sidecar)

    def save(self) -> None:
        """Write the sidecar atomically: overrides as ``--overrides`` reads them, then the
        editor's decisions and the history they come from."""
        state = self.state
        shown = self._shown_turns(self.result, state)
        fixes = effective_fixes(shown, state, self.starts,
                                [turn.speaker for turn in self.result.turns])
        doc = {
            "overrides": overrides_doc(fixes),
            "voices": dict(state.voices), "people": list(state.people),
            "decisions": [{"scope": s, "key": k, "accept": a} for s, k, a in state.decisions],
            **history_doc(self.history),
        }
        header = (f"# cleaner review of {os.path.basename(self.path)}: saved after every "
                  "action.\n# 'overrides' works as is with: cleaner clean "
                  f"{os.path.basename(self.path)} --overrides {os.path.basename(self.sidecar)}"
                  "\n# ('history' and 'redo' are the editor's actions: reopening resumes them)\n")
        write_output(self.sidecar, header + yaml.safe_dump(doc, sort_keys=False,
                                                           allow_unicode=True, width=100,
                                                           default_flow_style=None))

    def export(self, fmt: str, name: str | None = None) -> str:
        """Write the transcript as decided, in ``fmt``, into the input's folder; its path."""
        if fmt not in WRITERS:
            raise CleanerError(f"unknown format {fmt!r} (one of {', '.join(sorted(WRITERS))})")
        folder, base = os.path.split(self.path)
        stem = os.path.splitext(base)[0]
        name = name or f"{stem}.reviewed.{EXTENSION.get(fmt, fmt)}"
        if (os.path.basename(name) != name or name.startswith(".") or "/" in name
                or "\\" in name or "\0" in name):
            raise CleanerError("an export name is a plain file name in the input's folder")
        target = os.path.join(folder, name)
        if target in (self.path, self.sidecar, self.path + LOCK_SUFFIX, self.media) or \
                same_file(target, self.path) or (self.media and same_file(target, self.media)):
            raise CleanerError("refusing to write over the input, its review file or media", name)
        result = decided(with_texts(self.result, self.state), self.state, self.speakers())
        verify_restorable(result)
        write_output(target, render(result, fmt))
        return target


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())


def acquire_lock(path: str) -> str:
    """Take the lock beside the input (a file holding our pid); a live holder is refused,
    a dead one's lock is taken over. Returns the lock's path."""
    lock = os.path.abspath(path) + LOCK_SUFFIX
    for _ in range(3):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and holder != os.getpid() and _alive(holder):
                raise CleanerError(f"already open in another cleaner review (pid {holder}); "
                                   "close that one first", path) from None
            try:
                os.unlink(lock)  # stale: its process is gone
            except FileNotFoundError:
                pass
            continue
        with os.fdopen(handle, "w") as out:
            out.write(f"{os.getpid()}\n")
        return lock
    raise CleanerError("cannot take the review lock", lock)


def release_lock(lock: str) -> None:
    """Remove our lock (only if it is still ours)."""
    if _holder(lock) == os.getpid():
        try:
            os.unlink(lock)
        except FileNotFoundError:
            pass


def _holder(lock: str) -> int | None:
    try:
        with open(lock, encoding="ascii") as handle:
            return int(handle.read().strip() or 0) or None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
