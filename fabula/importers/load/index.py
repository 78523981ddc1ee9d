"""The loader's last stage: the search index rows of the imported stories, in one pass.

The index is not kept up while items arrive (its hooks are paused): once everything is in,
this stage writes the rows of the imported stories not indexed yet, a batch of stories per
transaction, each story recorded as indexed with its rows. A story that a later run adds to (a
chapter that failed before) loses that record, so a rerun indexes what the last one did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from fabula.importers.load.engine import INDEXED, Engine, Report
from fabula.lib.db import bulk_writing
from fabula.search import indexing

INDEX_WORKERS = 2  # connections writing the search index at once, on PostgreSQL


class Indexing(Engine):
    def index(self) -> Report:
        """The search index rows of the imported stories (of this run and earlier ones) not
        indexed yet, in one pass once everything is in."""
        indexed = {int(key) for key in self.done[INDEXED]}
        story_ids = sorted({pk for pk in self.done["stories"].values() if pk is not None} - indexed)
        batches = [
            story_ids[i : i + indexing.BATCH] for i in range(0, len(story_ids), indexing.BATCH)
        ]
        for batch, chapters in self._index_batches(batches):
            for pk in batch:
                self.done[INDEXED][str(pk)] = None
            self.report.indexed_stories += len(batch)
            self.report.indexed_chapters += chapters
            self.progress("building search index", self.report.indexed_stories, len(story_ids))
        if story_ids:
            indexing.optimize()
        return self.report

    def _index_batches(self, batches: list[list[int]]) -> Iterator[tuple[list[int], int]]:
        """Index each batch of stories, yielding it with its number of chapters, in order.

        On PostgreSQL, outside a transaction (one the other connections could not see into),
        INDEX_WORKERS connections write batches side by side: most of the work is the server's
        text parsing, which then runs on as many cores."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with bulk_writing():
                for batch in batches:
                    yield batch, self._index_batch(batch)
            return
        with ThreadPoolExecutor(max_workers=INDEX_WORKERS) as pool:
            futures = [pool.submit(self._index_apart, batch) for batch in batches]
            try:
                for batch, future in zip(batches, futures, strict=True):
                    yield batch, future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def _index_batch(self, batch: list[int]) -> int:
        """One transaction: the stories' rows and the records that they are indexed."""
        with transaction.atomic():
            chapters = indexing.index_stories(batch)
            self.write_records([(INDEXED, str(pk), None) for pk in batch])
        return chapters

    def _index_apart(self, batch: list[int]) -> int:
        """`_index_batch` in a worker thread, on a connection of its own, closed after."""
        try:
            with bulk_writing():
                return self._index_batch(batch)
        finally:
            connection.close()
