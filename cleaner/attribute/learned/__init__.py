"""What the learned speaker models share: their trained weights and their hashed features.

The models sit beside the stage that uses them: ``turns/change.py`` (the log-odds of a
change of speaker between two consecutive units), ``voices/role.py`` (host, guest or
someone else), ``voices/affinity.py`` (how well a unit fits each voice's other words) and
``names/learned.py`` (who a name mention points to, and which voice is which name). Their
weights ship here (``speakers.npz``, ``naming.npz``; ``weights.py`` reads and checks them)
with ``review.json``, the review list's cut-off. Features are strings hashed into fixed-size
tables with a stable hash (``features.py``); training (``train/``) and inference share that
code, so they cannot drift.
"""
