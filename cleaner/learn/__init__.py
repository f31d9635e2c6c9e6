"""Learn and suggest: new rules from an editor's work (``cleaner learn``, ``cleaner suggest``).

Takes a raw transcript and its corrected version (``learn.py``: align in ``pair.py``, filter in
``safety.py``, build in ``rules.py``) or one transcript and the known names (``suggest.py``), and
returns ``LearnedRule``s that ``packedit.py`` writes into a pack file, comments kept.
"""
