"""Learned evidence for speaker attribution: small linear models trained on the corpus.

Each model is a pure function from the units' text (``View``s) to scores the decoder adds
as evidence, with weights read once from ``speakers.npz`` (``weights.py``):

- ``change``: the log-odds of a change of speaker between two consecutive units;
- ``role``: the log-probability that a unit is said by a host, a guest or someone else;
- ``affinity``: how well a unit fits each speaker's other words (a text analogue of a
  speaker embedding), so the decoder can keep three or more speakers apart.

Features are strings hashed into fixed-size tables with a stable hash (``features.py``);
training (``train/speakers.py``) and inference share that code, so they cannot drift.
"""
