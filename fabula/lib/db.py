"""Small database chores that differ between SQLite and PostgreSQL."""

from collections.abc import Callable

from django.db import connection
from django.db.models import Model


def keep_ids_ahead(model: type[Model]) -> None:
    """After inserting a row with an explicit id (an imported sid), move PostgreSQL's id sequence
    past it so the next new row does not collide. SQLite does this by itself."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 (table from _meta)
            f"(SELECT GREATEST(COALESCE(MAX(id), 0), 1) FROM {connection.ops.quote_name(table)}))",
            [table],
        )


def sql_for_vendor(statements_by_vendor: dict[str, list[str]]) -> Callable:
    """A RunPython step running the SQL written for the database in use (and none for others)."""

    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run
