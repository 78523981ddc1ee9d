"""Small database chores that differ between SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, nullcontext
from operator import attrgetter
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from django.db import connection, connections
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col, RawSQL
from django.db.models.signals import post_init, pre_init

if TYPE_CHECKING:  # a PostgreSQL site's processes never load the SQLite backend
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

M = TypeVar("M", bound=Model)
N = TypeVar("N", bound=Model)


def table_name(model: type[Model]) -> str:
    """The model's table, quoted for SQL written by hand."""
    return connection.ops.quote_name(model._meta.db_table)


def keep_ids_ahead(model: type[Model]) -> None:
    """After inserting a row with an explicit id (an imported sid), move PostgreSQL's id sequence
    past it so the next new row does not collide. SQLite does this by itself."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT GREATEST(COALESCE(MAX(id), 0), 1) FROM {connection.ops.quote_name(table)}))",
            [table],
        )


def id_list(ids: Iterable[int]) -> RawSQL:
    """A list of ids for `field__in=`, bound as one parameter however long it is (SQLite would
    refuse tens of thousands of parameters; both databases parse one array faster)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", [id_array(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def id_array(ids: Iterable[int]) -> str:
    """A list of ids as PostgreSQL's text form of an array, for one `%s::integer[]` parameter:
    psycopg would adapt each of thousands of numbers on its own."""
    return "{" + ",".join(map(str, ids)) + "}"


def sql_for_vendor(statements_by_vendor: dict[str, list[str]]) -> Callable:
    """A RunPython step running the SQL written for the database in use (and none for others)."""

    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


@contextmanager
def bulk_writing() -> Iterator[None]:
    """This connection set for writing a great deal (an import), the way its database wants."""
    bulk = {"postgresql": _postgres_bulk, "sqlite": _sqlite_bulk}.get(connection.vendor)
    with bulk() if bulk else nullcontext():
        yield


@contextmanager
def _postgres_bulk() -> Iterator[None]:
    """On PostgreSQL, long values (chapter texts) are compressed with lz4 instead of the default
    pglz: three times faster to write, faster to read, for somewhat more room. Where the server
    lacks lz4, nothing changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting, 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
        before, has_lz4 = cursor.fetchone()
        if has_lz4:
            cursor.execute("SELECT set_config('default_toast_compression', 'lz4', false)")
    try:
        yield
    finally:
        # On a broken connection or in a failed transaction this fails: the error that led there
        # is the one to see, and the setting goes with the connection or the rollback.
        if has_lz4 and connection.is_usable() and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('default_toast_compression', %s, false)", [before]
                )


# SQLite's page cache while importing, in KiB (negative: a size, not a number of pages).
BULK_CACHE_KIB = -131072


@contextmanager
def _sqlite_bulk() -> Iterator[None]:
    """On SQLite, no checkpoint after each commit: an import's batch of 500 chapters outgrows the
    WAL's 1,000 pages, so nearly every commit copied the WAL into the database and synced both
    (200 fsyncs, 1.5 s, for 21,000 chapters). The WAL grows instead, and is copied once, at the
    end. A killed import loses nothing it committed (the WAL is read as part of the database
    until copied); a power cut may lose more of it than before, and the rerun writes it again.
    And a page cache of 128 MB, not 2: a batch's pages no longer spill and come back (pread
    calls of an import 444,000 -> 230,000, pwrite 598,000 -> 470,000)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        (cache_before,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        with _checkpointing_alongside():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_before)}")
            # Inside a transaction (a test's) no checkpoint can run; TRUNCATE: the WAL file
            # shrinks back too (a reader still busy leaves it as it is).
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# How often the checkpointing thread copies what a bulk write committed into the database file.
CHECKPOINT_EVERY_SECONDS = 0.5


@contextmanager
def _checkpointing_alongside() -> Iterator[None]:
    """While this connection writes, a thread copies the committed WAL into the database file.
    Done at the end instead, the copy was 1.8 s of a 12 s import of 21,000 chapters; alongside,
    it overlaps the import's own work on another core. What it has not copied yet, the last
    checkpoint copies. Nothing runs inside a transaction (the test suite's: nothing committed
    to copy) or on a database in memory (no other connection would see the same one)."""
    if connection.in_atomic_block or cast("SQLiteWrapper", connection).is_in_memory_db():
        yield
        return
    with checkpointing(connection.settings_dict["NAME"]):
        yield


@contextmanager
def checkpointing(path: str) -> Iterator[None]:
    """A thread with a connection of its own runs SQLite's PASSIVE checkpoint on the database
    file at `path` every CHECKPOINT_EVERY_SECONDS until the block ends. A PASSIVE checkpoint
    never waits for the writer nor stops it, and the copy runs in SQLite's C code, without
    Python's lock. A checkpoint that fails only loses the overlap: the last one does the copy."""
    stop = threading.Event()

    def checkpoint() -> None:
        try:
            with closing(sqlite3.connect(path)) as database:
                while not stop.wait(CHECKPOINT_EVERY_SECONDS):
                    database.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            return

    thread = threading.Thread(target=checkpoint, name="sqlite-checkpoint", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# Field types whose Python value is already what the database driver takes.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
    "OneToOneField",
}


def _preparer(field: Field) -> Callable[[object], object] | None:
    """What turns the field's Python values into the driver's, or None where they are the same."""
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "DateTimeField":
        # An import writes a date or two a row: the ORM's general route costs more than the
        # row. Aware datetimes (all Fabula makes) go straight to the database's form, and a
        # value like the row before's (one `now` for a batch) is not converted again.
        adapt = connection.ops.adapt_datetimefield_value
        last: list = [object(), None]

        def prepare(value):
            if value is not last[0]:
                last[:] = (
                    value,
                    adapt(value if value is None or value.tzinfo else field.get_prep_value(value)),
                )
            return last[1]

        return prepare
    return lambda value: field.get_db_prep_save(value, connection)


class Columns(Generic[M]):
    """A model's columns for a SELECT written by hand, and the instance made from a row of them
    as the ORM leaves it (with the database's converters: SQLite hands back times as text; the
    fields not read deferred; see `maker`).

    For the few reads of the pages read most: building a query through the ORM cost ten times
    running it (a story by id with its rating, 1 ms against 0.07; issue 18). `names` are the
    fields to read (attnames, `rating_id`); the instance defers the others, as `.only()`."""

    def __init__(self, model: type[M], alias: str, names: Sequence[str] | None = None):
        self.model, self.alias = model, alias
        concrete = model._meta.concrete_fields
        self.fields = [f for f in concrete if names is None or f.attname in names]
        if names is not None and len(self.fields) != len(names):
            raise ValueError(f"not all of {names} are columns of {model.__name__}")
        self.attnames = [field.attname for field in self.fields]
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(cast(str, field.column))}" for field in self.fields)
        self._converters: dict[str, list[tuple[int, list, Col]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def maker(self) -> Callable[[Sequence], M]:
        """What makes the instance of a row's values (in the order of `sql`) on the current
        connection: its converters and alias looked up once for all the rows of a read."""
        converters = self._converters.get(connection.vendor)
        if converters is None:
            converters = self._converters[connection.vendor] = []
            for i, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                # The backend's, then the field's, as the ORM's compiler applies them.
                found = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if found:
                    converters.append((i, found, column))
        model, alias, attnames = self.model, connection.alias, self.attnames
        # What `from_db` leaves behind, without `Model.__init__`'s walk over every field (a
        # tenth of a cold chapter page, an instance per chapter of its menu): the values read,
        # the others deferred by their absence (Django's `DeferredAttribute` reads one when it
        # is asked for), and the state of a saved row. Only where no receiver waits for the
        # init signals, which this does not send.
        plain = not (pre_init.has_listeners(model) or post_init.has_listeners(model))
        database = connections[alias]  # the connection itself, not the per-thread proxy

        def make(values: Sequence) -> M:
            if converters:
                values = list(values)
                for i, functions, column in converters:
                    for convert in functions:
                        values[i] = convert(values[i], column, database)
            if not plain:
                return model.from_db(alias, attnames, values)
            instance = model.__new__(model)
            instance.__dict__.update(zip(attnames, values, strict=True))
            state = instance._state = ModelState()
            state.adding, state.db = False, alias
            return instance

        return make

    def read(self, sql: str, params: Sequence) -> list[M]:
        """The instances of the rows a SELECT of these columns returns."""
        make = self.maker()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [make(row) for row in cursor.fetchall()]

    def read_with(self, other: Columns[N], sql: str, params: Sequence) -> list[tuple[M, N]]:
        """The pairs of instances of the rows a SELECT of these columns, then `other`'s,
        returns (a row and the row it joins)."""
        width, make, make_other = len(self), self.maker(), other.maker()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(make(row[:width]), make_other(row[width:])) for row in cursor.fetchall()]


def insert_rows(model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows of plain values (in the order of `field_names`) in one statement: a COPY on
    PostgreSQL, an `executemany` on SQLite.

    For imports, which write tens of thousands of rows: `bulk_create` spends more on its per-value
    work than the database spends on the rows. Values are prepared for the database only for the
    fields that need it (dates, JSON); no defaults are filled in and no signals sent."""
    rows = list(rows)
    if not rows:
        return
    fields: list[Field] = []
    column_names: list[str] = []
    for name in field_names:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.column is None:
            raise ValueError(f"{model.__name__}.{name} is not a column")
        fields.append(field)
        column_names.append(field.column)
    prepare = [_preparer(field) for field in fields]
    if any(prepare):
        rows = [
            [
                value if prep is None else prep(value)
                for value, prep in zip(row, prepare, strict=True)
            ]
            for row in rows
        ]
    quote = connection.ops.quote_name
    table = table_name(model)
    columns = ", ".join(quote(column) for column in column_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the rows stream in one go, encoded by psycopg's C code (executemany would
            # quote every value in Python, for a statement a row). Errors as Django's, as for
            # any other statement.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def insert(objects: Sequence[Model]) -> None:
    """Insert unsaved instances of one model, as `bulk_create` does but in one statement (see
    `insert_rows`). Their primary keys are written when every one has its own (an import
    keeps ids); otherwise the database numbers them, and they are not read back."""
    if not objects:
        return
    meta = objects[0]._meta
    keep_pk = all(obj.pk is not None for obj in objects)
    fields = [field for field in meta.concrete_fields if keep_pk or not field.primary_key]
    now_fields = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objects:
        for field in now_fields:
            field.pre_save(obj, add=True)
    names = [field.attname for field in fields]
    read = attrgetter(*names)
    insert_rows(
        type(objects[0]),
        [field.name for field in fields],
        (read(obj) for obj in objects) if len(names) > 1 else ((read(obj),) for obj in objects),
    )
