"""Where an eFiction database is read from: a live MySQL/MariaDB server, or a `.sql` dump file.

Both give the same three things: the table names, each table's column types (to tell DATETIME
dates from unix integers, as eFiction's own updater does with SHOW COLUMNS), and the rows as
dicts. Values come back as Python ints, strs, bytes, datetimes or None; the converter
normalises them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlparse

# The key of a row that could not be read; its value says why.
DAMAGED = "__damaged__"


class SourceError(Exception):
    """The database or dump cannot be read at all."""


class Tables:
    """The interface: what the converter reads."""

    def names(self) -> set[str]:
        raise NotImplementedError

    def columns(self, table: str) -> dict[str, str]:
        """Column name -> lower-case SQL type word (`int`, `datetime`, `varchar`, ...)."""
        raise NotImplementedError

    def rows(self, table: str) -> Iterator[dict]:
        raise NotImplementedError

    def damage(self) -> list[str]:
        """What is known to be missing from the source as a whole (a dump file cut short)."""
        return []

    def close(self) -> None:
        pass


class MySQLTables(Tables):
    """A live server, through PyMySQL; rows are streamed, not held in memory."""

    def __init__(self, url: str):
        import pymysql

        parts = urlparse(url)
        if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
            raise SourceError(
                f"{url!r} is not a mysql://user:password@host[:port]/database address"
            )
        try:
            self.connection = pymysql.connect(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 3306,
                user=unquote(parts.username or "root"),
                password=unquote(parts.password or ""),
                database=unquote(parts.path.strip("/")),
                charset="utf8mb4",
                connect_timeout=10,
            )
        except pymysql.MySQLError as error:
            raise SourceError(f"cannot connect to {parts.hostname}: {error}") from error
        self._columns: dict[str, dict[str, str]] = {}

    def names(self) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            return {row[0] for row in cursor.fetchall()}

    def columns(self, table: str) -> dict[str, str]:
        if table not in self._columns:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SHOW COLUMNS FROM `{table}`")
                self._columns[table] = {row[0]: _type_word(row[1]) for row in cursor.fetchall()}
        return self._columns[table]

    def rows(self, table: str) -> Iterator[dict]:
        import pymysql.cursors

        with self.connection.cursor(pymysql.cursors.SSDictCursor) as cursor:
            cursor.execute(f"SELECT * FROM `{table}`")
            yield from cursor

    def close(self) -> None:
        self.connection.close()


def _type_word(sql_type: str | bytes) -> str:
    if isinstance(sql_type, bytes):
        sql_type = sql_type.decode()
    match = re.match(r"\s*(\w+)", sql_type)
    return match.group(1).lower() if match else ""


_CREATE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?`?(\w+)`?", re.I)
_COLUMN = re.compile(r"^\s*`(\w+)`\s+(\w+)")
_INSERT = re.compile(r"INSERT\s+(?:IGNORE\s+)?INTO\s+`?(\w+)`?\s*(\([^)]*\))?\s*VALUES\s*", re.I)
_TOKEN = re.compile(
    r"""\s*(?:
        '(?P<s>(?:[^'\\]|\\.|'')*)'
      | (?P<null>NULL)
      | (?P<hex>0x[0-9A-Fa-f]*)
      | (?P<num>[-+]?[0-9][0-9.eE+-]*)
      | (?P<binary>_binary|_utf8mb4|_utf8|_latin1)
      | (?P<punct>[(),;])
    )""",
    re.X | re.S,
)
_ESCAPE = re.compile(r"\\(.)|''", re.S)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def _top_level_items(body: str) -> list[str]:
    """A CREATE TABLE's definitions: its text cut at the commas outside parentheses and quotes."""
    body = body[body.find("(") + 1 :]
    items, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                items.append(body[start:index])
                return items
            depth -= 1
        elif char == "," and depth == 0:
            items.append(body[start:index])
            start = index + 1
    items.append(body[start:])
    return items


def _unescape(match: re.Match) -> str:
    char = match.group(1)
    if char is None:
        return "'"
    return _ESCAPES.get(char, char)


def _cut_short(path: str, text: str) -> str | None:
    """Why a mysqldump or mariadb-dump file is not whole, or None. Both end their files with
    "-- Dump completed"; a file cut at a line boundary parses cleanly and only lacks that line.
    (phpMyAdmin writes no such line: its files cannot be checked this way.)"""
    if not re.match(r"-- (MySQL|MariaDB) dump", text[:200]):
        return None
    if "-- Dump completed" in text[-2000:]:
        return None
    return (
        f"{path} ends without mysqldump's closing '-- Dump completed' line: the file was cut "
        "short, and the tables after the cut are missing"
    )


class DumpFileTables(Tables):
    """A dump as mysqldump, mariadb-dump or phpMyAdmin write it, read without a server.

    The file is read once, at the start; each table's rows are kept as tuples.
    """

    def __init__(self, path: str, *, encoding: str = "utf-8"):
        try:
            with open(path, encoding=encoding, errors="strict") as file:
                text = file.read()
        except OSError as error:
            raise SourceError(f"cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise SourceError(
                f"{path} is not {encoding} text (byte {error.start}); give --encoding"
            ) from error
        self.path = path
        self.cut_short = _cut_short(path, text)
        self._columns: dict[str, dict[str, str]] = {}
        self._rows: dict[str, list[tuple]] = {}
        self._row_columns: dict[str, list[str]] = {}
        self._parse(text)

    def _parse(self, text: str) -> None:
        position = 0
        while True:
            create = _CREATE.search(text, position)
            insert = _INSERT.search(text, position)
            if insert is not None and (create is None or insert.start() <= create.start()):
                position = self._read_insert(text, insert)
            elif create is not None:
                position = self._read_create(text, create)
            else:
                return

    def _read_create(self, text: str, match: re.Match) -> int:
        table = match.group(1)
        end = text.find(";\n", match.end())
        end = len(text) if end < 0 else end
        columns = {}
        for item in _top_level_items(text[match.end() : end]):
            column = _COLUMN.match(item)
            if column:
                columns[column.group(1)] = column.group(2).lower()
        self._columns[table] = columns
        self._rows.setdefault(table, [])
        return end

    def _read_insert(self, text: str, match: re.Match) -> int:
        table = match.group(1)
        if match.group(2):
            self._row_columns[table] = [
                name.strip(" `") for name in match.group(2).strip("()").split(",")
            ]
        rows = self._rows.setdefault(table, [])
        position = match.end()
        row: list | None = None
        convert_next = None
        while True:
            token = _TOKEN.match(text, position)
            if token is None:
                raise self._unreadable(text, position, table)
            start, position = position, token.end()
            kind = token.lastgroup
            if kind == "punct":
                mark = token.group("punct")
                if mark == "(":
                    row = []
                elif mark == ")":
                    if row is None:  # a ")" that closes no row
                        raise self._unreadable(text, start, table)
                    rows.append(tuple(row))
                    row = None
                elif mark == ";":
                    return position
                continue
            if kind == "s":
                value = token.group("s")
                if "\\" in value or "''" in value:
                    value = _ESCAPE.sub(_unescape, value)
                if convert_next == "_binary":
                    value = value.encode("utf-8", "surrogateescape")
            elif kind == "null":
                value = None
            elif kind == "hex":
                value = bytes.fromhex(token.group("hex")[2:])
            elif kind == "num":
                number = token.group("num")
                value = int(number) if re.fullmatch(r"[-+]?\d+", number) else float(number)
            else:  # a charset introducer before a string
                convert_next = token.group("binary")
                continue
            convert_next = None
            if row is None:  # a value outside the parentheses of a row
                raise self._unreadable(text, start, table)
            row.append(value)

    def _unreadable(self, text: str, position: int, table: str) -> SourceError:
        snippet = text[position : position + 40]
        return SourceError(f"{self.path}: cannot read the INSERT INTO {table} at {snippet!r}")

    def names(self) -> set[str]:
        return set(self._columns) | set(self._rows)

    def damage(self) -> list[str]:
        return [self.cut_short] if self.cut_short else []

    def columns(self, table: str) -> dict[str, str]:
        if table in self._columns:
            return self._columns[table]
        return {name: "" for name in self._row_columns.get(table, [])}

    def rows(self, table: str) -> Iterator[dict]:
        names = self._row_columns.get(table) or list(self._columns.get(table, {}))
        for values in self._rows.get(table, []):
            if len(values) != len(names):
                # One damaged row: the converter reports it and goes on.
                yield {DAMAGED: f"{len(values)} values for {len(names)} columns"}
                continue
            yield dict(zip(names, values, strict=True))
