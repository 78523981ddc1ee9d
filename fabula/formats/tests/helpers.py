"""Running the format commands from tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

SEED_SID = 1970


@dataclass
class Ran:
    """What a command printed, and the CommandError it ended with (None on success)."""

    out: str
    err: str
    error: Exception | None


def run(name: str, *args: str) -> Ran:
    """Run a management command; a CommandError is returned with the output, not raised."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        return Ran(out.getvalue(), err.getvalue(), error)
    return Ran(out.getvalue(), err.getvalue(), None)


def import_text(*paths, replace: bool = False) -> Ran:
    return run("import_text", *map(str, paths), *(["--replace"] if replace else []))


def export_text(sid: int) -> str:
    ran = run("export", str(sid), "--format", "efiction-text")
    assert ran.error is None, ran.error
    return ran.out


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path
