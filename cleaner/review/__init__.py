"""Review: a local page where an editor fixes speakers and accepts or rejects each change.

``state.py`` holds the editor's decisions as a pure history of actions; ``view.py`` shows a
pipeline result through them; ``session.py`` runs the pipeline and keeps the sidecar beside
the input; ``app.py`` is the web server (Starlette), imported only by ``cleaner review``.
"""
