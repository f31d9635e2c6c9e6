"""Correct: apply the rule packs to a transcript, and everything that keeps the packs sound.

Takes a ``Transcript`` and a compiled ``RuleSet`` (``packs.py`` loads, ``parse.py`` validates,
``schema.py`` defines, ``matcher.py`` and ``cache.py`` compile and keep them); ``apply.py``
returns the proposed fixes as ``edits.Proposal``s. ``selftest.py`` runs each rule's examples.
"""
