"""The eFiction fixture, converted once per session and imported per test that needs it."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.importers.dump import Dump, DumpWriter
from fabula.importers.load import load_dump
from fabula.importers.sources.efiction.convert import Options, convert
from fabula.importers.sources.efiction.tables import DumpFileTables, Tables
from fabula.test import require, shared_path


def fixture_sql() -> str:
    return shared_path("efiction", "fixture", "efiction-small.sql")


class Altered(Tables):
    """The fixture with some damage done: tables left out, rows changed."""

    def __init__(self, tables: Tables, *, drop=(), change=None):
        self.tables, self.drop, self.change = tables, set(drop), change or {}

    def names(self):
        return self.tables.names() - self.drop

    def columns(self, table):
        return self.tables.columns(table)

    def rows(self, table):
        for row in self.tables.rows(table):
            row = dict(row)
            if table in self.change:
                row = self.change[table](row)
            if row is not None:
                yield row


def convert_to(folder: Path, tables: Tables, **options) -> Dump:
    with DumpWriter(folder, source="efiction") as writer:
        convert(tables, writer, Options(**options))
    return Dump(folder)


@pytest.fixture(scope="session")
def fixture_tables() -> DumpFileTables:
    return DumpFileTables(fixture_sql())


@pytest.fixture(scope="session")
def fixture_dump(fixture_tables, tmp_path_factory) -> Dump:
    """The fixture read from the .sql file (no server) and converted to Fabula's dump."""
    return convert_to(tmp_path_factory.mktemp("dump"), fixture_tables)


@pytest.fixture
def imported(db, fixture_dump):
    """The fixture imported into the test database; the loader's report."""
    return load_dump(fixture_dump)


def _mariadb_answers() -> bool:
    if shutil.which("mariadb") is None:
        return False
    result = subprocess.run(
        ["mariadb", "-h127.0.0.1", "-P3306", "-uroot", "-e", "SELECT 1"],
        capture_output=True,
        timeout=10,
        check=False,
    )
    return result.returncode == 0


@pytest.fixture(scope="session")
def mariadb_fixture() -> Iterator[str]:
    """A database on the MariaDB server at 127.0.0.1:3306 holding the fixture; its URL.
    Made for the session and dropped afterwards."""
    require(
        _mariadb_answers(),
        "the MariaDB server at 127.0.0.1:3306 (root, no password) does not answer",
    )
    name = f"fabula_test_efiction_{uuid.uuid4().hex[:8]}"
    base = ["mariadb", "-h127.0.0.1", "-P3306", "-uroot"]
    subprocess.run([*base, "-e", f"CREATE DATABASE {name} CHARACTER SET utf8mb4"], check=True)
    try:
        with open(fixture_sql(), "rb") as sql:
            subprocess.run([*base, name], stdin=sql, check=True, capture_output=True)
        yield f"mysql://root@127.0.0.1:3306/{name}"
    finally:
        subprocess.run([*base, "-e", f"DROP DATABASE IF EXISTS {name}"], check=False)
