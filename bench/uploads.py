"""Refusing what would cost too much, measured: the .docx bomb and the oversized upload
(issue 17, High 2 and Medium 8; target: refused in well under a second and under 50 MB).

    .venv/bin/python bench/uploads.py

For each case it prints the time `stories.uploads.read_upload` takes to answer and the peak of
memory it allocated while doing so (tracemalloc), beside a legitimate .docx converted for
comparison. No database is needed: the limits are checked before anything is stored.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from fabula.stories.tests.posting_support import docx_bytes  # noqa: E402
from fabula.stories.uploads import UnreadableUpload, _docx_to_html, read_upload  # noqa: E402

PARAGRAPH = "<w:p><w:r><w:t>All work and no play makes Jack a dull boy.</w:t></w:r></w:p>"


def measure(label: str, run) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run()
        answer = "converted"
    except UnreadableUpload as error:
        answer = f"refused: {str(error)[:60]}…"
    took = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<34} {took * 1000:>9.1f} ms {peak / 1024 / 1024:>8.1f} MB  {answer}")


def main() -> None:
    bombs = {
        "docx bomb, 10 MB of XML": PARAGRAPH * (10 * 1024 * 1024 // len(PARAGRAPH)),
        "docx bomb, 200 MB of XML": PARAGRAPH * (200 * 1024 * 1024 // len(PARAGRAPH)),
    }
    print(f"{'case':<34} {'time':>12} {'peak':>11}  answer")
    for label, body in bombs.items():
        data = docx_bytes(body)
        del body
        label = f"{label} ({len(data) // 1024} KB)"
        measure(label, lambda data=data: read_upload(SimpleUploadedFile("bomb.docx", data)))
    huge = SimpleUploadedFile("huge.txt", b"")
    huge.size = 100 * 1024 * 1024  # what the form would be handed: the size, not yet read
    measure("a 100 MB .txt (size only)", lambda: read_upload(huge))
    fair = docx_bytes(PARAGRAPH * 2000)
    measure(f"a fair .docx ({len(fair) // 1024} KB)", lambda: _docx_to_html(fair))


if __name__ == "__main__":
    main()
