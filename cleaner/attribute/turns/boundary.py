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

from ...segment.units import TITLE_END
from ..cues import ACKS, ASKS, STARTERS, Clue, Scene, View, asks_you

# Log-odds of a change of speaker at a unit's start, from ``python bench/fit_boundary.py``.
CHANGE: dict[str, float] = {
    "bias": -2.08,
    "open.yes": 2.93,  # n=406
    "open.well": 2.73,  # n=95
    "prev.cut": 2.68,  # n=79
    "open.oh": 2.33,  # n=122
    "cont.new": 2.24,  # n=197
    "open.no": 2.21,  # n=48
    "line.2": 2.00,  # n=180
    "q.after.q": -1.98,  # n=94
    "open.agree": 1.96,  # n=23
    "prev.reply": 1.95,  # n=568
    "mid": -1.87,  # n=488
    "lower": -1.78,  # n=20
    "line.1": 1.76,  # n=322
    "cont": -1.76,  # n=2462
    "open.okay": 1.68,  # n=197
    "line.3": 1.44,  # n=160
    "prev.q": 1.41,  # n=357
    "prev.q.you": 1.27,  # n=224
    "time-mark": 1.21,  # n=74
    "prev.short": 1.04,  # n=398
    "open.thanks": 1.00,  # n=51
    "q": 0.96,  # n=287
    "q.you": 0.89,  # n=182
    "line.5": 0.87,  # n=423
    "open.we": -0.87,  # n=271
    "reply": 0.75,  # n=567
    "open.and": -0.66,  # n=1157
    "prev.line.5": 0.60,  # n=422
    "prev.cut.inside": 0.57,  # n=77
    "prev.ask": 0.52,  # n=48
    "you.i": 0.45,  # n=266
    "open.look": -0.44,  # n=152
    "prev.line.8": 0.42,  # n=815
    "line.8": 0.42,  # n=813
    "prev.line.1": 0.32,  # n=321
    "i.you": 0.31,  # n=313
    "open.so": -0.30,  # n=519
    "echo": 0.28,  # n=72
    "line.long": -0.22,  # n=476
    "prev.line.3": 0.13,  # n=160
    "open.you": -0.11,  # n=164
    "prev.line.2": 0.06,  # n=179
    "prev.dots": 0.03,  # n=299
}

# Silence before a unit, where the input has timings (captions, SRT, Whisper). Not fitted:
# no development conversation has timings; a prior from how turns are taken (a pause of a
# second or more is where a speaker most often changes). bench/fit_boundary.py leaves these.
GAP: dict[str, float] = {"gap.long": 1.2, "gap.mid": 0.5, "gap.none": -0.3}
GAP_EDGES = (0.15, 0.7, 1.5)  # seconds: none below the first, mid from the second, long

REASONS: dict[str, str] = {
    "gap.long": "follows a silence of 1.5 s or more",
    "gap.mid": "follows a silence of 0.7-1.5 s",
    "gap.none": "follows the words before without a pause",
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
    "prev.ask": "follows a question put as a statement (“I wonder if you ...”)",
    "prev.cut": "follows a line broken off",
    "prev.cut.inside": "follows a dash inside a line",
    "prev.dots": "follows a sentence that trails off",
    "prev.short": "follows a sentence of three words or fewer",
    "prev.reply": "follows a short reply",
    "q": "asks a question",
    "q.you": "asks “you” a question",
    "q.after.q": "a question after a question",
    "reply": "a short reply",
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
_REPLIES = {"yes", "no", "well", "okay", "oh", "agree", "thanks"}
for _group in _OPENERS:
    REASONS[f"open.{_group}"] = "opens like a reply" if _group in _REPLIES else "opens with"
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
    """Words on each input line that starts with a sentence: a line that goes on with a
    sentence begun on the line before is a piece of wrapped text, whose length says little
    about turns (wrapping cuts "up." off a long sentence)."""
    words: dict[int, int] = {}
    wrapped = set()
    for view in views:
        if view.starts_line and view.continues:
            wrapped.add(view.line)
        words[view.line] = words.get(view.line, 0) + view.words
    return {line: count for line, count in words.items() if line not in wrapped}


def _length(name: str, words: int | None) -> list[str]:
    """The length feature of a line: ``line.3`` (three words), ``line.long``; none for a
    line of wrapped text (``words`` None)."""
    if words is None:
        return []
    if (size := _size(words)):
        return [f"{name}.{size}"]
    return [f"{name}.long"] if words >= _LONG_LINE and name == "line" else []


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
    if view.gap is not None:
        if view.gap >= GAP_EDGES[2]:
            out.append("gap.long")
        elif view.gap >= GAP_EDGES[1]:
            out.append("gap.mid")
        elif view.gap < GAP_EDGES[0]:
            out.append("gap.none")
    if not view.starts_line:
        out.append("mid")
    if view.continues:
        # A capitalised word that is not a name ("So", "The") after an unfinished sentence
        # starts a new one: the speaker was cut off.
        first = view.tokens[0] if view.tokens else ""
        common = (first in lowercase or first in STARTERS) and not first.startswith("i'")
        named = TITLE_END.search(previous.text) is not None  # "Thank you, Mr." / "President."
        out.append("cont" if view.text[:1].islower() or not common or first == "i" or named
                   else "cont.new")
    elif lower:
        out.append("lower")
    if view.starts_line and previous.line != view.line:
        out += _length("line", words.get(view.line))
        out += _length("prev.line", words.get(previous.line))
    if "cont" in out:
        return out
    if previous.question:
        out.append("prev.q.you" if asks_you(previous.text) else "prev.q")
    elif previous.sentence_last == previous.index and ASKS.search(previous.sentence):
        out.append("prev.ask")
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
            weight = scene.weights.get(f"change.{name}", CHANGE.get(name, GAP.get(name, 0.0)))
            if weight:
                yield Clue(unit, f"change.{name}", "boundary", weight, reason(name, views[unit]))


def reason(feature: str, view: View) -> str:
    """Why a feature was seen, in words, quoting the unit where that helps."""
    if feature == "reply":
        return f"“{view.text.strip()}” is a short reply"
    if feature.startswith("open.") and view.tokens:
        return f"{REASONS[feature]} (“{view.tokens[0]}”)"
    return REASONS[feature]
