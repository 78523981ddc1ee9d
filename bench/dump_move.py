"""Moving an archive from SQLite to PostgreSQL, timed: `fabula write-dump` on the SQLite archive,
`fabula migrate` and `fabula load-dump` on an empty PostgreSQL database (docs/deploy.md).

    .venv/bin/python bench/dump_move.py [--stories 5000] [--postgres postgres://…/fabula_move]

The SQLite archive is the benchmark corpus (bench/corpus.py), built once into
bench/out/corpus-N.sqlite3 when missing (that takes a while at full size). The PostgreSQL
database is dropped and made again first. Prints each step's time, the dump's size and the
stories, chapters and words found on both sides.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
FABULA = Path(sys.executable).parent / "fabula"
COUNTS = """
from django.db.models import Sum
from fabula.stories.models import Chapter, Story
words = Story.objects.aggregate(w=Sum("word_count"))["w"]
print(Story.objects.count(), Chapter.objects.count(), words)
"""


def timed(label: str, command: list, env: dict) -> float:
    start = time.monotonic()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    print(f"{label:<34} {seconds:8.1f} s", flush=True)
    return seconds


def counts(env: dict) -> str:
    shell = subprocess.run(
        [FABULA, "shell", "-c", COUNTS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    stories, chapters, words = shell.stdout.split()[-3:]
    return f"{int(stories):,} stories, {int(chapters):,} chapters, {int(words):,} words"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/fabula_move", help="target"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    sqlite = OUT / f"corpus-{args.stories}.sqlite3"
    source = {**os.environ, "DATABASE_URL": f"sqlite:///{sqlite}", "FABULA_DATA_DIR": str(OUT)}
    source.pop("REDIS_URL", None)
    source.pop("DATABASE_REPLICA_URLS", None)
    if not sqlite.exists():
        print(f"Building the {args.stories}-story corpus into {sqlite} (once)…", flush=True)
        subprocess.run(
            [sys.executable, BENCH / "corpus.py", "--stories", str(args.stories)],
            env=source,
            cwd=ROOT,
            check=True,
        )
    target = {**source, "DATABASE_URL": args.postgres}
    name = args.postgres.rsplit("/", 1)[1]
    server = args.postgres.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", server, "-qc", f"drop database if exists {name}"], check=True)
    subprocess.run(["psql", server, "-qc", f"create database {name}"], check=True)
    dump = OUT / f"dump-{args.stories}"
    shutil.rmtree(dump, ignore_errors=True)
    print(f"SQLite: {counts(source)}; {sqlite.stat().st_size / 2**20:,.0f} MB")
    total = timed(
        "fabula write-dump (SQLite)", [FABULA, "write-dump", dump, "--no-progress"], source
    )
    size = sum(f.stat().st_size for f in dump.rglob("*") if f.is_file())
    print(f"{'  dump size':<34} {size / 2**20:8.0f} MB")
    total += timed("fabula migrate (PostgreSQL)", [FABULA, "migrate", "--noinput", "-v0"], target)
    total += timed(
        "fabula load-dump (PostgreSQL)", [FABULA, "load-dump", dump, "--no-progress"], target
    )
    print(f"{'the whole move':<34} {total:8.1f} s")
    print(f"PostgreSQL: {counts(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
