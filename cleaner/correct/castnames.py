"""Correct: cast names ASR misheard ("Yonas Lindquist" for Jonas Lindqvist), fixed from the cast.

The cast (``--cast FILE``, or a show pack's ``cast:``) says how its people's names are
written; a phrase of the text that sounds and looks like one of them without being it is
proposed as an edit like a rule fix: category ``name``, rule ``cast.name``, origin the cast
entry (``file:line``). The safety is the pack rules' and more:

- whole words only, capitalised, never a word the text also uses in lowercase, never an
  ordinary English word, never another cast member's name;
- a full name ("Yonas Lindquist" for "Jonas Lindqvist", "Kevin Roos" for "Kevin Roose") is
  strong evidence: each word is the name's own or a likely mishearing of it
  (``similar.misheard_name_word``);
- a word alone ("Yonas") is fixed only when the text misheard the full name the same way,
  or when it is no word English speakers use and looks and sounds nearly the same as a
  given name or surname only one member has ("Beker" for "Becker"); not when it starts or
  ends a longer name ("Yonas Berg" is someone else);
- where a pack rule already matches, the rule wins; a phrase that would change one of the
  packs' ``keep`` cases is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..edits import Proposal, Stream
from ..words import english
from ..words.names import PARTICLES, common_words, is_initial, name_forms
from ..words.similar import misheard_name_word
from .matcher import Tokens, tokenize
from .schema import CastMember

RULE = "cast.name"
_POSSESSIVES = ("'s", "’s")
_JOINERS = set("-/@_")  # a word joined to another by these is part of something else


@dataclass(frozen=True, slots=True)
class NameFix:
    """A misheard name in a text: ``text[start:end]`` should read ``after``."""

    start: int
    end: int
    heard: str
    after: str
    member: CastMember


class NameFixer:
    """Finds misheard forms of a cast's names in text (see the module docstring)."""

    def __init__(self, members: Iterable[CastMember]) -> None:
        owners: dict[str, list[CastMember]] = {}
        for member in members:
            for form, _ in name_forms(member.name, member.aliases):
                if not any(m.name == member.name for m in owners.get(form, ())):
                    owners.setdefault(form, []).append(member)
        unique = {form: found[0] for form, found in owners.items() if len(found) == 1}
        self.full = [(tuple(form.split()), member) for form, member in unique.items()
                     if " " in form]
        self.single = {form: member for form, member in unique.items()
                       if " " not in form and not is_initial(form)}
        self.name_words = {word for form in owners for word in form.split()}
        self._starts: dict[str, list[int]] = {}
        self._alone: dict[str, tuple[str, CastMember] | None] = {}

    def find(self, text: str, tokens: Tokens | None = None,
             lowercase: set[str] | None = None) -> list[NameFix]:
        """Every misheard name in ``text``, left to right, none overlapping.

        ``lowercase`` are the words the text uses in lowercase (computed when needed).
        """
        if not self.full and not self.single:
            return []
        tokens = tokens if tokens is not None else tokenize(text)
        candidates = self._candidates(text, tokens)
        fixes: list[NameFix] = []
        anchored: dict[str, tuple[str, CastMember]] = {}
        taken: set[int] = set()
        for index in candidates:
            if index in taken or not self._starts[_stem(_word(text, tokens, index))]:
                continue
            fix = self._full_at(text, tokens, index)
            if fix is not None:
                fix, last, pairs = fix
                fixes.append(fix)
                taken.update(range(index, last + 1))
                for heard, right in pairs:
                    if right in self.single and self.single[right] == fix.member:
                        anchored.setdefault(heard, (right, fix.member))
        lone = self._lone(text, tokens, candidates, taken, anchored, lowercase)
        return sorted(fixes + lone, key=lambda f: f.start)

    def _candidates(self, text: str, tokens: Tokens) -> list[int]:
        """The tokens worth a look: capitalised words that start a full name, or may be
        misheard words of one, or a misheard given name or surname alone (each distinct
        word is judged once, so a long transcript costs little more than a scan)."""
        starts, ends = tokens.starts, tokens.ends
        capitals = [i for i, at in enumerate(starts) if text[at].isupper()]
        useful = {word for word in {text[starts[i] : ends[i]] for i in capitals}
                  if self._useful(_stem(word))}
        return [i for i in capitals if text[starts[i] : ends[i]] in useful]

    def _useful(self, word: str) -> bool:
        self._starts[word] = [number for number, (words, _) in enumerate(self.full)
                              if self._fits(word, words[0])]
        return bool(self._starts[word]) or self._alone_target(word) is not None or any(
            word != right and self._fits(word, right) for words, _ in self.full for right in words)

    def _fits(self, heard: str, right: str) -> bool:
        """True when a word of the text can stand for a word of a full name."""
        if heard == right:
            return True
        if heard in self.name_words:  # someone else's name, never a mishearing
            return False
        return _misheard(heard, right, False)

    def _full_at(self, text: str, tokens: Tokens, index: int):
        """The longest full name starting at token ``index``: ``(fix, last token, [(heard,
        right) for each misheard word])``, or None."""
        word = _stem(_word(text, tokens, index))
        best = None
        for number in self._starts[word]:
            words, member = self.full[number]
            last = index + len(words) - 1
            if last >= len(tokens.keys):
                continue
            heard = [_word(text, tokens, k) for k in range(index, last + 1)]
            if not all(tokens.words[k] and tokens.gaps[k] for k in range(index + 1, last + 1)):
                continue
            if any(h != _stem(h) for h in heard[:-1]):
                continue  # a possessive inside the phrase: not one name
            heard[-1] = _stem(heard[-1])
            if not all(self._fits(h, r) for h, r in zip(heard, words)):
                continue
            pairs = [(h, r) for h, r in zip(heard, words) if h != r]
            if not pairs or _attached(text, tokens.starts[index], tokens.starts[last] + len(heard[-1])):
                continue
            if best is None or len(words) > len(best[0].after.split()):
                end = tokens.starts[last] + len(heard[-1])
                best = (NameFix(tokens.starts[index], end, text[tokens.starts[index]:end],
                                " ".join(words), member), last, pairs)
        return best

    def _lone(self, text: str, tokens: Tokens, candidates: list[int], taken: set[int],
              anchored: dict[str, tuple[str, CastMember]],
              lowercase: set[str] | None) -> list[NameFix]:
        """Words standing alone that are a misheard given name or surname."""
        out = []
        for index in candidates:
            if index in taken:
                continue
            heard = _stem(_word(text, tokens, index))
            target = anchored.get(heard)
            if target is not None and english.count(heard):
                target = None  # a word of its own elsewhere ("Jones"): only inside the name
            if target is None:
                target = self._alone_target(heard)
            if target is None:
                continue
            if lowercase is None:
                lowercase = common_words(text)
            start = tokens.starts[index]
            end = start + len(heard)
            if (heard.casefold() in lowercase or _attached(text, start, end)
                    or _in_longer_name(text, tokens, index)):
                continue
            out.append(NameFix(start, end, heard, target[0], target[1]))
        return out

    def _alone_target(self, heard: str) -> tuple[str, CastMember] | None:
        if heard not in self._alone:
            found = [(form, member) for form, member in self.single.items()
                     if heard not in self.name_words and _misheard(heard, form, True)]
            self._alone[heard] = found[0] if len(found) == 1 else None
        return self._alone[heard]


@lru_cache(maxsize=65536)
def _misheard(heard: str, right: str, alone: bool) -> bool:
    return misheard_name_word(heard, right, alone)


def _word(text: str, tokens: Tokens, index: int) -> str:
    return text[tokens.starts[index] : tokens.ends[index]]


def _stem(word: str) -> str:
    """A word without its possessive ending (the ending stays in the text)."""
    for ending in _POSSESSIVES:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def _attached(text: str, start: int, end: int) -> bool:
    """True when the phrase is glued to more text ("Yonas-style", "yonas.se", "@Yonas")."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if before in _JOINERS or after in _JOINERS or before == ".":
        return True
    return after == "." and text[end + 1 : end + 2].isalnum()


def _in_longer_name(text: str, tokens: Tokens, index: int) -> bool:
    """True when a word is part of a longer name: followed by a capitalised word ("Yonas
    Berg", "Beker Street") or a name particle ("Osama bin Laden"), or following a
    capitalised word that is no ordinary one ("Isaac Beker"; "Thanks Beker" is fine)."""
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(tokens.keys) or not tokens.words[neighbour]:
            continue
        first, second = sorted((index, neighbour))
        if not tokens.gaps[second] or "\n" in text[tokens.ends[first] : tokens.starts[second]]:
            continue
        word = _word(text, tokens, neighbour)
        if neighbour > index:
            if word.casefold() in PARTICLES or (word[0].isupper()
                                                and not english.is_function_word(word)):
                return True
        elif word[0].isupper() and not english.is_common(word):
            return True
    return False


def propose_name_fixes(stream: Stream, tokens: Tokens, members: Sequence[CastMember],
                       taken: Sequence[Proposal] = (),
                       keep_cases=lambda: ()) -> list[Proposal]:
    """A ``cast.name`` proposal for every misheard cast name in the stream.

    ``taken`` are the rule proposals: where one of them matches, no name fix is proposed.
    ``keep_cases`` returns the packs' keep texts (asked only when a fix was found): a
    phrase the fixer would change in one of them is left alone everywhere.
    """
    fixer = NameFixer(members)
    fixes = fixer.find(stream.text, tokens)
    if not fixes:
        return []
    covered = {position for p in taken for position in range(p.start, p.end)}
    banned = {fix.heard for text in keep_cases() for fix in fixer.find(text)}
    out = []
    for fix in fixes:
        if fix.heard in banned or not covered.isdisjoint(range(fix.start, fix.end)):
            continue
        out.append(Proposal(start=fix.start, end=fix.end, after=fix.after, rule=RULE,
                            category="name", origin=fix.member.origin or "cast",
                            note=f"misheard name of {fix.member.name} (from the cast)"))
    return out


def cast_members(given: Sequence[CastMember] | None, pack: Sequence[CastMember]) -> list[CastMember]:
    """The people whose names the text should spell right: the given cast, then the packs'
    members it does not name."""
    given = list(given or ())
    names = {member.name for member in given}
    return given + [member for member in pack if member.name not in names]


def pack_keep_cases(rules: Sequence) -> list[str]:
    """The texts of every ``keep`` case of the rules."""
    return [example.text for rule in rules for example in rule.keep]
