"""Plain text: every non-blank line is one segment.

Text this tool wrote keeps its speakers, so that its own output is valid input and cleaning
it again changes nothing:

- Markdown: a line opening with ``**Name:**`` (or ``**Name** *(check speaker, 42%)*:``)
  gives that name as a speaker hint to its text and to the lines after it, up to the next
  such label, and a ``# title`` and ``**Source:** [link](...)`` line before the first label
  are the title and source line again, not transcript text. This applies only when two
  lines or more carry a label, so one bold ``**Note:**`` in a plain text changes nothing.
- plain text: paragraphs separated by blank lines, two or more of them opening with
  ``Name: `` (or ``Name (check speaker, 42%): ``), where a name is up to six words that
  start with a capital or a digit ("Kevin Roose", "Speaker A", "Grad B"). ASR text with one
  segment per line has no blank lines between its lines, and is read as it is.

Review marks are not transcript text: they are left out, and the label is the speaker.

Diarized text works the same way: a line opening with a cluster label and a colon
(``Speaker 0: ``, ``SPEAKER_00: ``, WhisperX's ``[SPEAKER_00]: ``, ``Speaker A: ``,
``spk_0: ``; see ``labels.py``) gives that cluster to its text and the lines after it, when
two lines or more carry one. A label alone on its line (``Speaker 1:``) opens the lines below.
"""

from __future__ import annotations

from collections import Counter

import regex

from ..model import Segment, Transcript
from .labels import cluster_prefix, split_label
from .lines import plain_segment

_SOURCE = regex.compile(r"^\*\*[^*\n]+:\*\*\s*\[[^\]\n]*\]\(")
_LABEL = regex.compile(
    r"^\*\*(?P<name>[^*\n\[\]]{1,80}?)(?::\*\*|\*\*\s+\*\([^)\n]*\)\*:)\s+(?=\S)")
_WORD = r"[\p{Lu}\p{N}][\p{L}\p{M}\p{N}'’.\-]*"
_TXT_LABEL = regex.compile(
    rf"^(?P<name>{_WORD}(?: [\p{{L}}\p{{N}}][\p{{L}}\p{{M}}\p{{N}}'’.\-]*){{0,5}})"
    r"(?: \(check speaker(?:, \d{1,3}%)?\))?: (?=\S)")
_NAME = regex.compile(rf"^{_WORD}(?: (?:{_WORD}|de|da|del|der|di|du|la|le|van|von|bin|al)){{0,5}}$")
LABELLED_MIN = 2  # lines that must carry a label before labels count


def looks_like_ours(text: str) -> bool:
    """True when the text is this tool's own Markdown output (with speaker labels and no
    seed bullets): read it as plain text with labels, not as the seed layout."""
    lines = text[:20000].splitlines()
    if any(regex.match(r"^[*-][ \t]+\S", line) for line in lines):
        return False
    return sum(1 for line in lines if _LABEL.match(line)) >= LABELLED_MIN


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read one segment per non-blank line."""
    pattern, names = _labels(lines)
    clustered = sum(1 for line in lines if cluster_prefix(line)) >= LABELLED_MIN
    segments: list[Segment] = []
    speaker: dict = {}
    title = source = None
    for number, line in enumerate(lines, start=1):
        start = 0
        label = pattern.match(line) if pattern is not None else None
        if label and pattern is _TXT_LABEL and label.group("name") not in names:
            label = None
        cluster = cluster_prefix(line) if clustered and not label else None
        if pattern is _LABEL and not segments and source is None and _SOURCE.match(line):
            source = line.strip()
            continue
        if label:
            speaker, start = split_label(label.group("name")), label.end()
        elif cluster:
            speaker, start = {"cluster": cluster[0]}, cluster[1]
        elif (pattern is _LABEL or clustered) and not speaker and not segments:
            if title is None and source is None and line.startswith("# "):
                title = line[2:].strip()
                continue
            if clustered and source is None and _SOURCE.match(line):
                source = line.strip()
                continue
        segment = plain_segment(len(segments), number, line, start, **speaker)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="plain", path=path, title=title, source_line=source)


def _labels(lines: list[str]) -> tuple[regex.Pattern | None, set[str]]:
    """The label pattern the text uses (Markdown or plain-text labels), or None; and for
    plain-text labels, the names taken as speakers: names of capitalised words ("Kevin
    Roose"), and any other label used on two lines or more ("Audience questioner")."""
    if sum(1 for line in lines if _LABEL.match(line)) >= LABELLED_MIN:
        return _LABEL, set()
    found = [match.group("name") for match in map(_TXT_LABEL.match, lines) if match]
    counts = Counter(found)
    names = {name for name in counts if _NAME.match(name) or counts[name] >= 2}
    if sum(counts[name] for name in names) < LABELLED_MIN:
        return None, set()
    # Paragraph layout: every text line stands alone between blank lines.
    for number, line in enumerate(lines[:-1]):
        if line.strip() and lines[number + 1].strip():
            return None, set()
    return _TXT_LABEL, names
