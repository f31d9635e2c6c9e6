"""Podcasting 2.0 JSON transcript: ``{"version": "1.0.0", "segments": [{"speaker",
"startTime", "endTime", "body"}]}``, one segment per cue (see ``layout.cues``)."""

from __future__ import annotations

import json

from ..model import Result
from .layout import cues

VERSION = "1.0.0"


def render(result: Result) -> str:
    """The transcript as a Podcasting 2.0 JSON document, one segment per line."""
    segments = []
    for cue in cues(result)[0]:
        item = {}
        if cue.speaker:
            item["speaker"] = cue.speaker
        item["startTime"] = round(cue.start_time, 3)
        item["endTime"] = round(cue.end_time, 3)
        item["body"] = cue.text
        segments.append(json.dumps(item, ensure_ascii=False, allow_nan=False))
    body = ",\n    ".join(segments)
    inner = f"[\n    {body}\n  ]" if segments else "[]"
    return f'{{\n  "version": "{VERSION}",\n  "segments": {inner}\n}}\n'
