"""eFiction's column values as the importer reads them: a damaged time is no date, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fabula.importers.sources.efiction.convert import to_date


@pytest.mark.parametrize(
    "value, column_type, expected",
    [
        ("1262304000", "varchar", datetime(2010, 1, 1, tzinfo=UTC)),
        (1262304000, "int", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2010-01-01 00:00:00", "datetime", datetime(2010, 1, 1, tzinfo=UTC)),
        ("0", "varchar", None),
        (0, "int", None),
        ("0000-00-00 00:00:00", "datetime", None),
        # Damaged: a digit Python calls a digit but int() refuses, and times past year 9999.
        ("²", "varchar", None),
        ("9" * 5000, "varchar", None),
        (10**15, "int", None),
    ],
)
def test_times_are_read_or_left_empty(value, column_type, expected):
    assert to_date(value, column_type) == expected
