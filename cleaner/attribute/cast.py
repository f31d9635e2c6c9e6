"""The cast: who may speak. Given by the user, carried by a show pack, or found in the text.

Discovery reads the corrected text (so "Kevin Roos" has already become "Kevin Roose") for:

- self-introductions ("I'm Kevin Roose", "Hey, it's Michael");
- welcomes and introductions of guests ("Sam Altman, welcome back", "I'm joined by X");
- hand-overs ("here's Kevin and here's Casey") and hosting ("hosted by X and Y");
- people addressed by name ("Casey, how would you ...");
- the title ("An Interview With Sam Altman").

Names read in credits ("produced by X") are not speakers. A one-word name is merged into
the full name the text gives it ("Kevin" -> "Kevin Roose") when that is unambiguous, and a
misheard spelling of a name into that name ("Yonas" and "Yonas Lindquist" -> "Jonas
Lindqvist", kept as aliases), so a mishearing does not become a second speaker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..model import Evidence, Role
from ..correct.packs import CastMember
from ..words.similar import NAME_LETTERS, misheard_name_word
from .mentions import PARTICLES, TITLES, common_words

_TOKEN = r"\p{Lu}\p{Ll}+(?:[-'’]?\p{Lu}\p{Ll}+)*"
_NAME = rf"{_TOKEN}(?:\s+(?:(?:{'|'.join(sorted(PARTICLES - {'st.'}))})\s+)?{_TOKEN}){{0,2}}"
_AFTER_SELF = r"(?=\s*(?:[,.!?;:]|$|\s(?:and|from|for|with|at|of|here|a|an|the|your|I|in)\b))"

SELF_INTRO = regex.compile(
    rf"(?:\b(?:I'm|I am|[Mm]y name is|[Mm]y name's)\s+(?P<name>{_NAME}){_AFTER_SELF}"
    rf"|^(?:(?:[Hh]ey|[Hh]i|[Hh]ello)(?:\s+(?:there|everyone|everybody|folks|all))?[,!.]?\s+)?"
    rf"(?:[Ii]t's|[Tt]his is)\s+(?P<name>{_NAME})(?=\s*(?:[,.!]|$|\s(?:and|here|from|with)\b))"
    rf"|^(?P<name>{_NAME})\s+here\b)",
    regex.VERSION1,
)
WELCOME = regex.compile(
    rf"(?:^(?P<name>{_NAME}),?\s+(?:welcome|thanks?\s+(?:you\s+)?for\s+(?:joining|coming|being))\b"
    rf"|\b[Ww]elcome(?:\s+back)?(?:\s+to\s+the\s+(?:show|podcast|program))?,?\s+(?P<name>{_NAME})"
    rf"(?=\s*(?:[,.!]|$|\sto\b))"
    rf"|\b(?:joined\s+(?:today\s+)?by|joining\s+(?:me|us)(?:\s+(?:today|now|here))?\s+(?:is|are)"
    rf"|with\s+(?:me|us)\s+(?:today|now|here)\s+(?:is|are)|(?:my|our)\s+guests?(?:\s+today)?"
    rf"\s+(?:is|are)|please\s+welcome|(?:I'm|we're)\s+(?:talking|speaking)\s+(?:to|with))"
    rf"\s+(?P<name>{_NAME})(?:,?\s+and\s+(?P<name>{_NAME}))?)",
    regex.VERSION1,
)
HAND_OVER = regex.compile(rf"\b[Hh]ere(?:'s|\s+is|\s+are)\s+(?P<name>{_NAME})", regex.VERSION1)
HOSTED = regex.compile(
    rf"\b(?:hosted\s+by|(?:your|the)\s+hosts?\s+(?:is|are))\s+(?P<name>{_NAME})"
    rf"(?:,?\s+and\s+(?P<name>{_NAME}))?",
    regex.VERSION1,
)
TITLE_GUEST = regex.compile(
    rf"(?i:\b(?:interview(?:ing)?\s+with|conversation\s+with|in\s+conversation\s+with|talks?\s+with"
    rf"|featuring|feat\.|guest:?|with\s+guest))\s+(?P<name>{_NAME})",
    regex.VERSION1,
)
_TITLE = rf"(?:(?:{'|'.join(regex.escape(t) for t in TITLES)})\s+)?"
# A name addressed: at the start of a sentence that speaks to "you", at its end after a
# comma, or after a greeting or thanks.
# A member named by a chair's title ("Project Manager", "Moderator") runs the conversation.
CHAIR = regex.compile(r"(?i)\b(?:manager|chair(?:man|woman|person)?|moderator|host|presenter"
                      r"|interviewer|facilitator|anchor)\b")
VOCATIVE = regex.compile(
    rf"(?:^(?:(?:[Ss]o|[Aa]nd|[Oo]kay|[Ww]ell|[Yy]eah|[Aa]lright|[Nn]ow|[Bb]ut)[,!]?\s+)?{_TITLE}"
    rf"(?P<name>{_TOKEN}),\s+(?!(?:the|a|an|who|which|whose)\b)(?=.*\byou)"
    rf"|,\s+{_TITLE}(?P<name>{_TOKEN})\s*[?.!]+$"
    rf"|^(?:[Hh]ey|[Hh]i|[Hh]ello|[Tt]hanks|[Tt]hank\s+you),?\s+{_TITLE}(?P<name>{_TOKEN})\s*[?.!,])",
    regex.VERSION1,
)
CREDITS = regex.compile(
    r"(?i:\b(?:produced|edited|engineered|mixed|hosted\s+and\s+produced|fact[- ]?checked|composed)"
    r"\s+by\b|\bmusic\s+by\b|\bspecial\s+thanks\s+to\b|\bexecutive\s+producers?\b"
    r"|\b(?:our|the)\s+(?:\w+\s+)?(?:editor|producer|engineer)s?\s+(?:is|are)\b)"
)
_CREDIT_NAME = regex.compile(_NAME, regex.VERSION1)
_NOT_NAMES = {
    "god", "mr", "mrs", "ms", "dr", "sir", "madam", "guys", "everyone", "everybody", "folks",
    "man", "dude", "buddy", "friends", "listeners", "today", "tonight", "yesterday", "tomorrow",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "english", "american", "americans", "internet", "okay", "yeah", "yes", "well",
    "mm", "mmm", "hmm", "um", "uh", "yep", "yup", "alright", "oh", "ah", "wow", "sorry", "thanks",
    "so", "and", "but", "now", "hey", "hi", "hello",  # sentence openers ("So Yonas, how ...")
}


@dataclass(frozen=True, slots=True)
class Cast:
    """The people who may speak, and what was found out about them.

    ``closed`` is True for a cast the user gave: discovery then adds no one, and
    ``missing`` holds the evidence for the people the text shows speaking that it lacks.
    """

    members: tuple[CastMember, ...]
    closed: bool = False
    found: tuple[Evidence, ...] = ()
    missing: tuple[Evidence, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The members' names, in cast order."""
        return tuple(member.name for member in self.members)

    def role_of(self, name: str | None) -> str | None:
        """The role of a member (None for no one)."""
        for member in self.members:
            if member.name == name:
                return member.role
        return None


@dataclass(slots=True)
class _Candidate:
    name: str
    roles: Counter
    evidence: list[Evidence]
    first: int  # first unit with evidence
    aliases: list[str] = field(default_factory=list)  # misheard spellings folded in
    greeted: bool = False  # addressed by a greeting or thanks ("Thanks, Priya.")


def discover(texts: Sequence[str], title: str | None = None,
             lines: Sequence[int] | None = None,
             lowercase: set[str] | None = None,
             once: bool = False) -> list[tuple[CastMember, tuple[Evidence, ...]]]:
    """People the text shows to be speaking, with a role guess and the evidence for each.

    ``texts`` are the sentences' corrected texts, ``lines`` their input lines (for evidence),
    ``lowercase`` the words the transcript uses in lowercase (computed if not given).
    ``once`` keeps people greeted or thanked only once too ("Thanks, Priya."): enough to
    say a given cast lacks them, too little to add them to a discovered one.
    """
    full_text = "\n".join(texts)
    if lowercase is None:
        lowercase = common_words(full_text)
    candidates: dict[str, _Candidate] = {}
    credited: set[str] = set()

    def add(name: str, unit: int | None, role: str | None, cue: str, reason: str,
            weight: float) -> None:
        name = " ".join(name.split())
        if not _plausible(name, lowercase):
            return
        line = lines[unit] if lines is not None and unit is not None else None
        first = unit if unit is not None else -1
        entry = candidates.setdefault(name, _Candidate(name, Counter(), [], first))
        if role:
            entry.roles[role] += weight
        if unit is not None and (entry.first < 0 or unit < entry.first):
            entry.first = unit
        entry.evidence.append(Evidence(cue=cue, reason=reason, weight=weight, speaker=name,
                                       role=role, line=line))

    if title:
        for match in TITLE_GUEST.finditer(title):
            for name in match.captures("name"):
                add(name, None, Role.GUEST.value, "discover.title", f"title names {name}", 2.0)
    intro_units: dict[str, int] = {}
    hand_over_unit = None
    for unit, text in enumerate(texts):
        lower = text.casefold()
        if _CREDIT_WORDS.search(lower) and CREDITS.search(text):
            credited.update(" ".join(m.split()) for m in _CREDIT_NAME.findall(text))
            continue
        if _SELF_WORDS.search(lower):
            for match in SELF_INTRO.finditer(text):
                name = match.group("name")
                add(name, unit, None, "discover.self", f"introduces themself: “{_clip(text)}”", 3.0)
                intro_units.setdefault(name, unit)
        if _WELCOME_WORDS.search(lower):
            for match in WELCOME.finditer(text):
                for name in match.captures("name"):
                    add(name, unit, Role.GUEST.value, "discover.welcome",
                        f"welcomed: “{_clip(text)}”", 2.0)
        if "host" in lower:
            for match in HOSTED.finditer(text):
                for name in match.captures("name"):
                    add(name, unit, Role.HOST.value, "discover.hosted",
                        f"named as host: “{_clip(text)}”", 2.0)
        if "here" in lower:
            handed = [m.group("name") for m in HAND_OVER.finditer(text)]
            for name in handed:
                add(name, unit, None, "discover.hand-over", f"handed over to: “{_clip(text)}”", 1.5)
            if handed and hand_over_unit is None:
                hand_over_unit = unit
        if "," in text or lower.startswith(("hey", "hi", "hello", "thank")):
            for match in VOCATIVE.finditer(text):
                name = match.group("name")
                if _proper_noun(name, full_text, lowercase):
                    add(name, unit, None, "discover.addressed", f"addressed: “{_clip(text)}”", 1.0)
                    if _GREETED.match(match.group()) and name in candidates:
                        candidates[name].greeted = True
    people = _merge(candidates, credited, full_text, lowercase, once)
    _assign_roles(people, intro_units, hand_over_unit, len(texts))
    return [
        (CastMember(name=entry.name, role=_role(entry),
                    aliases=tuple(dict.fromkeys(entry.aliases))),
         tuple(entry.evidence))
        for entry in sorted(people.values(), key=lambda e: (e.first if e.first >= 0 else 0, e.name))
    ]


# Cheap tests that let most sentences skip the discovery patterns.
_CREDIT_WORDS = regex.compile(r"\bby\b|thanks\s+to|producer|editor|engineer")
_SELF_WORDS = regex.compile(r"\bi'm\b|\bi\s+am\b|\bname|\bit's\b|\bthis\s+is\b|\bhere\b")
_GREETED = regex.compile(r"(?:[Hh]ey|[Hh]i|[Hh]ello|[Tt]hanks|[Tt]hank\s+you)\b")
_WELCOME_WORDS = regex.compile(r"welcom|thank|joined|joining|with\s+(?:me|us)|guest|talking|speaking")


def _plausible(name: str, lowercase: set[str]) -> bool:
    tokens = name.split()
    if not tokens or len(name) < 2:
        return False
    for token in tokens:
        key = token.casefold()
        if key in PARTICLES:
            continue
        if key in _NOT_NAMES or key in lowercase:
            return False
    return True


def _proper_noun(token: str, text: str, lowercase: set[str]) -> bool:
    """A capitalised word the text never writes in lowercase and uses mid-sentence at least once."""
    if token.casefold() in lowercase or token.casefold() in _NOT_NAMES:
        return False
    return regex.search(rf"[\p{{Ll}},]\s+{regex.escape(token)}\b", text) is not None


def _merge(candidates: dict[str, _Candidate], credited: set[str], text: str,
           lowercase: set[str], once: bool = False) -> dict[str, _Candidate]:
    """Fold one-word names into the full name they stand for; drop names seen in credits."""
    multi = [name for name in candidates if " " in name]
    merged: dict[str, _Candidate] = {name: candidates[name] for name in multi}
    for name in sorted(candidates, key=len):
        if " " in name:
            continue
        entry = candidates[name]
        full = _full_name(name, multi, text, lowercase)
        if full is None:
            merged.setdefault(name, entry)
            continue
        target = merged.setdefault(full, _Candidate(full, Counter(), [], entry.first))
        if not any(name in full.split() for name in (name, *entry.aliases)):
            target.aliases.append(name)  # a misheard spelling, not a part of the name
        _fold(entry, target)
    _fold_misheard(merged)
    strong = {"discover.self", "discover.welcome", "discover.title", "discover.hosted"}
    return {
        name: entry for name, entry in merged.items()
        if (name not in credited or any(ev.cue in strong for ev in entry.evidence))
        and ((once and entry.greeted) or len(entry.evidence) >= 2
             or any(ev.cue != "discover.addressed" for ev in entry.evidence))
    }


def _fold(entry: _Candidate, target: _Candidate) -> None:
    """Add what was found about ``entry`` to ``target`` (the name it stands for)."""
    target.roles.update(entry.roles)
    target.evidence.extend(entry.evidence)
    target.aliases.extend(a for a in entry.aliases if a not in target.aliases)
    target.greeted = target.greeted or entry.greeted
    if entry.first >= 0 and (target.first < 0 or entry.first < target.first):
        target.first = entry.first


def _misheard_name(heard: str, name: str) -> bool:
    """True when the words of ``heard`` are those of ``name``, one or more misheard
    ("Yonas Lindquist" for "Jonas Lindqvist")."""
    pairs = list(zip(heard.split(), name.split()))
    return (len(heard.split()) == len(name.split()) and heard != name
            and all(a == b or misheard_name_word(a, b) for a, b in pairs))


def _fold_misheard(merged: dict[str, _Candidate]) -> None:
    """Fold a full name that is a misheard spelling of another into it, as its alias. Which
    is the name: the one whose words English knows ("Jonas", not "Yonas"), else the one
    with more evidence, else the earlier."""
    names = sorted(merged, key=lambda n: (-len(merged[n].evidence), merged[n].first, n))
    for number, name in enumerate(names):
        for other in names[number + 1 :]:
            if name not in merged or other not in merged or " " not in name:
                continue
            if _misheard_name(other, name):
                heard, right = other, name
            elif _misheard_name(name, other):
                heard, right = name, other
            else:
                continue
            entry = merged.pop(heard)
            target = merged[right]
            target.aliases += [heard, *(a for a, b in zip(heard.split(), right.split()) if a != b)]
            _fold(entry, target)


def _full_name(token: str, known: Sequence[str], text: str, lowercase: set[str]) -> str | None:
    """The one full name a given name or surname stands for, if there is exactly one: the
    name holds it, or failing that a word it is a misheard spelling of ("Yonas" for the
    "Jonas" of "Jonas Lindqvist")."""
    matches = [name for name in known if token in name.split()]
    if not matches and len(token) >= NAME_LETTERS:
        matches = [name for name in known
                   if any(misheard_name_word(token, part) for part in name.split())]
    if len(matches) == 1:
        return matches[0]
    if matches:
        return None
    escaped = regex.escape(token)
    found = regex.findall(rf"\b{escaped}\s+{_TOKEN}\b|\b{_TOKEN}\s+{escaped}\b", text)
    counts = Counter(" ".join(m.split()) for m in found if _plausible(m, lowercase))
    if not counts:
        return None
    (best, count), *rest = counts.most_common(2) + [(None, 0)]
    return best if rest[0][1] < count else None


def _assign_roles(people: dict[str, _Candidate], intro_units: dict[str, int],
                  hand_over_unit: int | None, units: int) -> None:
    """Narrator: introduces themself first and hands over early; self-introducers and hosts
    named as such are hosts; the welcomed are guests."""
    if hand_over_unit is not None and hand_over_unit < max(60, units // 8):
        first = min(intro_units.items(), key=lambda item: item[1], default=None)
        if first is not None and first[1] < hand_over_unit:
            for name, entry in people.items():
                if first[0] == name or first[0] in name.split():
                    entry.roles[Role.NARRATOR.value] += 5.0
    for name, entry in people.items():
        introduced = any(ev.cue == "discover.self" for ev in entry.evidence)
        if introduced and not entry.roles:
            entry.roles[Role.HOST.value] += 1.0


def _role(entry: _Candidate) -> str:
    if not entry.roles:
        return Role.UNKNOWN.value
    return max(sorted(entry.roles), key=lambda role: entry.roles[role])


def _clip(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def build_cast(given: Sequence[CastMember] | None, pack: Sequence[CastMember],
               texts: Sequence[str], title: str | None = None,
               lines: Sequence[int] | None = None, hints: Sequence[str] = (),
               lowercase: set[str] | None = None) -> Cast:
    """The cast for a transcript.

    A cast the user gives is used as it is, except that roles left ``unknown`` are filled in
    from the text. Otherwise the show pack's cast is completed with the people discovered in
    the text (a guest changes every episode). Names from speaker hints in the input (WebVTT
    voices, SRT prefixes) are added in both cases.
    """
    discovered = discover(texts, title, lines, lowercase, once=bool(given))
    members = list(given or pack)
    found: list[Evidence] = []
    missing: list[Evidence] = []
    for person, evidence in discovered:
        owner = _Taken(members).owner(person.name)
        if owner is None and given:
            if not _misheard_member(person.name, members):
                missing.extend(ev for ev in evidence if ev.cue in _CUE_WORDS)
            continue
        found.extend(evidence)
        if owner is None:
            members.append(person)
        elif owner.role == Role.UNKNOWN.value and person.role != Role.UNKNOWN.value:
            members[members.index(owner)] = CastMember(owner.name, person.role, owner.aliases)
    known = {m.name for m in members}
    members += [CastMember(name=h) for h in dict.fromkeys(hints) if h not in known]
    return Cast(members=tuple(_complete_roles(members)), closed=bool(given), found=tuple(found),
                missing=tuple(missing))


def _misheard_member(name: str, members: Sequence[CastMember]) -> bool:
    """True when a name found in the text is a misheard spelling of a member's name or of
    one of its words ("Yonas" for Jonas Lindqvist): that member, not someone missing."""
    for member in members:
        for label in (member.name, *member.aliases):
            if _misheard_name(name, label) or (" " not in name and any(
                    misheard_name_word(name, word) for word in label.split())):
                return True
    return False


# The cues that show someone present: a mention ("hosted by Andy", "here is X") does not.
_CUE_WORDS = {"discover.self": "introduces themself", "discover.welcome": "is welcomed",
              "discover.addressed": "is addressed", "discover.title": "is named in the title"}


def missing_warnings(cast: Cast) -> list[str]:
    """One line for each person the text introduces, welcomes or addresses who is not in the
    given cast (the host who "thanks himself" happens when a co-host is left out)."""
    people: dict[str, list[Evidence]] = {}
    for evidence in cast.missing:
        people.setdefault(evidence.speaker or "", []).append(evidence)
    people.pop("", None)
    out = []
    for name, evidence in people.items():
        first = min(evidence, key=lambda ev: (ev.line is None, ev.line or 0))
        how = " and ".join(dict.fromkeys(_CUE_WORDS.get(ev.cue, "is named") for ev in evidence))
        where = f" (line {first.line})" if first.line is not None else ""
        out.append(f"{name} {how}{where} but is not in the given cast: add them to it, or "
                   "their words go to someone else")
    return out


def _complete_roles(members: list[CastMember]) -> list[CastMember]:
    """With guests known, the others are hosts; with a host known, the others are guests."""
    roles = {m.role for m in members}
    if Role.UNKNOWN.value not in roles or len(members) < 2:
        return members
    fill = None
    if Role.GUEST.value in roles and Role.HOST.value not in roles:
        fill = Role.HOST.value
    elif Role.HOST.value in roles and Role.GUEST.value not in roles:
        fill = Role.GUEST.value
    if fill is None:
        return members
    return [CastMember(m.name, fill, m.aliases) if m.role == Role.UNKNOWN.value else m
            for m in members]


class _Taken:
    """Which existing member a discovered name refers to (same name, alias, or a part of it)."""

    def __init__(self, members: Sequence[CastMember]) -> None:
        self.members = list(members)

    def owner(self, name: str) -> CastMember | None:
        key = name.casefold()
        tokens = set(key.split())
        for member in self.members:
            labels = [member.name, *member.aliases]
            if any(label.casefold() == key for label in labels):
                return member
        for member in self.members:
            if tokens and tokens <= set(member.name.casefold().split()):
                return member
        return None
