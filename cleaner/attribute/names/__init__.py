"""Names, the third stage: who each voice is, with a calibrated confidence and the evidence.

Decoded voices already carry their person's name (the text-only decoder decodes over the
cast): ``labels.py`` groups them into turns with a confidence (``confidence.py``, fitted by
``train/calibrate.py``; ``calibrate.py`` when no fitted file ships) and their evidence. A
diarizer's voices are named once over the whole conversation (``clusters.py``: the evidence
per voice and name; ``learned.py``: the mention and pair models; ``naming.py``: the policy).
"""
