"""Where the speaker changes: a logistic model of a change at the start of each unit.

Each unit boundary is described by generic features of the text on both sides: how long
the lines are, how the previous sentence ends, how the new one opens, questions, short
replies, "I" after "you". The log-odds of a change there is ``CHANGE["bias"]`` plus the
weights of the features present. The weights were fitted by ``bench/fit_boundary.py`` on the
development conversations (L2-regularised logistic regression, checked by leaving each
conversation out in turn); nothing is trained at run time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set

import regex

from .cues import ACKS, STARTERS, Clue, Scene, View, asks_you

# Log-odds of a change of speaker at a unit's start, from ``python bench/fit_boundary.py``.
CHANGE: dict[str, float] = {
    "bias": -2.27,
    "open.yes": 2.99,  # n=406
    "open.well": 2.82,  # n=95
    "prev.cut": 2.80,  # n=82
    "open.oh": 2.30,  # n=122
    "open.no": 2.19,  # n=48
    "line.2": 2.16,  # n=221
    "q.after.q": -1.97,  # n=94
    "open.agree": 1.91,  # n=23
    "cont": -1.91,  # n=2459
    "line.1": 1.85,  # n=427
    "cont.new": 1.80,  # n=200
    "prev.line.1": 1.76,  # n=425
    "open.okay": 1.74,  # n=197
    "lower": -1.71,  # n=20
    "line.3": 1.56,  # n=192
    "prev.q": 1.39,  # n=357
    "prev.q.you": 1.29,  # n=224
    "mid": -1.22,  # n=488
    "prev.line.3": 1.18,  # n=192
    "time-mark": 1.15,  # n=74
    "prev.line.2": 1.11,  # n=220
    "open.thanks": 1.09,  # n=51
    "q": 0.99,  # n=287
    "prev.reply": 0.91,  # n=568
    "line.5": 0.91,  # n=533
    "open.we": -0.86,  # n=271
    "q.you": 0.84,  # n=183
    "prev.line.5": 0.75,  # n=532
    "reply": 0.70,  # n=567
    "open.and": -0.66,  # n=1157
    "prev.line.8": 0.66,  # n=1091
    "you.i": 0.54,  # n=266
    "line.8": 0.53,  # n=1089
    "open.look": -0.45,  # n=152
    "i.you": 0.39,  # n=313
    "prev.short": 0.32,  # n=401
    "echo": 0.31,  # n=72
    "line.long": -0.30,  # n=694
    "open.so": -0.28,  # n=519
    "prev.cut.inside": 0.20,  # n=80
    "open.you": -0.11,  # n=164
    "prev.dots": 0.03,  # n=303
}

REASONS: dict[str, str] = {
    "mid": "starts inside a line",
    "cont": "continues the previous sentence",
    "cont.new": "a new sentence after an unfinished one",
    "lower": "starts in lowercase",
    "line.1": "a line of one word",
    "line.2": "a line of two words",
    "line.3": "a line of three words",
    "line.5": "a line of 4-5 words",
    "line.8": "a line of 6-8 words",
    "line.long": "a line of 18 words or more",
    "prev.line.1": "follows a line of one word",
    "prev.line.2": "follows a line of two words",
    "prev.line.3": "follows a line of three words",
    "prev.line.5": "follows a line of 4-5 words",
    "prev.line.8": "follows a line of 6-8 words",
    "prev.q": "follows a question",
    "prev.q.you": "follows a question to “you”",
    "prev.cut": "follows a line broken off",
    "prev.cut.inside": "follows a dash inside a line",
    "prev.dots": "follows a sentence that trails off",
    "prev.short": "follows a sentence of three words or fewer",
    "prev.reply": "follows a short reply",
    "q": "asks a question",
    "q.you": "asks “you” a question",
    "q.after.q": "a question after a question",
    "reply": "a short reply (“Yeah.”)",
    "you.i": "says “I” after being asked about “you”",
    "i.you": "speaks to “you” after someone spoke of “I” or “we”",
    "time-mark": "opens with a timestamp or stage note",
    "echo": "repeats the words just said",
}

_OPENERS = {
    "yes": ("yeah", "yes", "yep", "yup", "yah", "ya"),
    "no": ("no", "nope", "nah"),
    "well": ("well",),
    "so": ("so",),
    "okay": ("okay", "ok", "alright", "right", "sure", "all"),
    "oh": ("oh", "ah", "wow", "hmm", "mm", "mm-hmm", "mhm", "uh-huh", "huh"),
    "agree": ("exactly", "absolutely", "totally", "definitely", "correct", "indeed", "true",
              "agreed", "precisely", "certainly"),
    "thanks": ("thanks", "thank"),
    "and": ("and", "but", "or", "because", "which", "then"),
    "look": ("look", "listen", "now", "let", "let's"),
    "we": ("we", "we're", "we've", "our"),
    "you": ("you", "you're", "your"),
}
OPENER = {word: group for group, words in _OPENERS.items() for word in words}
for _group in _OPENERS:
    REASONS[f"open.{_group}"] = f"opens like {'a reply' if _group in ('yes', 'no', 'well', 'okay', 'oh', 'agree', 'thanks') else 'this'}"
_I = regex.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me|myself)\b")
_I_WE = regex.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me|myself)\b|(?i:\b(?:we|we're|we've|our|us)\b)")
_YOU = regex.compile(r"(?i)\b(?:you|your|you're|you've|you'd|yourself)\b(?!\s+know\b)")
_TIME_MARK = regex.compile(
    r"^\s*\[(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?\]"
    r"|^\s*\[(?:laughs?|laughter|crosstalk|applause|inaudible)\]",
    regex.IGNORECASE,
)
_LINE_SIZES = (1, 2, 3, 5, 8)
_LONG_LINE = 18
_SHORT = 3


def line_words(views: Sequence[View]) -> dict[int, int]:
    """Words on each input line."""
    words: dict[int, int] = {}
    for view in views:
        words[view.line] = words.get(view.line, 0) + view.words
    return words


def _size(words: int) -> int | None:
    return next((size for size in _LINE_SIZES if words <= size), None)


def features(previous: View, view: View, words: dict[int, int],
             lowercase: Set[str] = frozenset(), lowercase_sentences: bool = False) -> list[str]:
    """The features of the boundary between two consecutive non-empty units.

    ``words`` counts the words of each input line, ``lowercase`` holds the words the
    transcript writes in lowercase, and ``lowercase_sentences`` says it often starts
    sentences in lowercase (then case says little).
    """
    out = []
    lower = view.text[:1].islower() and not lowercase_sentences
    end = previous.text.rstrip(" \"'”’)")
    if not view.starts_line:
        out.append("mid")
    if view.continues:
        # A capitalised word that is not a name ("So", "The") after an unfinished sentence
        # starts a new one: the speaker was cut off.
        first = view.tokens[0] if view.tokens else ""
        common = (first in lowercase or first in STARTERS) and not first.startswith("i'")
        out.append("cont" if view.text[:1].islower() or not common or first == "i" else "cont.new")
    elif lower:
        out.append("lower")
    if view.starts_line and previous.line != view.line:
        size = _size(words.get(view.line, 0))
        if size:
            out.append(f"line.{size}")
        elif words.get(view.line, 0) >= _LONG_LINE:
            out.append("line.long")
        size = _size(words.get(previous.line, 0))
        if size:
            out.append(f"prev.line.{size}")
    if "cont" in out:
        return out
    if previous.question:
        out.append("prev.q.you" if asks_you(previous.text) else "prev.q")
    elif end.endswith(("-", "—", "–")):
        out.append("prev.cut" if previous.line_end else "prev.cut.inside")
    elif end.endswith(("...", "…")):
        out.append("prev.dots")
    if previous.back_channel:
        out.append("prev.reply")
    elif 0 < previous.words <= _SHORT and not previous.continues:
        out.append("prev.short")
    if view.question:
        out.append("q.you" if asks_you(view.text) else "q")
        if previous.question:
            out.append("q.after.q")
    if view.back_channel:
        out.append("reply")
    group = OPENER.get(view.tokens[0]) if view.tokens else None
    if group:
        out.append(f"open.{group}")
    if _I.search(view.text) and _YOU.search(previous.text) and not _YOU.search(view.text):
        out.append("you.i")
    elif _YOU.search(view.text) and not _YOU.search(previous.text) and _I_WE.search(previous.text):
        out.append("i.you")
    if _TIME_MARK.match(view.text):
        out.append("time-mark")
    if _echoes(previous, view):
        out.append("echo")
    return out


def _echoes(previous: View, view: View) -> bool:
    """Repeating the words just heard ("Barely." after "Barely...") is a reply."""
    head = [word for word in view.tokens[:4] if word not in ACKS][:3]
    tail = list(previous.tokens[-6:])
    if not head:
        return False
    return (len(head) >= 2 and any(tail[i:i + len(head)] == head
                                   for i in range(len(tail) - len(head) + 1))) \
        or (view.words <= 3 and head == tail[-len(head):])


def boundaries(views: Sequence[View], lowercase: Set[str] = frozenset(),
               lowercase_sentences: bool = False) -> Iterator[tuple[int, list[str]]]:
    """``(unit, features)`` for every non-empty unit after the first."""
    words = line_words(views)
    previous = None
    for view in views:
        if not view.text:
            continue
        if previous is not None:
            yield view.index, features(previous, view, words, lowercase, lowercase_sentences)
        previous = view


def boundary_clues(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """One boundary clue per feature present at each unit's start, weighted by ``CHANGE``."""
    for unit, found in boundaries(views, scene.index.lowercase, scene.lowercase_sentences):
        for name in found:
            weight = scene.weights.get(f"change.{name}", CHANGE.get(name, 0.0))
            if weight:
                yield Clue(unit, f"change.{name}", "boundary", weight, REASONS[name])
