"""The import command as an operator runs it, into an SQLite file: the other tests import into
the suite's database in memory, inside a transaction, where the bulk writer's checkpoints and
its checkpointing thread do not run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from django.conf import settings

from fabula.importers.tests.conftest import fixture_sql

ROOT = Path(settings.PACKAGE_DIR).parent


def fabula(database: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "fabula.cli", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_import_efiction_into_an_sqlite_file_leaves_a_whole_archive(tmp_path):
    dump = fixture_sql()
    database = tmp_path / "archive.sqlite3"
    assert fabula(database, "migrate", "-v0").returncode == 0
    done = fabula(database, "import-efiction", "--dump", dump, "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "30 stories indexed" in done.stdout
    with closing(sqlite3.connect(database)) as archive:
        assert archive.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        archive.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        published = archive.execute(
            "SELECT count(*) FROM stories_chapter WHERE status = 'published'"
        ).fetchone()
        assert archive.execute("SELECT count(*) FROM search_fts").fetchone() == published
        assert archive.execute("SELECT count(*) FROM stories_story").fetchone() == (30,)
    # Everything was copied into the database file: nothing waits in a write-ahead log.
    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
