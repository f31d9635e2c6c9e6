"""The report's tidy section: every hallucination loop, removed or only flagged, the lines
that likely lead into one (kept, to check), and the style the transcript was cleaned in."""

from __future__ import annotations

from ..model import Result


def loop_section(result: Result) -> list[tuple[str, list[str]]]:
    """``[("Hallucination loops", lines)]`` once the tidy passes have run, else nothing."""
    loops = result.options.get("loops")
    if loops is None:
        return []
    style = result.options.get("style", "clean")
    lead_ins = sum(1 for loop in loops if loop["detector"] == "lead-in")
    lines = [f"Style: {style}. Loops found: {len(loops) - lead_ins or 'none'}."
             + (f" Likely hallucinated lead-ins to check: {lead_ins}." if lead_ins else "")]
    for loop in loops:
        first, last = loop["line"], loop["end_line"]
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        state = ("kept, check it" if loop["detector"] == "lead-in"
                 else "removed" if loop["removed"] else "flagged, not removed")
        lines.append(f"- {where} ({state}; {loop['detector']}): {loop['reason']}: "
                     f"“{loop['text']}”")
    return [("Hallucination loops", lines)]
