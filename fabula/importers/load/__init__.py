"""Stage two of every import: write a dump into the archive, through the actions.

The loader reads a dump (from `sources/efiction/`, from `fabula write-dump`, or the one-story
dump a format reader makes of a file for `fabula import-text`) kind by kind, in the order of
`dump.KINDS`, and writes each item through the actions. It is the one way stories and what
hangs on them enter the database from outside. Every item it writes is recorded
(`ImportRecord`: the item's key in the dump -> its row), in the same transaction as the item,
so:

- a rerun of the same dump skips what is there and changes nothing;
- an interrupted import (killed, crashed) is rerun to completion: the batch that was being
  written rolled back as a whole, and everything before it is skipped;
- one bad item (an id taken by another row, a reference to something not imported) is skipped
  and reported, and the rest goes on.

- `engine.py`: the records, the batches (a batch of a kind per transaction, written in bulk
  by that kind's writer), the one fallback (a failed batch again one item at a time), the report;
- `kinds.py`: what each kind of record becomes, one writer per kind;
- `index.py`: the last stage, the search index of the imported stories in one pass.

The report counts, per kind, what was read, imported and skipped, with the reason for each skip.
"""

from __future__ import annotations

from collections.abc import Callable

from fabula.importers.dump import Readable
from fabula.importers.load.engine import ALREADY, BATCH, INDEXED, Report
from fabula.importers.load.kinds import Loader

__all__ = ["ALREADY", "INDEXED", "Loader", "Report", "load_dump", "write_report"]


def load_dump(
    dump: Readable,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    batch: int = BATCH,
    remember: bool = True,
) -> Report:
    return Loader(dump, progress, batch, remember=remember).run()


def write_report(out, report: Report, damage: list[str]) -> None:
    """A load's report, and, for a partial load (--allow-partial), what the source lacked."""
    for line in report.lines():
        out.write(line)
    if damage:
        out.write(f"Loaded in part (--allow-partial): the source was not whole ({len(damage)}):")
        for line in damage:
            out.write(f"  {line}")
