"""People's names as words: the forms a name is called by, and the words a text uses in
lowercase (which are unsafe as one-word names). Shared by ``correct`` (misheard cast names)
and ``attribute`` (finding names in text); neither reads more than the text it is given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import regex

PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le",
             "ter", "ten", "bin", "al", "el", "st.", "mac"}

_INITIAL = regex.compile(r"^(?:\p{Lu}{1,3}|\p{Lu}\.(?:\p{Lu}\.)*)$")
_LOWER_WORD = regex.compile(r"(?<![\p{L}\p{N}'’.@/-])\p{Ll}[\p{L}'’-]*(?![\p{L}'’-]|[.@/]\p{L})")
_UPPER_WORD = regex.compile(r"(?<![\p{L}\p{N}'’.@/-])\p{Lu}[\p{L}'’-]*")


def is_initial(token: str) -> bool:
    """True for a middle initial such as "H", "HW" or "J."."""
    return bool(_INITIAL.match(token))


def name_forms(name: str, aliases: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The ``(form, kind)`` pairs a person may be called by, longest first."""
    tokens = name.split()
    forms: dict[str, str] = {name: "full"}
    words = [t for t in tokens if not is_initial(t)]
    if len(tokens) >= 2 and words:
        surname = _surname(tokens)
        given = next((t for t in tokens if not is_initial(t) and t.lower() not in PARTICLES), None)
        if given and surname and given != surname:
            forms.setdefault(f"{given} {surname}", "full")
            forms.setdefault(given, "given")
        if surname:
            forms.setdefault(surname, "surname")
            bare = surname.split()[-1]
            if bare != surname:
                forms.setdefault(bare, "surname")
    for alias in aliases:
        forms.setdefault(alias, "alias")
    return sorted(forms.items(), key=lambda item: (-len(item[0]), item[0]))


def _surname(tokens: Sequence[str]) -> str | None:
    """The last name, with particles such as "van" ("Aaron van Wirdum" -> "van Wirdum")."""
    if len(tokens) < 2 or is_initial(tokens[-1]):
        return None
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def common_words(text: str) -> set[str]:
    """Words the text uses in lowercase (casefolded): unsafe as one-word names.

    Lowercase inside a web address ("spencer.place") does not count, and a word written in
    lowercase only once counts only if the text never capitalises it (an ASR slip otherwise).
    """
    lower = Counter(word.casefold() for word in _LOWER_WORD.findall(text))
    if not lower:
        return set()
    capitalised = {word.casefold() for word in _UPPER_WORD.findall(text)}
    return {word for word, count in lower.items() if count >= 2 or word not in capitalised}
