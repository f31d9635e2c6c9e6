"""People's names in text: the forms a cast member goes by, and where the text names them.

A member named "Barack H Obama" is found as "Barack H Obama", "Barack Obama", "Obama",
"Senator Obama" and, where it is safe, "Barack". A one-word form is left out when two
members share it or when the transcript uses the word in lowercase too (so a cast member
called "Marketing" is not found in "the marketing department"). Matching is case-sensitive:
ASR capitalises names. The forms themselves, and which words a text uses in lowercase, are
``words/names.py``'s (the correct stage needs them too).
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..words.names import (_UPPER_WORD, PARTICLES, common_words, is_initial,  # noqa: F401
                           name_forms)

TITLES = (
    "Senator", "Governor", "President", "Vice President", "Secretary", "Congressman",
    "Congresswoman", "Representative", "Mayor", "Judge", "Justice", "General", "Ambassador",
    "Professor", "Prof.", "Doctor", "Dr.", "Dr", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms",
    "Sir", "Dame", "Lord", "Lady", "Chairman", "Chairwoman", "Coach", "Father", "Rabbi",
)

_WORD = regex.compile(r"\p{L}[\p{L}'’-]*")
_PREVIOUS_WORD = regex.compile(r"(\p{L}[\p{L}'’-]*)[^\S\n]+$")
_GREETINGS = {"hey", "hi", "hello", "thanks", "thank", "welcome", "okay", "ok", "so", "well",
              "yeah", "yes", "no", "oh", "dear", "congratulations", "sorry", "right", "alright",
              "look", "listen", "now", "please", "and", "but", "bye", "goodbye", "cheers"}


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a text: where, whom it names, and which form matched."""

    start: int
    end: int
    speaker: str
    form: str       # the text that matched, title included
    kind: str       # "full", "given", "surname" or "alias"


VARIANT_MIN = 5  # letters a one-word name needs before a one-letter variant of it counts


def spelling_variants(people: Sequence[tuple[str, Sequence[str]]], text: str,
                      lowercase: set[str]) -> dict[str, list[str]]:
    """Other spellings the text uses for members' one-word names: ``{name: [variants]}``.

    Transcribers and cast files spell names differently ("Sergey" for Sergei Tikhomirov,
    "Jarod" for Jerod, "Roos" for Roose, "Jose" for José). A capitalised word of the text
    (a possessive "'s" aside) is taken as a member's name when it names exactly one member
    that way and is not a word the text uses in lowercase: it differs from a given name or
    surname by its accents only, or, for names of at least ``VARIANT_MIN`` letters, by one
    vowel changed, added or dropped ("y" counts as a vowel). Consonants must agree: "Osama"
    is not "Obama".
    """
    forms: list[tuple[str, str, str]] = []  # (form, plain form, member)
    known: set[str] = set()
    for name, aliases in people:
        for form, kind in name_forms(name, aliases):
            known.add(form)
            if kind in ("given", "surname") and " " not in form:
                forms.append((form, _plain(form), name))
    out: dict[str, list[str]] = {}
    words = {_POSSESSIVE.sub("", word).rstrip("-'’") for word in _UPPER_WORD.findall(text)}
    for word in sorted(words):
        if len(word) < 2 or word in known or word.casefold() in lowercase:
            continue
        plain = _plain(word)
        owners = {name for form, plain_form, name in forms
                  if plain == plain_form or (len(form) >= VARIANT_MIN and _one_vowel_apart(plain, plain_form))}
        if len(owners) == 1:
            out.setdefault(owners.pop(), []).append(word)
    return out


_VOWELS = set("aeiouy")
_POSSESSIVE = regex.compile(r"['’]s$")


def _one_vowel_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` (case and accents aside) differ by one vowel changed, added
    or dropped, and not in their first letter."""
    a, b = _plain(a), _plain(b)
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 and a[diff[0]] in _VOWELS and b[diff[0]] in _VOWELS
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i:] == b[i + 1:] and b[i] in _VOWELS


def _plain(word: str) -> str:
    """A word casefolded, with its accents dropped."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold())
                   if not unicodedata.combining(c))


class NameIndex:
    """Finds every cast member's name forms in text with one compiled pattern."""

    def __init__(self, people: Sequence[tuple[str, Sequence[str]]], text: str = "",
                 lowercase: set[str] | None = None) -> None:
        """``people`` is ``[(name, aliases), ...]``; ``text`` is the transcript, used to
        leave out one-word forms that are ordinary words there (or give ``lowercase``, the
        words it uses in lowercase)."""
        if lowercase is None:
            lowercase = common_words(text) if text else set()
        self.lowercase = lowercase
        owners: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        for name, aliases in people:
            for form, kind in name_forms(name, aliases):
                if " " not in form and form.casefold() in self.lowercase:
                    continue
                owners.setdefault(form, set()).add(name)
                kinds.setdefault(form, kind)
        self.forms = {form: next(iter(names)) for form, names in owners.items() if len(names) == 1}
        self.kinds = kinds
        self.pattern = self._compile()

    def _compile(self):
        if not self.forms:
            return None
        titles = "|".join(regex.escape(t) for t in sorted(TITLES, key=len, reverse=True))
        single, multi = [], []
        for form in sorted(self.forms, key=lambda f: (-len(f), f)):
            (multi if " " in form else single).append(regex.escape(form))
        alternatives = []
        if multi:
            alternatives.append(f"(?P<name>{'|'.join(multi)})")
        if single:
            # A one-word form must not start a longer name ("Kevin Scott" is not Kevin Roose).
            alternatives.append(rf"(?P<name>{'|'.join(single)})(?![^\S\n]+\p{{Lu}}\p{{Ll}})")
        return regex.compile(
            rf"(?<![\p{{L}}\p{{N}}])(?P<title>(?:{titles})\s+)?(?:{'|'.join(alternatives)})"
            rf"(?![\p{{L}}\p{{N}}])",
            regex.VERSION1,
        )

    def find(self, text: str) -> list[Mention]:
        """Every name in ``text``, left to right, not overlapping."""
        if self.pattern is None:
            return []
        out = []
        for match in self.pattern.finditer(text):
            form = match.group("name")
            kind = self.kinds.get(form, "alias")
            if kind != "full" and not match.group("title") and self._ends_a_name(text, match.start()):
                continue
            out.append(Mention(match.start(), match.end(), self.forms[form], match.group(), kind))
        return out

    def find_each(self, texts: Sequence[str]) -> list[tuple[Mention, ...]]:
        """``find`` for many texts at once (one pass over them joined by newlines)."""
        out: list[list[Mention]] = [[] for _ in texts]
        if self.pattern is None:
            return [()] * len(texts)
        starts, position = [], 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        joined = "\n".join(texts)
        for mention in self.find(joined):
            number = bisect.bisect_right(starts, mention.start) - 1
            base = starts[number]
            if mention.end - base <= len(texts[number]):
                out[number].append(Mention(mention.start - base, mention.end - base,
                                           mention.speaker, mention.form, mention.kind))
        return [tuple(found) for found in out]

    def _ends_a_name(self, text: str, start: int) -> bool:
        """True when the word before ``start`` is a capitalised name word ("Isaac Newton"),
        not an ordinary word capitalised at a sentence start ("Thanks Kevin")."""
        before = _PREVIOUS_WORD.search(text, max(0, start - 60), start)
        if before is None:
            return False
        word = before.group(1)
        return word[0].isupper() and word.casefold() not in self.lowercase \
            and word.casefold() not in _GREETINGS

    def lookup(self, name: str) -> str | None:
        """The member a single name (any form, title allowed) refers to, if exactly one."""
        mentions = self.find(name.strip())
        if len(mentions) == 1 and mentions[0].end - mentions[0].start == len(name.strip()):
            return mentions[0].speaker
        return None
