"""Turn the model's predictions into proposals: one edit per restored mark or capital."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..edits import Proposal, Stream
from ..model import Transcript
from .model import COMMA, MARKS, NONE, PERIOD, QUESTION, Weights, decide, scores
from .model import capitals as capital_flags, load as load_weights
from .features import BREAK, NO_BREAK, UNKNOWN, pause_buckets, rows, word_hashes
from .words import CORE, Word, normal

RULES = {COMMA: "punct.comma", PERIOD: "punct.period",
         QUESTION: "punct.question"}
CAPITAL_RULE = "punct.capital"
CATEGORY = "punctuation"
ORIGIN = "cleaner/punctuate/punctuate.npz"
MODES = ("auto", "always", "never")
_I_FORMS = {"i", "i'm", "i've", "i'd", "i'll", "i’m", "i’ve", "i’d", "i’ll"}
NAME_FREQUENCY = 5000  # a cast name word rarer than this in English always takes a capital
WORD_SECONDS = (0.08, 0.055)  # a word's spoken length: a + b * letters (to find pauses)


def pauses(transcript: Transcript, words: Sequence[Word]) -> list[float | None]:
    """Seconds of silence after each word, where the input's timings tell: from word start
    times (karaoke captions) less the word's estimated length, else between one segment's
    end and the next one's start (SRT, WebVTT and Whisper segments)."""
    if all(s.start_time is None for s in transcript.segments):
        return [None] * len(words)
    timed = {n: dict(s.word_times) for n, s in enumerate(transcript.segments) if s.word_times}
    starts: list[float | None] = []
    for word in words:
        times = timed.get(word.segment)
        starts.append(times.get(_token_start(transcript.segments[word.segment].text,
                                             word.start)) if times else None)
    out: list[float | None] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        here = starts[index]
        there = starts[index + 1] if following is not None else None
        if here is not None and there is not None:
            spoken = WORD_SECONDS[0] + WORD_SECONDS[1] * (word.end - word.start)
            out.append(max(there - here - spoken, 0.0))
            continue
        if following is not None and following.segment != word.segment:
            end = transcript.segments[word.segment].end_time
            start = transcript.segments[following.segment].start_time
            if end is not None and start is not None:
                out.append(max(start - end, 0.0))
                continue
        out.append(None)
    return out


def _token_start(text: str, core_start: int) -> int:
    """Where the whitespace token holding ``core_start`` begins (word times are keyed by it)."""
    position = core_start
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


def breaks_of(transcript: Transcript, words: Sequence[Word]) -> np.ndarray:
    """After which words an input segment ends; unknown throughout roll-up captions (karaoke
    word times), whose lines break wherever the screen is full."""
    if any(segment.word_times for segment in transcript.segments):
        return np.full(len(words), UNKNOWN, dtype=np.int8)
    out = np.full(len(words), NO_BREAK, dtype=np.int8)
    for index in range(len(words)):
        if index + 1 == len(words) or words[index + 1].segment != words[index].segment:
            out[index] = BREAK
    return out


def name_words(names: Iterable[str]) -> dict[str, str]:
    """Words of cast names that always take a capital (not ordinary English): lowercase ->
    as the cast writes it ("mccain" -> "McCain")."""
    from ..words.english import FUNCTION_WORDS, frequencies

    counts = frequencies()
    out = {}
    for name in names:
        for part in name.split():
            word = normal(part)
            if word and word not in FUNCTION_WORDS and counts.get(word, 0) < NAME_FREQUENCY:
                core = CORE.search(part)
                spelled = core.group() if core else part
                if spelled[:1].isupper() and spelled.casefold() == word:
                    out.setdefault(word, spelled)
    return out


def punctuate_words(stream: Stream, transcript: Transcript, taken: Sequence[Proposal],
                    words: Sequence[Word], targets: set[int], info: dict,
                    names: Iterable[str] = (), weights: Weights | None = None
                    ) -> tuple[list[Proposal], dict]:
    """Proposals that restore marks and capitals in the ``targets`` segments (``words``:
    the transcript's words), and ``info`` completed (see ``propose_punctuation``)."""
    weights = weights or load_weights()
    raw = scores(weights, rows(word_hashes([w.normal for w in words]),
                                     breaks_of(transcript, words)))
    buckets = pause_buckets(pauses(transcript, words))
    marks, model_capital = decide(raw, buckets)
    inside = np.array([w.segment in targets for w in words], dtype=bool)
    existing = np.array([_existing(transcript, w) for w in words], dtype=np.int64)
    effective = np.where(inside & (existing == NONE), marks, existing)
    known = name_words(names)
    for index, word in enumerate(words):
        if word.normal in known or word.normal in _I_FORMS:
            model_capital[index] = True
    capitals = capital_flags(effective, model_capital)
    covered = np.zeros(len(stream.text) + 1, dtype=bool)
    for proposal in taken:
        covered[proposal.start:max(proposal.end, proposal.start + 1)] = True
    out: list[Proposal] = []
    counts = {rule: 0 for rule in [*RULES.values(), CAPITAL_RULE]}
    for index, word in enumerate(words):
        if not inside[index]:
            continue
        base = stream.starts[word.segment]
        text = transcript.segments[word.segment].text
        first = base + word.start
        capital = capitals[index] and text[word.start].islower() and not covered[first]
        mark = int(effective[index]) if not word.marked else NONE
        spelled = known.get(word.normal)
        if capital and spelled and spelled != text[word.start:word.end] \
                and not covered[first:base + word.end].any():
            # a cast name takes the cast's spelling ("mccain" -> "McCain"), with its mark
            after = spelled + (MARKS[mark] if mark != NONE else "")
            rule = RULES[mark] if mark != NONE else CAPITAL_RULE
            out.append(_proposal(first, base + word.end, after, rule,
                                 "with its capital" if mark != NONE else None))
            counts[rule] += 1
            if mark != NONE:
                counts[CAPITAL_RULE] += 1
            continue
        if mark != NONE:
            last = base + word.end - 1
            rule = RULES[mark]
            if capital and last == first:  # a one-letter word: one edit for both
                out.append(_proposal(first, first + 1, text[word.start].upper() + MARKS[mark],
                                     rule, "with its capital"))
                counts[rule] += 1
                counts[CAPITAL_RULE] += 1
                continue
            if not covered[last]:
                out.append(_proposal(last, last + 1, text[word.end - 1] + MARKS[mark], rule))
                counts[rule] += 1
            elif word.token_end < len(text) and text[word.token_end].isspace() \
                    and not covered[base + word.token_end] and word.token_end == word.end:
                space = base + word.token_end
                out.append(_proposal(space, space + 1, MARKS[mark] + text[word.token_end], rule))
                counts[rule] += 1
        if capital:
            out.append(_proposal(first, first + 1, text[word.start].upper(), CAPITAL_RULE))
            counts[CAPITAL_RULE] += 1
    info.update(applied=True, segments=len(targets),
                words=int(inside.sum()), edits={rule: n for rule, n in counts.items()},
                timed=bool((buckets >= 0).any()))
    return out, info


def _existing(transcript: Transcript, word: Word) -> int:
    """The mark class already after a word."""
    if not word.marked:
        return NONE
    tail = word.tail
    if "?" in tail:
        return QUESTION
    if any(c in tail for c in ".!;…"):
        return PERIOD
    return COMMA


def _proposal(start: int, end: int, after: str, rule: str, note: str | None = None) -> Proposal:
    return Proposal(start=start, end=end, after=after, rule=rule, category=CATEGORY,
                    origin=ORIGIN, priority=-1, note=note)
