"""Cues: small functions that read the text around a unit and say who is likely speaking.

Every cue takes the units (as ``View``s) and the ``Scene`` (cast, name finder, weights) and
yields ``Clue``s. A clue is evidence about one unit, of one of these kinds:

- ``speaker``: the unit is (weight > 0) or is not (weight < 0) said by ``speaker``;
- ``role``: the unit is (or is not) said by someone with ``role``;
- ``boundary``: the speaker changes (weight > 0) or stays (weight < 0) at the unit's start;
- ``next``: the next change of speaker after this unit is to ``speaker``.

Weights are log-odds, all in ``WEIGHTS``; they were set from how often each cue is right on
the development conversations (bench/speakers.py), never for one conversation.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import regex

from ..model import Role
from ..segment import Unit, ends_sentence
from .cast import CREDITS, HAND_OVER, SELF_INTRO, Cast
from .names import Mention, NameIndex

WEIGHTS: dict[str, float] = {
    # boundary: where the speaker changes (+) or stays (-)
    "continuation": -2.7,             # continues an unfinished sentence
    "continuation.new-sentence": 1.7, # a new sentence after an unfinished one
    "continuation.lower": -0.8,       # starts in lowercase after an ended sentence
    "mid-line": -1.8,                 # starts inside an input line, not at its start
    "line.after-tiny": 0.4,           # the previous line has 1-2 words
    "line.after-short": 0.6,          # ... 3-5 words
    "line.after-shortish": 0.5,       # ... 6-8 words
    "line.tiny": 1.7,                 # this line has 1-2 words
    "line.short": 1.1,                # ... 3-5 words
    "back-channel": 2.8,              # "Yeah." as a whole sentence
    "back-channel.after": 1.4,        # the sentence after it
    "turn-opener": 1.7,               # scales the per-word opener weights below
    "cut-off.line": 3.7,              # the previous line ends broken off ("And I-")
    "cut-off.inside": 0.7,            # a dash inside a line (often a self-repair)
    "trail-off": 0.3,                 # the previous sentence trails off ("...")
    "short-turn": 0.7,                # after a sentence of three words or fewer
    "time-mark": 1.2,                 # opens with "[12:04]" or "[laughs]"
    "echo": 0.5,                      # repeats the words just said
    "question-start": 1.0,            # a question to "you" after statements
    "question-start.plain": 1.0,      # another question after statements
    "question-answer": 1.5,           # after a question to "you"
    "question-answer.plain": 1.5,     # after another question
    "question-run": -1.1,             # a question right after a question
    "credits.inside": 0.0,            # inside the credits
    "addressing.opens": 1.2,          # opens by addressing someone
    "addressing.reply": 0.0,          # thanks or greets someone at the start of a reply
    "addressing.invited": 0.9,        # the sentence after someone is asked to speak
    "narrator.after": 0.4,            # right after a narrator's hand-over
    # speaker: who speaks (+) or does not (-)
    "self-introduction": 5.0,
    "addressing.not": -4.5,           # the one addressed is not the one speaking
    "addressing.next": 3.0,           # ... and usually speaks next (a ``next`` clue)
    "addressing.next-unit": 1.0,      # ... so the next sentence is likely theirs
    "addressing.previous": 0.75,       # the one thanked or greeted in a reply spoke before
    "mention.full": -3.0,             # talked about by full name or surname
    "mention.given": -3.0,            # talked about by given name or alias
    "narrator.intro": 2.5,            # inside the narrator's intro
    "narrator.outside": -4.0,         # after the narrator's hand-over
    "narrator.none": -3.0,            # a narrator with no intro found
    "organisation": 1.2,              # "we" next to their organisation
    "entrance": -2.0,                 # before the guest is welcomed
    "input-label": 25.0,              # the input names the speaker (WebVTT, SRT): decisive
    # role: what kind of speaker (+)
    "role.question": 2.0,             # asks "you" a question: a host
    "role.question-plain": 1.2,       # asks another question: a host
    "role.you": 0.2,                  # says "you" (not "you know"): a host
    "role.i": -0.8,                   # says "I", "my": a guest rather
    "role.short": 0.3,                # a sentence of five words or fewer: a host
    "role.credits": 1.5,              # reads the credits: a host
}


@dataclass(frozen=True, slots=True)
class Clue:
    """One piece of evidence about one unit (see the module docstring for the kinds)."""

    unit: int
    cue: str
    kind: str
    weight: float
    reason: str
    speaker: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class View:
    """What the cues read about a unit."""

    index: int
    text: str            # corrected text, HTML entities decoded
    words: int
    line: int            # input line where the unit starts
    starts_line: bool    # the unit begins an input segment
    continues: bool      # the unit continues a sentence begun in the previous unit
    line_end: bool = True  # the unit ends its input segment
    mentions: tuple[Mention, ...] = ()
    hint: str | None = None  # a speaker named by the input format (WebVTT voice, SRT prefix)
    tokens: tuple[str, ...] = ()  # lowercased words
    back_channel: bool = False    # a short acknowledgement ("Yeah.")
    question: bool = False        # ends with a question mark


@dataclass(slots=True)
class Scene:
    """What every cue may consult: the cast, how to find its names, and the weights."""

    cast: Cast
    index: NameIndex
    organisations: dict[str, str] = field(default_factory=dict)  # organisation -> member
    weights: Mapping[str, float] = field(default_factory=lambda: WEIGHTS)
    lowercase_sentences: bool = False  # the transcript often starts sentences in lowercase

    def w(self, name: str) -> float:
        """The weight of a cue."""
        return self.weights[name]

    def clue(self, unit: int, cue: str, kind: str, reason: str, factor: float = 1.0,
             speaker: str | None = None, role: str | None = None) -> Clue:
        """A clue of cue ``cue`` (a key of ``WEIGHTS``) with that cue's weight times ``factor``."""
        return Clue(unit, cue, kind, self.weights[cue] * factor, reason, speaker, role)


_WORDS = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
_ACKS = {
    "yeah", "yes", "yep", "yup", "yah", "right", "sure", "okay", "ok", "totally", "exactly",
    "absolutely", "definitely", "uh-huh", "mm-hmm", "mhm", "mm", "mmm", "hmm", "hm", "wow", "true",
    "indeed", "correct", "no", "nope", "cool", "great", "nice", "interesting", "agreed", "alright",
    "gotcha", "perfect", "awesome", "really", "laughter", "laughs", "huh", "ha", "haha", "oh", "ah",
    "um", "uh", "well", "good", "precisely", "certainly", "fine", "wonderful", "fantastic",
    "amazing",
}
_ACK_PHRASES = {
    "got it", "i see", "i know", "of course", "that's right", "that's true", "that's fair",
    "fair enough", "for sure", "makes sense", "that makes sense", "all right", "sounds good",
    "thank you", "thanks", "no way", "oh my god", "that's great", "that's good", "that's cool",
    "that's interesting", "i agree", "me too", "same", "good point", "oh boy", "oh man",
    "i love that", "i like that", "that's funny", "that's awesome", "that's amazing",
    "that's wild", "that's crazy", "love it", "love that", "i'm sorry", "sorry",
    "thanks for having me", "thank you for having me", "thanks for having us",
    "thank you for having us", "glad to be here", "happy to be here", "great to be here",
    "good to be here", "my pleasure", "thank you very much", "thanks so much", "thank you so much",
}
_OPENERS = {
    "yeah": 2.0, "yes": 2.2, "yep": 2.2, "yup": 2.2, "no": 2.0, "nope": 2.0, "well": 1.8,
    "okay": 1.6, "ok": 1.6, "right": 1.6, "sure": 1.8, "oh": 2.0, "absolutely": 2.0,
    "exactly": 2.0, "totally": 2.0, "mm": 2.0, "mm-hmm": 2.2, "hmm": 1.5, "um": 0.8, "uh": 0.6,
    "alright": 1.2, "thanks": 1.6, "thank": 1.8, "great": 1.5, "wow": 1.8, "correct": 2.0,
    "indeed": 1.5, "interesting": 1.5, "definitely": 1.8, "true": 1.5, "good": 1.0,
}
_QUESTION_START = regex.compile(
    r"^(?:(?:and|so|but|now|okay|well|yeah|right)[,]?\s+)*(?:what|why|how|who|whom|whose|where|when"
    r"|which|do|does|did|is|are|was|were|can|could|would|will|should|have|has|had|may|might"
    r"|shall|tell|talk|explain|describe)\b",
    regex.IGNORECASE,
)
_YOU = regex.compile(r"\b(?:you|your|you're|yours|yourself|y'all)\b", regex.IGNORECASE)
_WE = regex.compile(r"\b(?:we|we're|we've|we'd|we'll|our|ours|us)\b", regex.IGNORECASE)
_THANKS_START = regex.compile(r"^(?:well,?\s+|and\s+|oh,?\s+)?(?:thanks|thank\s+you)\b",
                              regex.IGNORECASE)
_GREETING_START = regex.compile(r"^(?:hey|hi|hello|good\s+(?:morning|evening|afternoon))\b",
                                regex.IGNORECASE)
_FLOOR = regex.compile(
    r"\b(?:(?:two|one|three|\d+)\s+minutes?|(?:\d+|thirty|sixty|ninety)\s+seconds?|go\s+ahead|"
    r"your\s+turn|the\s+floor|over\s+to\s+you|what\s+do\s+you\s+think|respond|response|rebuttal)\b",
    regex.IGNORECASE,
)
_TIME_MARK = regex.compile(
    r"^\s*\[(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?\]"
    r"|^\s*\[(?:laughs?|laughter|crosstalk|applause|inaudible)\]",
    regex.IGNORECASE,
)
_LISTEN = regex.compile(
    r"(?i)\b(?:take\s+a\s+listen|let's\s+listen|have\s+a\s+listen"
    r"|enjoy\s+the\s+(?:show|episode|conversation))\b"
)
_AFFILIATION = regex.compile(
    r"(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){0,2}),\s+(?:the\s+|a\s+|an\s+)?(?:[\p{L}-]+\s+){0,3}"
    r"(?:of|at|from|for)\s+(?P<org>\p{Lu}[\p{L}\p{N}&.-]+(?:\s+\p{Lu}[\p{L}\p{N}&.-]+){0,2})",
    regex.VERSION1,
)
_LEADS = {"so", "and", "okay", "ok", "well", "yeah", "alright", "now", "but", "hey", "hi",
          "hello", "thanks", "thank", "you", "oh", "good", "morning", "evening", "yes", "no",
          "right", "sorry", "welcome", "back", "again", "congratulations", "dear", "look",
          "listen", "great", "wow", "please", "first", "all", "um", "uh"}
_APPOSITION = {"the", "a", "an", "who", "which", "whose", "one", "our", "my", "his", "her",
               "their", "its", "and", "or", "jr", "sr"}
_YOU_STATEMENT = regex.compile(r"(?i)\b(?:you|your|you're|you've|you'd|yourself)\b(?!\s+know\b)")
_I = regex.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me|myself)\b")
_WELCOMED = regex.compile(r"(?i)\bwelcome\b.{0,40}$|\bjoined\s+by\b|\bjoining\s+(?:me|us)\b")
_STARTERS = set(_OPENERS) | {
    "so", "and", "but", "or", "the", "a", "it", "it's", "this", "that", "that's", "we", "we're",
    "you", "they", "there", "then", "now", "what", "how", "why", "when", "where", "who", "if",
    "because", "also", "like", "let's", "one", "my", "our", "is", "are", "do", "does", "can",
}  # words that start sentences, not names
_SHORT_TURN = 3
_SHORT_UNIT = 5


def tokens(text: str) -> list[str]:
    """Lowercased words of a text (apostrophes and inner hyphens kept)."""
    return _WORDS.findall(text.casefold().replace("’", "'"))


def is_back_channel(text: str, words: Sequence[str] | None = None) -> bool:
    """True for a short acknowledgement that is a whole turn in itself ("Yeah.", "Got it.")."""
    words = tokens(text) if words is None else words
    if not words or len(words) > 4:
        return False
    if " ".join(words) in _ACK_PHRASES:
        return True
    return all(word in _ACKS for word in words)


def is_question(text: str) -> bool:
    """True when a unit asks something (ends with a question mark)."""
    return text.rstrip(" \"'”’)").endswith("?")


def asks_you(text: str) -> bool:
    """True for a question put to the listener ("How would you describe ...?")."""
    return is_question(text) and _YOU.search(text) is not None


def build_views(transcript, units: Sequence[Unit], index: NameIndex) -> list[View]:
    """A ``View`` of each unit, in order."""
    texts = []
    for unit in units:
        text = unit.text
        texts.append(html.unescape(text) if "&" in text else text)
    mentions = index.find_each(texts)
    views = []
    previous_text = ""
    for number, (unit, text) in enumerate(zip(units, texts)):
        piece = unit.pieces[-1]
        segment = transcript.segments[unit.first_segment]
        last = transcript.segments[piece.segment]
        continues = bool(previous_text) and not ends_sentence(previous_text)
        words = tuple(tokens(text))
        unnamed = _without(text, mentions[number]) if mentions[number] else text
        views.append(View(
            index=number, text=text, words=len(text.split()), line=segment.line,
            starts_line=unit.starts_segment, continues=continues,
            line_end=piece.end >= len(last.text), mentions=mentions[number],
            hint=segment.speaker_hint, tokens=words,
            back_channel=is_back_channel(unnamed), question=is_question(text),
        ))
        if text:
            previous_text = text
    return views


def _without(text: str, found: Sequence[Mention]) -> str:
    """The text with the names in it cut out ("Thanks, Jim." -> "Thanks, .")."""
    out, position = [], 0
    for mention in found:
        out.append(text[position:mention.start])
        position = mention.end
    out.append(text[position:])
    return "".join(out)


def _pairs(views: Sequence[View]) -> Iterator[tuple[View, View]]:
    """Consecutive non-empty units."""
    previous = None
    for view in views:
        if not view.text:
            continue
        if previous is not None:
            yield previous, view
        previous = view


# ---------------------------------------------------------------------------------------------
# Turn structure: where the speaker changes


def continuation(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A unit that goes on with an unfinished sentence keeps the speaker; a new sentence after
    an unfinished one (the speaker was cut off) often changes it. A sentence starting in
    lowercase continues the speaker, unless the transcript often starts sentences so."""
    for _, view in _pairs(views):
        first = view.tokens[:1]
        lower = view.text[0].islower()
        if view.continues:
            common = bool(first) and (first[0] in scene.index.lowercase or first[0] in _STARTERS) \
                and not first[0].startswith("i'")
            if lower or not common or first[0] == "i":
                yield scene.clue(view.index, "continuation", "boundary",
                                 "continues the previous sentence")
            else:
                yield scene.clue(view.index, "continuation.new-sentence", "boundary",
                                 "a new sentence after an unfinished one")
        elif lower and not scene.lowercase_sentences:
            yield scene.clue(view.index, "continuation.lower", "boundary", "starts in lowercase")


def lowercase_sentences(views: Sequence[View]) -> bool:
    """True when the transcript often starts a sentence in lowercase (then case says little)."""
    starts = [v.text[0].islower() for v in views if v.text and not v.continues]
    return bool(starts) and sum(starts) > 0.15 * len(starts)


def mid_line(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """ASR lines break at pauses, where turns change; inside a line a change is rarer."""
    for _, view in _pairs(views):
        if not view.starts_line:
            yield scene.clue(view.index, "mid-line", "boundary", "starts inside a line")


def line_length(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """ASR cuts lines where people pause, so a line much shorter than usual often ends a turn,
    and a short line is often a whole reply."""
    words: dict[int, int] = {}
    for view in views:
        words[view.line] = words.get(view.line, 0) + view.words
    for previous, view in _pairs(views):
        if not view.starts_line or view.line == previous.line:
            continue
        before, this = words.get(previous.line, 0), words.get(view.line, 0)
        if before <= 2:
            yield scene.clue(view.index, "line.after-tiny", "boundary",
                             "follows a line of 1-2 words")
        elif before <= 5:
            yield scene.clue(view.index, "line.after-short", "boundary",
                             "follows a line of 3-5 words")
        elif before <= 8:
            yield scene.clue(view.index, "line.after-shortish", "boundary",
                             "follows a line of 6-8 words")
        if this <= 2:
            yield scene.clue(view.index, "line.tiny", "boundary", "a line of 1-2 words")
        elif this <= 5:
            yield scene.clue(view.index, "line.short", "boundary", "a line of 3-5 words")


def back_channel(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A short acknowledgement ("Yeah.", "Right.") is usually someone else's, and the first
    speaker usually goes on after it."""
    pairs = list(_pairs(views))
    for number, (_, view) in enumerate(pairs):
        if view.continues or not view.back_channel:
            continue
        yield scene.clue(view.index, "back-channel", "boundary",
                         f"“{view.text.strip()}” is a short reply")
        if number + 1 < len(pairs) and not pairs[number + 1][1].text[0].islower():
            yield scene.clue(pairs[number + 1][1].index, "back-channel.after", "boundary",
                             "follows a short reply")


def turn_opener(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A sentence that opens like a reply ("Yeah, ...", "Well, ...", "No, ...") starts a turn."""
    for _, view in _pairs(views):
        if view.continues or view.back_channel:
            continue
        words = view.tokens
        weight = _OPENERS.get(words[0]) if words else None
        if weight:
            yield scene.clue(view.index, "turn-opener", "boundary",
                             f"opens like a reply (“{words[0]}”)", factor=weight)


def cut_off(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A line broken off ("And I-", "It's like --") is usually interrupted by someone else."""
    for previous, view in _pairs(views):
        if view.text[0].islower():
            continue
        end = previous.text.rstrip(" \"'”’)")
        if end.endswith(("-", "—", "–")):
            cue = "cut-off.line" if previous.line_end else "cut-off.inside"
            yield scene.clue(view.index, cue, "boundary", "follows a sentence broken off")
        elif end.endswith(("...", "…")):
            yield scene.clue(view.index, "trail-off", "boundary",
                             "follows a sentence that trails off")


def short_turn(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """After a very short sentence (a reply, an interjection) the speaker often changes back."""
    for previous, view in _pairs(views):
        if 0 < previous.words <= _SHORT_TURN and not previous.continues and not view.continues \
                and not previous.back_channel:
            yield scene.clue(view.index, "short-turn", "boundary", "follows a very short sentence")


def time_mark(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A timestamp or stage note at the start ("[12:04]", "[laughs]") often opens a new turn."""
    for _, view in _pairs(views):
        if _TIME_MARK.match(view.text):
            yield scene.clue(view.index, "time-mark", "boundary",
                             "opens with a timestamp or stage note")


def echo(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """Repeating the words just heard ("Barely." after "Barely...") is a reply."""
    for previous, view in _pairs(views):
        if view.continues:
            continue
        head = [word for word in view.tokens[:4] if word not in _ACKS][:3]
        tail = list(previous.tokens[-6:])
        if not head:
            continue
        echoed = (len(head) >= 2 and _contains(tail, head)) or (
            view.words <= 3 and head == tail[-len(head):])
        if echoed:
            yield scene.clue(view.index, "echo", "boundary", "repeats the words just said")


def _contains(sequence: list[str], part: list[str]) -> bool:
    return any(sequence[i : i + len(part)] == part for i in range(len(sequence) - len(part) + 1))


def question_start(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A question after statements usually starts the asker's turn (more so one to "you")."""
    for previous, view in _pairs(views):
        if view.continues or previous.question or not view.question:
            continue
        if asks_you(view.text):
            yield scene.clue(view.index, "question-start", "boundary", "asks a question")
        elif _QUESTION_START.search(view.text):
            yield scene.clue(view.index, "question-start.plain", "boundary", "asks a question")


def question_answer(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """After a question, the next sentence is likely someone else's answer."""
    for previous, view in _pairs(views):
        if not previous.question or view.continues:
            continue
        cue = "question-answer" if asks_you(previous.text) else "question-answer.plain"
        yield scene.clue(view.index, cue, "boundary", "answers a question")
        if view.question:
            yield scene.clue(view.index, "question-run", "boundary", "a question after a question")


# ---------------------------------------------------------------------------------------------
# Names: who is introduced, addressed or talked about


def self_introduction(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """"I'm Kevin Roose", "Hey, it's Michael": the unit is that person's."""
    for view in views:
        if not view.mentions:
            continue
        for mention in view.mentions:
            if _is_self(view.text, mention):
                yield scene.clue(view.index, "self-introduction", "speaker",
                                 f"introduces themself: “{_clip(view.text)}”",
                                 speaker=mention.speaker)


def _is_self(text: str, mention: Mention) -> bool:
    return any(match.start("name") <= mention.start < match.end("name") + 1
               for match in SELF_INTRO.finditer(text))


def addressing(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A person addressed by name is not the one speaking; after a question, a welcome or a
    hand-over they usually speak next, and the one thanked or greeted at the start of a reply
    usually spoke before."""
    for view in views:
        for mention in view.mentions:
            place = vocative_place(view.text, mention)
            if place is None:
                continue
            name = mention.speaker
            yield scene.clue(view.index, "addressing.not", "speaker",
                             f"addresses {name}: “{_clip(view.text)}”", speaker=name)
            if place == "start" and not view.continues:
                yield scene.clue(view.index, "addressing.opens", "boundary",
                                 f"opens by addressing {name}")
            inviting = (view.question or _FLOOR.search(view.text) is not None
                        or "welcome" in view.text.casefold() or place == "end")
            if inviting:
                yield scene.clue(view.index, "addressing.next", "next",
                                 f"{name} is asked to speak: “{_clip(view.text)}”", speaker=name)
                if view.index + 1 < len(views):
                    yield scene.clue(view.index + 1, "addressing.next-unit", "speaker",
                                     f"{name} was asked to speak", speaker=name)
                    yield scene.clue(view.index + 1, "addressing.invited", "boundary",
                                     f"{name} was asked to speak")
            if place == "start" and view.index > 0 and (
                    _THANKS_START.search(view.text) or _GREETING_START.search(view.text)):
                yield scene.clue(view.index - 1, "addressing.previous", "speaker",
                                 f"{name} is thanked or greeted in the reply", speaker=name)
                yield scene.clue(view.index, "addressing.reply", "boundary", f"replies to {name}")


def vocative_place(text: str, mention: Mention) -> str | None:
    """Where a name is used to address someone: "start", "middle", "end", or None when the
    name is talked about rather than to.

    "Casey, how would you ...", "Thanks, Jim." (start); "So on the one hand, Kevin, a ..."
    (middle); "How are you doing, Mark?" (end). "Sam Altman, the CEO of ..." is not.
    """
    before = text[: mention.start].rstrip()
    after = text[mention.end:].lstrip()
    lead = tokens(before)
    if len(lead) <= 4 and all(word in _LEADS for word in lead):
        if after[:1] in (",", "!", "?"):
            next_word = tokens(after[:16])[:1]
            return None if next_word and next_word[0] in _APPOSITION else "start"
        if regex.fullmatch(r"[.…]*[\"”’)]*", after):
            return "start"
        return None
    if not before.endswith(","):
        return None
    if not after or regex.fullmatch(r"[?.!…]+[\"”’)]*", after):
        return "end"
    if after.startswith(",") and mention.kind in ("given", "alias"):
        return "middle"
    return None


def mentions(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """Someone talked about in the third person is usually not the one talking."""
    for view in views:
        for mention in view.mentions:
            if vocative_place(view.text, mention) is not None or _is_self(view.text, mention):
                continue
            cue = "mention.full" if mention.kind in ("full", "surname") else "mention.given"
            yield scene.clue(view.index, cue, "speaker", f"talks about {mention.speaker}",
                             speaker=mention.speaker)


# ---------------------------------------------------------------------------------------------
# Roles and the shape of the show


def role_priors(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """Hosts ask their guests questions, say "you" and take short turns; guests talk about
    themselves ("I", "my")."""
    host = Role.HOST.value
    for view in views:
        if not view.text:
            continue
        if asks_you(view.text):
            yield scene.clue(view.index, "role.question", "role", "asks a question", role=host)
        elif view.question:
            yield scene.clue(view.index, "role.question-plain", "role",
                             "asks a question", role=host)
        elif _YOU_STATEMENT.search(view.text):
            yield scene.clue(view.index, "role.you", "role", "talks to “you”", role=host)
        if _I.search(view.text):
            yield scene.clue(view.index, "role.i", "role", "talks about themself", role=host)
        if 0 < view.words <= _SHORT_UNIT and not view.continues:
            yield scene.clue(view.index, "role.short", "role", "a short sentence", role=host)


def narrator(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A narrator speaks an intro block up to the hand-over ("here's Kevin", "take a listen"),
    and not after it."""
    narrators = [m.name for m in scene.cast.members if m.role == Role.NARRATOR.value]
    if not narrators:
        return
    limit = min(len(views), max(60, len(views) // 8))
    hand_over = next((v.index for v in views[:limit]
                      if HAND_OVER.search(v.text) or _LISTEN.search(v.text)), None)
    introduced: dict[str, int] = {}
    for clue in self_introduction(views[:limit], scene):
        introduced.setdefault(clue.speaker, clue.unit)
    for name in narrators:
        start = introduced.get(name)
        if start is None or hand_over is None or hand_over < start:
            for view in views:
                yield scene.clue(view.index, "narrator.none", "speaker",
                                 "no narrator intro found", speaker=name)
            continue
        end = hand_over
        while end + 1 < len(views) and (
                _LISTEN.search(views[end + 1].text) or views[end + 1].continues):
            end += 1
        intro = f"inside {name}'s intro (lines {views[start].line}-{views[end].line})"
        for view in views:
            if start <= view.index <= end:
                yield scene.clue(view.index, "narrator.intro", "speaker", intro, speaker=name)
            else:
                yield scene.clue(view.index, "narrator.outside", "speaker",
                                 "after the narrator's hand-over", speaker=name)
        if end + 1 < len(views):
            yield scene.clue(end + 1, "narrator.after", "boundary", "after the hand-over")


def entrance(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A guest who is welcomed ("Sam Altman, welcome back") does not speak before that."""
    for view in views:
        if "welcom" not in view.text.casefold():
            continue
        for mention in view.mentions:
            if vocative_place(view.text, mention) is None and not _WELCOMED.search(view.text):
                continue
            if scene.cast.role_of(mention.speaker) in (Role.HOST.value, Role.NARRATOR.value):
                continue
            for earlier in views[: view.index]:
                yield scene.clue(earlier.index, "entrance", "speaker",
                                 f"{mention.speaker} is welcomed later", speaker=mention.speaker)
            return


def credits(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """Credits ("produced by ...") are read by a host, in one go."""
    for view in views:
        if CREDITS.search(view.text):
            yield scene.clue(view.index, "role.credits", "role", "reads the credits",
                       role=Role.HOST.value)
            yield scene.clue(view.index, "credits.inside", "boundary", "inside the credits")


def organisation(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """"We" next to an organisation a cast member belongs to ("we at OpenAI") points to them."""
    if not scene.organisations:
        return
    for view in views:
        if not _WE.search(view.text):
            continue
        for org, name in scene.organisations.items():
            if org in view.text:
                yield scene.clue(view.index, "organisation", "speaker",
                                 f"speaks as “we” of {org}", speaker=name)


def speaker_hint(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """A speaker named by the input itself (WebVTT ``<v Name>``, an SRT ``Name:`` prefix)."""
    for view in views:
        if view.hint:
            name = scene.index.lookup(view.hint) or view.hint
            yield scene.clue(view.index, "input-label", "speaker",
                             f"the input labels this line {view.hint}", speaker=name)


def find_organisations(texts: Sequence[str], index: NameIndex) -> dict[str, str]:
    """Organisations cast members are introduced with ("Sam Altman, the CEO of OpenAI")."""
    found: dict[str, set[str]] = {}
    for text in texts:
        if "," not in text:
            continue
        for match in _AFFILIATION.finditer(text):
            name = index.lookup(match.group("name"))
            if name:
                found.setdefault(match.group("org").rstrip("."), set()).add(name)
    return {org: next(iter(names)) for org, names in found.items() if len(names) == 1}


CUES: tuple[Callable[[Sequence[View], Scene], Iterator[Clue]], ...] = (
    continuation, mid_line, line_length, back_channel, turn_opener, cut_off, short_turn, time_mark,
    echo,    question_start, question_answer, self_introduction, addressing, mentions, role_priors,
    narrator, entrance, credits, organisation, speaker_hint,
)


def gather(views: Sequence[View], scene: Scene) -> list[Clue]:
    """Every cue's clues, in cue order."""
    return [clue for cue in CUES for clue in cue(views, scene)]


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
