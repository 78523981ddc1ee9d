"""The loader's engine: what was written (records), the batches, and the one fallback.

Every item written is recorded (`ImportRecord`: the item's key in the dump -> its row) in the
transaction of its batch, so a rerun skips it. A kind is written a batch per transaction by one
`write(items)` of that kind; if the batch fails as a whole, its items are written again one at
a time, each under a savepoint, so that a failing item is skipped alone, with its reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import Max, Model

from fabula.importers.actions import import_records_add, import_records_forget
from fabula.importers.dump import Readable
from fabula.importers.models import ImportRecord
from fabula.lib.text import has_control_characters, without_control_characters

ALREADY = "already imported"
ONE_LINE_FIELDS = ("title", "name", "pen_name", "real_name")
BATCH = 500
INDEXED = "search index"  # the ImportRecord kind of a story whose search index rows are written

# A batch writer: writes the items, records each one written, and returns the reasons it
# refused the others for, by key.
Write = Callable[[list[dict]], dict[str, str]]


def id_or_key(item: dict) -> object:
    """What a record is known by in its dump: its id or, for a record without one, its key."""
    return item["id"] if item.get("id") is not None else item["key"]


@dataclass
class Tally:
    read: int = 0
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    in_source: int | None = None  # rows the converter read, where that differs from `read`


@dataclass
class Report:
    kinds: dict[str, Tally] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # item by item, converter's then loader's
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, reason)
    indexed_stories: int = 0  # what the index stage wrote in this run
    indexed_chapters: int = 0

    def tally(self, kind: str) -> Tally:
        return self.kinds.setdefault(kind, Tally())

    def skip(self, kind: str, item, reason: str) -> None:
        self.tally(kind).skipped[reason] += 1
        if reason != ALREADY:
            self.problems.append(f"{kind} {item}: {reason}")
            self.refused.append((kind, str(item), reason))

    def lines(self) -> list[str]:
        lines = []
        for kind, tally in self.kinds.items():
            skipped = sum(tally.skipped.values())
            line = (
                f"{kind:<15} {tally.read:>7} read {tally.imported:>7} imported {skipped:>7} skipped"
            )
            reasons = "; ".join(f"{n} {reason}" for reason, n in tally.skipped.most_common())
            if tally.in_source is not None and tally.in_source != tally.read:
                reasons = "; ".join(
                    filter(None, [f"{tally.in_source} rows in the source", reasons])
                )
            lines.append(line + (f" ({reasons})" if reasons else ""))
        lines.append(
            f"{'search index':<15} {self.indexed_stories:>7} stories indexed "
            f"({self.indexed_chapters} chapters)"
        )
        if self.problems:
            lines.append(f"{len(self.problems)} problems, item by item:")
            lines += [f"  {problem}" for problem in self.problems]
        return lines


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Engine:
    """Bookkeeping and batches; `kinds.Loader` adds what each kind of record becomes.

    With `remember=False` nothing is recorded in the database (a one-story dump read from a
    file is loaded whole or not at all, and loaded again with --replace: there is no run to
    resume or repeat)."""

    def __init__(self, dump: Readable, progress=None, batch: int = BATCH, *, remember: bool = True):
        self.dump = dump
        self.source = dump.source or "dump"
        self.progress = progress or (lambda label, done, total: None)
        self.batch = batch
        self.remember = remember
        self.report = Report()
        self.done: dict[str, dict[str, int | None]] = defaultdict(dict)
        if remember:
            for kind, key, new_id in ImportRecord.objects.filter(source=self.source).values_list(
                "kind", "key", "new_id"
            ):
                self.done[kind][key] = new_id
        self._pending: list[tuple[str, str, int | None]] = []  # (kind, key, new_id)

    # --- records ---------------------------------------------------------------------------

    def record(self, kind: str, key, new_id: int | None) -> None:
        self.done[kind][str(key)] = new_id
        self._pending.append((kind, str(key), new_id))

    def new_id(self, kind: str, key) -> int | None:
        return None if key is None else self.done[kind].get(str(key))

    def written(self, kind: str) -> list[int]:
        """The rows the records of a kind became."""
        return [pk for pk in self.done[kind].values() if pk is not None]

    def flush(self) -> None:
        """Write the pending records, in one statement (an import writes tens of thousands)."""
        self.write_records(self._pending)
        self._pending = []

    def write_records(self, records: list[tuple[str, str, int | None]]) -> None:
        if not self.remember:
            return
        import_records_add(source=self.source, records=records)

    def _rolled_back(self, mark: int) -> None:
        """Forget the records made since `mark`: their writing was rolled back."""
        for kind, key, _ in self._pending[mark:]:
            self.done[kind].pop(key, None)
        del self._pending[mark:]

    def changed_after_indexing(self, story_ids: Iterable[int]) -> None:
        """Something was added to these stories: those indexed by an earlier run are to be
        indexed again (call it in the transaction of the write)."""
        keys = {str(pk) for pk in story_ids} & self.done[INDEXED].keys()
        if keys:
            import_records_forget(source=self.source, kind=INDEXED, keys=keys)
            for key in keys:
                del self.done[INDEXED][key]

    @staticmethod
    def free_ids(model: type[Model], count: int) -> Iterator[int]:
        """Numbers for rows a dump gives no id: after the highest in use (the batch's insert
        then moves PostgreSQL's sequence past them, as for kept ids)."""
        if not count:
            return iter(())
        highest = model._default_manager.aggregate(n=Max("pk"))["n"] or 0
        return iter(range(highest + 1, highest + 1 + count))

    # --- batches ---------------------------------------------------------------------------

    def each(
        self,
        kind: str,
        write: Write,
        *,
        key: Callable[[dict], object] = id_or_key,
        records: Iterable[dict] | None = None,
    ) -> None:
        """Write the records of `kind` (the dump's, or `records`), a batch per transaction."""
        tally = self.report.tally(kind)
        total, done = self.dump.count(kind), 0
        for chunk in chunks(self.dump.records(kind) if records is None else records, self.batch):
            with transaction.atomic():
                todo = []
                for item in chunk:
                    tally.read += 1
                    self.without_control_characters(kind, key(item), item)
                    if str(key(item)) in self.done[kind]:
                        self.report.skip(kind, key(item), ALREADY)
                    else:
                        todo.append(item)
                refused = self.all_or_one_by_one(todo, write, key)
                for item in todo:
                    reason = refused.get(str(key(item)))
                    if reason:
                        self.report.skip(kind, key(item), reason)
                    else:
                        tally.imported += 1
                self.flush()
            done += len(chunk)
            self.progress(f"loading {kind}", done, max(total, done))

    def without_control_characters(self, kind: str, key, item: dict) -> None:
        """A one-line text (title, name) with control characters loses them, and the report
        says so; longer texts lose them in the sanitiser. Feeds and e-books could not carry
        them (`lib.text`)."""
        for name in ONE_LINE_FIELDS:
            value = item.get(name)
            if isinstance(value, str) and has_control_characters(value):
                item[name] = without_control_characters(value)
                self.report.problems.append(
                    f"{kind} {key}: control characters removed from its {name.replace('_', ' ')}"
                )

    def all_or_one_by_one(
        self, items: list[dict], write: Write, key: Callable[[dict], object]
    ) -> dict[str, str]:
        """Write `items` in one go; if that fails, one at a time. Returns the refusals."""
        if not items:
            return {}
        mark = len(self._pending)
        try:
            with transaction.atomic():
                return write(items)
        except Exception:
            self._rolled_back(mark)
        refused = {}
        for item in items:
            mark = len(self._pending)
            try:
                with transaction.atomic():
                    refused.update(write([item]))
            except Exception as error:
                self._rolled_back(mark)
                refused[str(key(item))] = f"{type(error).__name__}: {error}"
        return refused
