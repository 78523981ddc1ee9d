"""The one error every reader and the loader raise for bad input: it names the file and line."""

from __future__ import annotations


class FormatError(Exception):
    """Input that cannot become a story. Printed as "FILE, line N: what is wrong"."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line else self.source
        return f"{where}: {self.message}"
