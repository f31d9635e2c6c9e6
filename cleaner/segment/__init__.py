"""Segment: rebuild sentences across ASR line breaks, then group them into speaker turns.

``units.py`` takes the corrected transcript and returns ``Unit``s (sentences, in original
offsets), the things speakers are attributed to; ``turns.py`` takes units and their labels and
returns the output's ``Turn``s, which still tile the input exactly.
"""
