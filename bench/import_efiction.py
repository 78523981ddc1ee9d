"""How fast `fabula import-efiction` brings an eFiction archive over.

    .venv/bin/python bench/import_efiction.py                    # 5,000 stories, 21,000 chapters
    .venv/bin/python bench/import_efiction.py --stories 1000     # smaller
    .venv/bin/python bench/import_efiction.py --databases sqlite

It builds an eFiction 3.5 database in the MariaDB server at 127.0.0.1:3306 (root, no password):
the fixture's table definitions (shared/efiction/fixture/efiction-small.sql) filled with a
generated archive of N stories, 4.2 N chapters of about 1,550 words each (about 10 KB of <p>
paragraphs), N/6 members, two reviews a story, some series and favourites. Then, for each
database (SQLite in a file, PostgreSQL at 127.0.0.1:5432), it migrates an empty Fabula database
and times the whole command an operator runs, `fabula import-efiction --db mysql://...` (the
converter, the loader and the search index stage, start to end, process start-up included). It
prints chapters per second for the whole command; the target (issue 18, item 7) is 2,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FIXTURE = ROOT.parent / "shared" / "efiction" / "fixture" / "efiction-small.sql"
MARIADB = ["mariadb", "-h127.0.0.1", "-P3306", "-uroot"]
# Where the eFiction source and the Fabula targets live; `--name` gives others, so that two runs
# on one machine do not import into each other's databases.
DATABASE = "fabula_bench_efiction"
TARGET = "fabula_bench_import"
WORDS = (
    "the a of and to in he she was that it his her with as on had at for not but him they "
    "Jim Pam Dwight Michael office paper Scranton desk phone coffee looked said back away "
    "warehouse quiet smile door morning answered moment together tonight reception"
).split()


def sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def chapter_texts(rng: random.Random, count: int = 64, words: int = 1550) -> list[str]:
    """A pool of chapter texts (building 21,000 distinct ones would time Python, not the import)."""
    texts = []
    for _ in range(count):
        n = int(words * rng.uniform(0.4, 1.6))
        picked = rng.choices(WORDS, k=n)
        paragraphs = [" ".join(picked[i : i + 90]).capitalize() + "." for i in range(0, n, 90)]
        texts.append("\n".join(f"<p>{p}</p>" for p in paragraphs))
    return texts


def build_efiction(stories: int, seed: int = 1970) -> dict:
    """The eFiction database in MariaDB; returns its row counts."""
    import pymysql

    subprocess.run(
        [
            *MARIADB,
            "-e",
            f"DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4",
        ],
        check=True,
    )
    with open(FIXTURE, "rb") as sql:
        subprocess.run([*MARIADB, DATABASE], stdin=sql, check=True)
    rng = random.Random(seed)
    connection = pymysql.connect(
        host="127.0.0.1", user="root", database=DATABASE, charset="utf8mb4", autocommit=False
    )
    texts = chapter_texts(rng)
    members = max(10, stories // 6)
    with connection.cursor() as cursor:
        for table in (
            "authors",
            "authorprefs",
            "stories",
            "chapters",
            "reviews",
            "series",
            "inseries",
            "coauthors",
            "favorites",
        ):
            cursor.execute(f"DELETE FROM fanfiction_{table}")
        cursor.executemany(
            "INSERT INTO fanfiction_authors "
            "(uid, penname, realname, email, bio, image, date, admincreated, password) "
            "VALUES (%s, %s, '', %s, '', '', %s, '0', MD5(%s))",
            [
                (uid, f"Writer {uid}", f"w{uid}@example.org", 1100000000 + uid * 1000, f"pw{uid}")
                for uid in range(1, members + 1)
            ],
        )
        cursor.executemany(
            "INSERT INTO fanfiction_authorprefs (uid, userskin, level, categories, stories) "
            "VALUES (%s, 'default', %s, '0', 0)",
            [(uid, 1 if uid == 1 else 0) for uid in range(1, members + 1)],
        )
        story_rows, chapter_rows, review_rows = [], [], []
        chapid = 0
        total_chapters = round(stories * 4.2)
        for sid in range(1, stories + 1):
            uid = rng.randint(1, members)
            count = 4 + (1 if sid <= total_chapters - 4 * stories else 0)
            words = 0
            for position in range(1, count + 1):
                chapid += 1
                text = texts[chapid % len(texts)]
                words += len(text.split())
                chapter_rows.append(
                    (
                        chapid,
                        f"Chapter {position}",
                        position,
                        "",
                        text,
                        "",
                        "1",
                        len(text.split()),
                        sid,
                        uid,
                    )
                )
            date = 1100000000 + sid * 3600
            story_rows.append(
                (
                    sid,
                    f"Story {sid} {rng.choice(WORDS).title()}",
                    "<p>A summary.</p>",
                    "",
                    ",".join(str(c) for c in rng.sample(range(1, 16), 2)),
                    ",".join(str(c) for c in rng.sample(range(1, 23), 2)),
                    ",".join(str(c) for c in rng.sample(range(1, 18), 3)),
                    str(rng.randint(1, 5)),
                    date,
                    date + 86400,
                    uid,
                    0,
                    "0",
                    "1",
                    str(rng.randint(0, 1)),
                    "0",
                    words,
                    0,
                    0,
                    rng.randint(0, 20000),
                )
            )
            for _ in range(2):
                review_rows.append(
                    (
                        sid,
                        "ST",
                        chapid,
                        f"Reader {rng.randint(1, 999)}",
                        0,
                        "Lovely.",
                        date + 7200,
                        rng.randint(1, 10),
                    )
                )
        cursor.executemany(
            "INSERT INTO fanfiction_stories (sid, title, summary, storynotes, catid, charid, "
            "classes, rid, date, updated, uid, coauthors, "
            "featured, validated, completed, rr, wordcount, rating, reviews, count) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            story_rows,
        )
        for start in range(0, len(chapter_rows), 500):
            cursor.executemany(
                "INSERT INTO fanfiction_chapters (chapid, title, inorder, notes, storytext, "
                "endnotes, validated, wordcount, sid, uid) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                chapter_rows[start : start + 500],
            )
        cursor.executemany(
            "INSERT INTO fanfiction_reviews "
            "(item, type, chapid, reviewer, uid, review, date, rating, respond) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '0')",
            review_rows,
        )
    connection.commit()
    connection.close()
    return {
        "stories": stories,
        "chapters": len(chapter_rows),
        "members": members,
        "reviews": len(review_rows),
    }


def run_import(database_url: str) -> dict:
    """Migrate the empty target, then time `fabula import-efiction --db ...`, the whole command
    as an operator runs it (convert, load and the search index stage), in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url}
    fabula = [PYTHON, "-m", "fabula.cli"]
    subprocess.run([*fabula, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    source = f"mysql://root@127.0.0.1:3306/{DATABASE}"
    started = time.perf_counter()
    subprocess.run(
        [*fabula, "import-efiction", "--db", source, "--no-progress"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    counted = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'fabula.settings'); django.setup(); from fabula.stories.models import Chapter, "
            "Story; print(json.dumps([Story.objects.count(), Chapter.objects.count()]))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    stories, chapters = json.loads(counted.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "stories": stories, "chapters": chapters}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--reuse", action="store_true", help="import the eFiction database the last run built"
    )
    parser.add_argument(
        "--name",
        help="name the databases after this (the eFiction source in MariaDB, "
        "the PostgreSQL target, the SQLite file) instead of the defaults",
    )
    parser.add_argument("--json", help="also write the figures to this file (bench/report.py)")
    args = parser.parse_args()
    global DATABASE, TARGET
    if args.name:
        DATABASE, TARGET = f"{args.name}_efiction", args.name
    started = time.perf_counter()
    if args.reuse:
        print(f"eFiction database {DATABASE}: as the last run built it")
    else:
        counts = build_efiction(args.stories)
        print(
            f"eFiction database {DATABASE}: {counts} "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
    print(f"{'database':<10} {'stories':>8} {'chapters':>9} {'seconds':>8} {'chapters/s':>11}")
    rows = []
    for name in args.databases.split(","):
        figures = {"database": name, **run_import(fresh_database(name))}
        figures["chapters_per_second"] = figures["chapters"] / figures["seconds"]
        rows.append(figures)
        print(
            f"{name:<10} {figures['stories']:>8,} {figures['chapters']:>9,} "
            f"{figures['seconds']:>8.1f} {figures['chapters_per_second']:>11,.0f}",
            flush=True,
        )
    print("the whole `fabula import-efiction --db mysql://...` command; target >= 2,000 chapters/s")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


def fresh_database(name: str) -> str:
    if name == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{TARGET}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for statement in (f"DROP DATABASE IF EXISTS {TARGET}", f"CREATE DATABASE {TARGET}"):
        subprocess.run(
            ["psql", "-h127.0.0.1", "-Upostgres", "-q", "-c", statement],
            check=True,
            capture_output=True,
        )
    return f"postgres://postgres@127.0.0.1:5432/{TARGET}"


if __name__ == "__main__":
    main()
