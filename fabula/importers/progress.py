"""A one-line progress bar on the terminal, redrawn in place; silent when not a terminal."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, stream=None, *, width: int = 30, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1 and label == self._label:
            return  # redraw at most ten times a second
        self._last, self._label = now, label
        share = done / total if total else 1
        filled = int(self.width * share)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{label:<22} [{bar}] {done:>7}/{total:<7} {share:4.0%}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
