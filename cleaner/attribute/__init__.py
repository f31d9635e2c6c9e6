"""Attribute: who speaks each unit of a transcript, in three stages (``stages.py``).

``turns/`` finds where the speaker may change, ``voices/`` keeps track of who is who over
the whole conversation (decoded from the text, or a diarizer's clusters repaired), and
``names/`` names every voice from the cast, with a calibrated confidence and the evidence
per turn. ``setting.py`` prepares what they all read (units, cast, the cues of ``cues.py``);
``overrides.py`` reads an editor's fixes; ``learned/`` holds the trained weights and the
hashed features the models share; ``evaluate.py`` scores labels against a gold labelling.
"""

from .stages import Attribution, attribute, attribute_diarized

__all__ = ["Attribution", "attribute", "attribute_diarized"]
