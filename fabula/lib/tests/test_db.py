"""Database chores: the checkpointing thread beside a long SQLite write."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from fabula.lib import db


def _writer(path: Path) -> sqlite3.Connection:
    """A connection writing as an import does: WAL, and no checkpoint of its own."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE chapter (body TEXT)")
    return connection


def _write_a_megabyte(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO chapter VALUES (?)", [("x" * 10_000,)] * 100)
    connection.execute("COMMIT")


def _grows(path: Path, beyond: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.stat().st_size > beyond:
            return True
        time.sleep(0.02)
    return False


def test_without_the_thread_committed_pages_stay_in_the_wal(tmp_path):
    path = tmp_path / "archive.sqlite3"
    with closing(_writer(path)) as connection:
        _write_a_megabyte(connection)
        assert not _grows(path, beyond=1_000_000, seconds=0.3)


def test_the_thread_copies_what_was_committed_into_the_file_while_the_writer_goes_on(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(db, "CHECKPOINT_EVERY_SECONDS", 0.02)
    path = tmp_path / "archive.sqlite3"
    with closing(_writer(path)) as connection, db.checkpointing(str(path)):
        _write_a_megabyte(connection)
        assert _grows(path, beyond=1_000_000)
        _write_a_megabyte(connection)  # the writer is not stopped by it
        assert _grows(path, beyond=2_000_000)
    with closing(sqlite3.connect(path)) as reader:
        assert reader.execute("SELECT count(*) FROM chapter").fetchone() == (200,)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_checkpoint_that_cannot_run_ends_the_thread_quietly(tmp_path, monkeypatch):
    monkeypatch.setattr(db, "CHECKPOINT_EVERY_SECONDS", 0.01)
    with db.checkpointing(str(tmp_path / "no such folder" / "archive.sqlite3")):
        time.sleep(0.05)
