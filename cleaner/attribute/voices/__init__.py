"""Voices, the second stage: which units one voice speaks, over the whole conversation.

From the text (``track.py``): an HMM over the cast (``decode.py``) decodes every unit at
once from the turns stage's change clues and the evidence of who speaks: the cues, the
learned role model (``role.py``) and each voice's words (``affinity.py``). From a diarized
input (``clusters.py``): the diarizer's clusters, repaired where the text strongly
contradicts them (``repair.py``).
"""
