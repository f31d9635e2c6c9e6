"""Turns, the first stage: where the speaker may change.

``units.py`` cuts the text into units (sentences, cut again at input line breaks) and vetoes
a change inside a sentence; ``change.py`` gives the log-odds of a change at the start of each
unit (the learned model, or the hand-made table of ``boundary.py`` when no weights ship).
The output is a list of boundary clues: the voices stage decides the turns with them.
"""

from .change import find_changes
from .units import line_units

__all__ = ["find_changes", "line_units"]
