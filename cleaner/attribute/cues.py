"""Cues: small functions that read the text around a unit and say who is likely speaking.

Every cue takes the units (as ``View``s) and the ``Scene`` (cast, name finder, weights) and
yields ``Clue``s. A clue is evidence about one unit, of one of these kinds:

- ``speaker``: the unit is (weight > 0) or is not (weight < 0) said by ``speaker``;
- ``role``: the unit is (or is not) said by someone with ``role``;
- ``boundary``: the speaker changes (weight > 0) or stays (weight < 0) at the unit's start;
- ``next``: the next change of speaker after this unit is to ``speaker``.

Weights are log-odds, all in ``WEIGHTS``; they were set from how often each cue is right on
the development conversations (bench/speakers.py), never for one conversation. Where the
speaker changes, as told by the shape of the text (line lengths, end marks, openers), is the
logistic model of ``boundary.py``; the cues here read names and roles.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields

import regex

from ..model import Role
from ..segment.units import Unit, ends_sentence
from .cast import CREDITS, HAND_OVER, SELF_INTRO, WELCOME, Cast
from .mentions import Mention, NameIndex

WEIGHTS: dict[str, float] = {
    # boundary: where the speaker changes (+) or stays (-), on top of boundary.CHANGE
    "addressing.opens": 1.2,          # opens by addressing someone
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
    "role.ask": 2.5,                  # asks without a question mark ("I wonder if you ..."): a host
    "role.you": 0.2,                  # talks to "you" ("your work", "you said"): a host
    "role.i": -0.8,                   # says "I", "my": a guest rather
    "role.short": 0.3,                # a sentence of five words or fewer: a host
    "role.credits": 1.5,              # reads the credits: a host
    "role.welcome": 2.0,              # welcomes the audience or a guest: a host
}

FORCED = 50.0  # a score no cue reaches: an override, an empty unit, a sentence going on


@dataclass(frozen=True, slots=True, init=False)
class Clue:
    """One piece of evidence about one unit (see the module docstring for the kinds)."""

    unit: int
    cue: str
    kind: str
    weight: float
    reason: str
    speaker: str | None = None
    role: str | None = None

    def __init__(self, unit: int, cue: str, kind: str, weight: float, reason: str,
                 speaker: str | None = None, role: str | None = None) -> None:
        # Attribution makes some ten clues per unit: setting the slots through their
        # descriptors takes a third of the time of a frozen dataclass's own __init__ (which
        # goes through object.__setattr__), and the clue stays frozen.
        set_unit, set_cue, set_kind, set_weight, set_reason, set_speaker, set_role = _CLUE_SLOTS
        set_unit(self, unit)
        set_cue(self, cue)
        set_kind(self, kind)
        set_weight(self, weight)
        set_reason(self, reason)
        set_speaker(self, speaker)
        set_role(self, role)


_CLUE_SLOTS = tuple(Clue.__dict__[field.name].__set__ for field in fields(Clue))


@dataclass(slots=True)
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
    sentence: str = ""            # the whole sentence the unit is part of (mentions index it)
    sentence_first: int = 0       # the index of the sentence's first unit
    sentence_last: int = 0        # ... and of its last
    gap: float | None = None      # seconds of silence before the unit, where the input has times


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
ACKS = {
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
_HAND_OVER_LEADS = {"and", "now", "so", "okay", "ok", "alright", "next", "all", "right"}
_INVITING_PLACES = {"end", "alone", "directed"}  # where a name, even without a question, hands over
_TAGS = {"right", "yeah", "okay", "no", "huh", "eh"}  # "..., right Sjors?"
# "This is for X", "my question to X", "a closing statement from X"; but not "a quick
# response to X": someone else answers X
_DIRECTED = regex.compile(
    r"(?i)(?<!\b(?:respon\w*|repl(?:y|ies|ied|ying)|rebuttals?|react\w*)(?:\s+\w+)?\s+)\b(?:for|to)$"
    r"|\b(?:statement|response|answer|rebuttal|comment|word|hear)\b.*\bfrom$")
_APPOSITION = {"the", "a", "an", "who", "which", "whose", "one", "our", "my", "his", "her",
               "their", "its", "and", "or", "jr", "sr"}
# "you" said to someone ("your work", "you said", "you've been", "ask you"), not the generic
# "you" of "if you want" or "you can".
_YOU_STATEMENT = regex.compile(
    r"(?i)\b(?:your|yours|yourself|you've|you\s+(?:have|were|did|said|mentioned|wrote|told|started"
    r"|built|made|had|think|feel|believe|mean|want|guys|all))\b"
    r"|\b(?:ask|asked|tell|told|had|give|gave|show|for|to|with|about|from|thank|let|see|saw|hear"
    r"|heard|invite|invited|got)\s+you\b(?!\s+(?:can|could|have|know|might|need|want|would|will"
    r"|get|go|do)\b)")
_I = regex.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me|myself)\b")
# The host welcomes the audience or a guest: "welcome to Go Time", "welcome back everybody",
# "I welcome you"; not "you're welcome" or "the welcome party".
_WELCOMES = regex.compile(r"(?i)(?<!\byou['’]re\s+|\byou\s+are\s+)\bwelcome\s+(?:to|back|you|everybody"
                          r"|everyone|all)\b")
ASKS = regex.compile(  # a question put as a statement: "I wonder if you ...", "tell us about"
    r"(?i)\bI(?:'m|\s+am|\s+was)?\s+(?:wonder(?:ing)?|curious)\b|\b(?:tell|walk|take)\s+(?:us|me)\b"
    r"|\b(?:can|could|would|will|do|did|does|have|are|were)\s+you\b(?!\s+know\b)"
)
STARTERS = {
    "yeah", "yes", "yep", "yup", "no", "nope", "well", "okay", "ok", "right", "sure", "oh",
    "absolutely", "exactly", "totally", "mm", "mm-hmm", "hmm", "um", "uh", "alright", "thanks",
    "thank", "great", "wow", "correct", "indeed", "interesting", "definitely", "true", "good",
    "so", "and", "but", "or", "the", "a", "it", "it's", "this", "that", "that's", "we", "we're",
    "you", "they", "there", "then", "now", "what", "how", "why", "when", "where", "who", "if",
    "because", "also", "like", "let's", "one", "my", "our", "is", "are", "do", "does", "can",
}  # words that start sentences, not names
ANSWER_UNITS = 15   # units over which an invitation to speak still points to the one invited
ANSWER_FADE = 0.9   # ... its weight shrinking by this factor per unit
OPENING_UNITS = 60  # the opening, where guests are welcomed: at least this many units
_SHORT_UNIT = 5


def tokens(text: str) -> list[str]:
    """Lowercased words of a text (apostrophes and inner hyphens kept)."""
    return _WORDS.findall(text.casefold().replace("’", "'"))


def is_back_channel(text: str, words: Sequence[str] | None = None) -> bool:
    """True for a short acknowledgement that is a whole turn in itself ("Yeah.", "Got it.")."""
    if words is None and text.count(" ") > 6:
        return False  # long: no need to split it into words
    words = tokens(text) if words is None else words
    if not words or len(words) > 4:
        return False
    if " ".join(words) in _ACK_PHRASES:
        return True
    return all(word in ACKS for word in words)


def is_question(text: str) -> bool:
    """True when a unit asks something (ends with a question mark)."""
    return text.rstrip(" \"'”’)").endswith("?")


def asks_you(text: str) -> bool:
    """True for a question put to the listener ("How would you describe ...?")."""
    return is_question(text) and _YOU.search(text) is not None


def goes_on(texts: Sequence[str]) -> list[bool]:
    """For each unit's text, whether it continues a sentence begun in the unit before (the
    last unit with text does not end a sentence): a line break cut the sentence there."""
    out, previous = [], ""
    for text in texts:
        out.append(bool(previous) and not ends_sentence(previous))
        if text:
            previous = text
    return out


def build_views(transcript, units: Sequence[Unit], index: NameIndex) -> list[View]:
    """A ``View`` of each unit, in order.

    Names are looked for in whole sentences, as a line may break inside one ("Thank you,
    Mr." / "Perot."); a name belongs to the unit where it ends, its offsets are in the
    sentence.
    """
    texts = []
    for unit in units:
        text = unit.text
        texts.append(html.unescape(text) if "&" in text else text)
    continues = goes_on(texts)
    sentences: list[list[int]] = []
    for number, text in enumerate(texts):
        if not sentences or (text and not continues[number]):
            sentences.append([])
        sentences[-1].append(number)
    found = index.find_each([" ".join(texts[n] for n in group if texts[n]) for group in sentences])
    views: list[View] = []
    for group, mentions in zip(sentences, found):
        sentence = " ".join(texts[n] for n in group if texts[n])
        offset = 0
        for number in group:
            unit, text = units[number], texts[number]
            mine = tuple(m for m in mentions if offset < m.end <= offset + len(text)) if text else ()
            piece = unit.pieces[-1]
            segment = transcript.segments[unit.first_segment]
            last = transcript.segments[piece.segment]
            words = tuple(tokens(text))
            views.append(View(
                index=number, text=text, words=len(text.split()), line=segment.line,
                starts_line=unit.starts_segment, continues=continues[number],
                line_end=piece.end >= len(last.text), mentions=mine,
                hint=segment.speaker_hint, tokens=words,
                back_channel=is_back_channel(_unnamed(text, offset, mine)) if mine
                else is_back_channel(text, words), question=is_question(text),
                sentence=sentence, sentence_first=group[0], sentence_last=group[-1],
            ))
            if text:
                offset += len(text) + 1
    if any(s.start_time is not None for s in transcript.segments):
        gaps = unit_gaps(transcript, units)
        for view, gap in zip(views, gaps):
            view.gap = gap
    return views


SPOKEN = (0.08, 0.055)  # a word's spoken length in seconds: a + b * letters


def unit_gaps(transcript, units: Sequence[Unit]) -> list[float | None]:
    """Seconds of silence before each unit: from word start times (karaoke captions) less
    the previous word's estimated length, else between segments' end and start times."""
    out: list[float | None] = [None]
    for previous, unit in zip(units, units[1:]):
        before, here = previous.pieces[-1], unit.pieces[0]
        first = transcript.segments[here.segment]
        last = transcript.segments[before.segment]
        start = _word_time(first, here.start)
        end = None
        if last.word_times:
            timed = [(o, t) for o, t in last.word_times if o < before.end]
            if timed:
                offset, time = timed[-1]
                spoken = last.text[offset:before.end].split()
                end = time + sum(SPOKEN[0] + SPOKEN[1] * len(word) for word in spoken)
        if end is None and here.start == 0 and before.segment != here.segment:
            end = last.end_time
        out.append(max(start - end, 0.0) if start is not None and end is not None else None)
    return out


def _word_time(segment, offset: int) -> float | None:
    """The start time of the word at ``offset`` of a segment's text, when known."""
    if segment.word_times:
        for word_offset, time in segment.word_times:
            if word_offset >= offset:
                return time if word_offset - offset <= 1 else None
    return segment.start_time if offset == 0 else None


def _unnamed(text: str, offset: int, found: Sequence[Mention]) -> str:
    """A unit's text with the names in it cut out ("Thanks, Jim." -> "Thanks, ."); ``offset``
    is where the unit starts in the sentence the mentions index."""
    covered = set()
    for mention in found:
        covered.update(range(mention.start - offset, mention.end - offset))
    return "".join(char for position, char in enumerate(text) if position not in covered)


def lowercase_sentences(views: Sequence[View]) -> bool:
    """True when the transcript often starts a sentence in lowercase (then case says little)."""
    starts = [v.text[0].islower() for v in views if v.text and not v.continues]
    return bool(starts) and sum(starts) > 0.15 * len(starts)


# ---------------------------------------------------------------------------------------------
# Names: who is introduced, addressed or talked about


def self_introduction(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """"I'm Kevin Roose", "Hey, it's Michael": the unit is that person's."""
    for view in views:
        if not view.mentions:
            continue
        for mention in view.mentions:
            if _is_self(view.sentence, mention):
                yield scene.clue(view.index, "self-introduction", "speaker",
                                 f"introduces themself: “{_clip(view.sentence)}”",
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
            sentence = view.sentence
            place = vocative_place(sentence, mention)
            if place is None:
                continue
            name = mention.speaker
            yield scene.clue(view.index, "addressing.not", "speaker",
                             f"addresses {name}: “{_clip(sentence)}”", speaker=name)
            first = view.sentence_first
            if place in ("start", "alone"):
                yield scene.clue(first, "addressing.opens", "boundary",
                                 f"opens by addressing {name}")
            inviting = (is_question(sentence) or _FLOOR.search(sentence) is not None
                        or "welcome" in sentence.casefold()
                        or place in _INVITING_PLACES)
            after = view.sentence_last + 1
            if inviting:
                yield scene.clue(view.sentence_last, "addressing.next", "next",
                                 f"{name} is asked to speak: “{_clip(sentence)}”", speaker=name)
                if after < len(views):
                    # The answer usually takes a while: the evidence fades over the units after.
                    for k in range(min(ANSWER_UNITS, len(views) - after)):
                        yield scene.clue(after + k, "addressing.next-unit", "speaker",
                                         f"{name} was asked to speak", speaker=name,
                                         factor=ANSWER_FADE ** k)
                        if views[after + k].back_channel:
                            break  # a short reply ("Thank you.") is the whole answer
                    yield scene.clue(after, "addressing.invited", "boundary",
                                     f"{name} was asked to speak")
            if place == "start" and first > 0 and (
                    _THANKS_START.search(sentence) or _GREETING_START.search(sentence)):
                yield scene.clue(first - 1, "addressing.previous", "speaker",
                                 f"{name} is thanked or greeted in the reply", speaker=name)


def vocative_place(text: str, mention: Mention) -> str | None:
    """Where a name is used to address someone: "start", "middle", "end", "alone",
    "directed", or None when the name is talked about rather than to.

    "Casey, how would you ...", "Thanks, Jim." (start); "So on the one hand, Kevin, a ..."
    (middle); "How are you doing, Mark?", "right Sjors?" (end); "Governor Clinton." (alone:
    the floor is handed over); "This is for Governor Clinton.", "I'd like to direct my
    question to Mr. Perot." (directed). "Sam Altman, the CEO of ..." is not.
    """
    before = text[: mention.start].rstrip()
    after = text[mention.end:].lstrip()
    lead = tokens(before)
    ends = regex.fullmatch(r"[?.!…]*[\"”’)]*", after) is not None
    if len(lead) <= 4 and all(word in _LEADS for word in lead):
        if ends and all(word in _HAND_OVER_LEADS for word in lead):
            return "alone"
        if after[:1] in (",", "!", "?"):
            next_word = tokens(after[:16])[:1]
            apposition = next_word and next_word[0] in _APPOSITION and mention.kind == "full"
            return None if apposition else "start"
        return "start" if ends else None
    if _DIRECTED.search(before) and (len(lead) <= 4 or "question" in lead or lead[-1] == "from"):
        return "directed"
    if not before.endswith(",") and not (ends and lead[-1] in _TAGS):
        return None
    if ends:
        return "end"
    if after.startswith(",") and mention.kind in ("given", "alias"):
        return "middle"
    return None


def mentions(views: Sequence[View], scene: Scene) -> Iterator[Clue]:
    """Someone talked about in the third person is usually not the one talking."""
    for view in views:
        for mention in view.mentions:
            if vocative_place(view.sentence, mention) is not None \
                    or _is_self(view.sentence, mention):
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
        elif ASKS.search(view.text):
            yield scene.clue(view.index, "role.ask", "role", "asks for an answer", role=host)
            continue  # the "I" of "I wonder if you" is the asker's
        elif _YOU_STATEMENT.search(view.text):
            yield scene.clue(view.index, "role.you", "role", "talks to “you”", role=host)
        if _I.search(view.text):
            yield scene.clue(view.index, "role.i", "role", "talks about themself", role=host)
        if 0 < view.words <= _SHORT_UNIT and not view.continues:
            yield scene.clue(view.index, "role.short", "role", "a short sentence", role=host)
        if _WELCOMES.search(view.text):
            yield scene.clue(view.index, "role.welcome", "role", "welcomes the listeners or a guest",
                             role=host)


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
    """A guest who is welcomed early on ("Sam Altman, welcome back") does not speak before."""
    opening = views[: max(OPENING_UNITS, len(views) // 10)]
    for view in opening:
        if "welcom" not in view.sentence.casefold() or not view.mentions:
            continue
        welcomed = {scene.index.lookup(name) for match in WELCOME.finditer(view.sentence)
                    for name in match.captures("name")}
        for mention in view.mentions:
            if mention.speaker not in welcomed:
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
    self_introduction, addressing, mentions, role_priors,
    narrator, entrance, credits, organisation, speaker_hint,
)


def gather(views: Sequence[View], scene: Scene) -> list[Clue]:
    """Every cue's clues, in cue order."""
    return [clue for cue in CUES for clue in cue(views, scene)]


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
