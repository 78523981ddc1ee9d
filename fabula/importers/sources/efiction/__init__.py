"""eFiction 3.x: read its database (a server or a .sql dump) and write Fabula's dump."""

from __future__ import annotations

from pathlib import Path

from fabula.importers.dump import DumpWriter
from fabula.importers.sources.efiction.convert import ConversionError, Options, convert
from fabula.importers.sources.efiction.tables import DumpFileTables, MySQLTables, SourceError


def open_tables(*, db: str | None = None, dump: str | None = None, encoding: str | None = None):
    """The eFiction database at a mysql:// address, or in a .sql dump file."""
    if db:
        return MySQLTables(db)
    if not dump:
        raise SourceError("give the database's address (db) or a .sql dump file (dump)")
    try:
        return DumpFileTables(dump, encoding="utf-8")
    except SourceError:
        if not encoding:
            raise
        return DumpFileTables(dump, encoding=encoding)


def convert_site(
    folder: str | Path,
    *,
    db: str | None = None,
    dump: str | None = None,
    prefix: str | None = None,
    stories_dir: str | None = None,
    encoding: str | None = None,
    progress=None,
) -> Path:
    """Write the eFiction site to a dump in `folder`; return the folder."""
    tables = open_tables(db=db, dump=dump, encoding=encoding)
    try:
        options = Options(
            prefix=prefix, stories_dir=Path(stories_dir) if stories_dir else None, encoding=encoding
        )
        with DumpWriter(folder, source="efiction") as writer:
            convert(tables, writer, options, progress)
    finally:
        tables.close()
    return Path(folder)


__all__ = ["ConversionError", "SourceError", "convert_site", "open_tables"]
