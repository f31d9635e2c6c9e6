"""Check: findings for CI, from a transcript (``findings.py``: ``check()``, baselines) or from the
rule packs themselves (``lint.py``). Takes text or packs; returns ``Finding``s with a severity and
a stable fingerprint. ``render/findings.py`` writes them as text, JSON, SARIF or JUnit.
"""
