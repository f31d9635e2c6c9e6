"""The one error type a user can cause, printed by the CLI as a single line."""

from __future__ import annotations


class CleanerError(Exception):
    """A problem with an input file, rule pack, cast or option.

    The CLI prints ``path:line:col: message`` and exits with code 2; it never shows a
    traceback for this type.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.col) if part is not None]
        if where:
            return ":".join(where) + ": " + self.message
        return self.message


class InternalError(Exception):
    """Our own bug, caught before anything is written (e.g. the output does not restore)."""
