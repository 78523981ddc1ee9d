"""Every speed target of issue 18 in one table: `make bench`.

    .venv/bin/python bench/report.py                 # everything, full size (over an hour)
    .venv/bin/python bench/report.py --quick         # small corpora, short runs: the table's shape
    .venv/bin/python bench/report.py --only cold,live   # some sections, the rest from earlier runs
    .venv/bin/python bench/report.py --table         # print the table from the kept figures only

It runs the benchmarks one after another, each writing its figures to bench/out/report/:

- cold: serve.py --page-cache off. Item 1: every page built for each request, shuffled.
- live: live.py --memory-minutes. Item 2: Zipf reads with and without 10 kudos a second;
  item 6: each worker's RSS through a 10-minute live run.
- search: search.py. Item 3: 2,000 full-text queries; 2,000 filtered browse pages.
- proxy: proxy.py. Item 4: a hot chapter through nginx's proxy cache; an edit's delay.
- scale: scale.py (PostgreSQL). Item 5: cold pages and search at 5,000 / 100,000 / 1,000,000.
- migration: import_efiction.py. Item 7: `fabula import-efiction` of 5,000 stories.

and prints one table: each row beside its target and eFiction's figure (DESIGN.md §4 and the
issue, the same corpus on the same machine), with the other load the machine carried while each
section ran (cores kept busy by other processes, measured between runs) — figures taken on a
busy machine are low, and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "report"
PYTHON = sys.executable
sys.path.insert(0, str(BENCH))

SECTIONS = ("cold", "live", "search", "proxy", "scale", "migration")
DATABASES = ("sqlite", "postgres")


def commands(section: str, args) -> list[list[str]]:
    """The bench runs of a section, each writing `OUT/<section>-<n>.json`."""
    quick = args.quick
    stories = "300" if quick else "5000"
    duration = "5s" if quick else "20s"

    def run(script: str, *options: str, name: str) -> list[str]:
        return [PYTHON, str(BENCH / script), *options, "--json", str(OUT / f"{name}.json")]

    if section == "cold":
        return [
            run(
                "serve.py",
                "--page-cache=off",
                f"--stories={stories}",
                f"--duration={duration}",
                f"--databases={','.join(DATABASES)}",
                name="cold",
            )
        ]

    def each_database(script: str, *options: str) -> list[list[str]]:
        """One run per database of a bench that measures one database at a time."""
        return [
            run(
                f"{script}.py",
                f"--database={db}",
                f"--stories={stories}",
                f"--duration={duration}",
                *options,
                name=f"{script}-{db}",
            )
            for db in DATABASES
        ]

    if section == "live":
        return each_database("live", f"--memory-minutes={'1' if quick else '10'}")
    if section == "search":
        return [
            run(
                "search.py",
                f"--stories={'1000' if quick else '5000'}",
                f"--duration={duration}",
                "--samples=2000",
                name="search",
            )
        ]
    if section == "proxy":
        return each_database("proxy")
    if section == "scale":
        return [run("scale.py", f"--sizes={args.scale_sizes}", name="scale")]
    if section == "migration":
        return [
            run(
                "import_efiction.py",
                f"--stories={'1000' if quick else '5000'}",
                f"--databases={','.join(DATABASES)}",
                name="migration",
            )
        ]
    raise ValueError(section)


def others_busy() -> float:
    from serve import others_cpu

    return others_cpu(2.0)


def run_section(section: str, args) -> None:
    """Run a section's benches; keep how busy the machine was around them."""
    busy = [others_busy()]
    started = time.monotonic()
    for command in commands(section, args):
        print(f"\n== {section}: {' '.join(command[1:])}", flush=True)
        subprocess.run(command, check=False, cwd=BENCH.parent)
        busy.append(others_busy())
    (OUT / f"{section}-machine.json").write_text(
        json.dumps(
            {
                "busy_cores": max(busy),
                "load_average": os.getloadavg()[0],
                "seconds": time.monotonic() - started,
                "at": time.strftime("%Y-%m-%d %H:%M"),
                "quick": args.quick,
            }
        )
    )


# ---------------------------------------------------------------------------------------------
# The table


def kept(name: str):
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def met(ok: bool | None) -> str:
    return {True: "yes", False: "NO", None: "-"}[ok]


def rows() -> list[tuple[str, str, str, str, str, str, str]]:
    """(item, measure, database, Fabula, target, eFiction, met) for every figure kept."""
    table = []
    cold = kept("cold")
    for r in cold["rows"] if cold else []:
        figure = "-" if r["rps"] is None else f"{r['rps']:,.0f} req/s, p99 {r['p99_ms']:.0f} ms"
        table.append(
            (
                "1 cold",
                r["label"],
                r["database"],
                figure + (f" ({r['note']})" if r["note"] else ""),
                r["target"],
                r["efiction"],
                met(r["met"]),
            )
        )
    for db in DATABASES:
        live = kept(f"live-{db}")
        if not live:
            continue
        ok = live["ratio"] >= 0.8 and live["busy_p99_ms"] <= 50
        table.append(
            (
                "2 live",
                "Zipf reads while 10 kudos/s",
                db,
                f"{live['busy_rps']:,.0f} req/s = {live['ratio']:.0%} of {live['quiet_rps']:,.0f}, "
                f"p99 {live['busy_p99_ms']:.0f} ms",
                ">= 80%, p99 <= 50 ms",
                "262 req/s, p95 78 ms",
                met(ok),
            )
        )
        table.append(
            (
                "2 live",
                "a kudos seen by the next guest",
                db,
                f"{live['shown']} kudos shown at once ({live['writes']} written, "
                f"{live['failed']} failed)",
                "at once",
                "-",
                met(bool(live["shown"])),
            )
        )
        if live["rss_mb"]:
            peak = max(max(sizes) for sizes in live["rss_mb"])
            table.append(
                (
                    "6 memory",
                    f"worker RSS over {len(live['rss_mb']) - 1} min live run",
                    db,
                    f"peak {peak:.0f} MB (start {max(live['rss_mb'][0]):.0f})",
                    "<= 150 MB",
                    "-",
                    met(peak <= 150),
                )
            )
    for s in kept("search") or []:
        full, browse = s["spread"]["fulltext"], s["spread"]["browse"]
        table.append(
            (
                "3 search",
                "2,000 full-text queries",
                s["database"],
                f"{full['rps'] or 0:,.0f} req/s, p95 {full['p95_ms'] or 0:.0f} ms",
                ">= 300 req/s, p95 <= 50 ms",
                "0.5 req/s, 3.4 s each",
                met((full["rps"] or 0) >= 300 and (full["p95_ms"] or 1e9) <= 50),
            )
        )
        table.append(
            (
                "3 search",
                "2,000 filtered browse (2+1)",
                s["database"],
                f"{browse['rps'] or 0:,.0f} req/s, p95 {browse['p95_ms'] or 0:.0f} ms",
                ">= 1,000 req/s",
                "48 req/s (category)",
                met((browse["rps"] or 0) >= 1000),
            )
        )
    for db in DATABASES:
        proxy = kept(f"proxy-{db}")
        if not proxy:
            continue
        nginx = proxy["rows"].get("through nginx", {})
        static = proxy["rows"].get("nginx, static copy", {})
        table.append(
            (
                "4 proxy",
                "hot chapter through nginx's cache",
                db,
                f"{nginx.get('rps') or 0:,.0f} req/s (static copy {static.get('rps') or 0:,.0f})",
                ">= 15,000 req/s",
                "-",
                met((nginx.get("rps") or 0) >= 15000),
            )
        )
        seen = proxy["edit_seen_s"]
        table.append(
            (
                "4 proxy",
                "a kudos seen through the proxy",
                db,
                "never" if seen is None else f"after {seen:.0f} s",
                "<= 120 s (docs/deploy.md)",
                "-",
                met(seen is not None and seen <= 120),
            )
        )
    for size in kept("scale") or []:
        n = f"{size['size']:,} stories"
        for key, label, target in (
            ("story", "story page", 20),
            ("category", "category page", 50),
            ("tag", "tag page", 50),
            ("search", "full-text search", 100),
        ):
            p95 = size["measured"][key]["p95_ms"]
            table.append(
                (
                    "5 scale",
                    f"{label} p95, {n}",
                    "postgres",
                    f"{p95:.1f} ms (1 at a time)",
                    f"<= {target} ms",
                    "-",
                    met(p95 <= target),
                )
            )
        mb = 2**20
        table.append(
            (
                "5 scale",
                f"build and size, {n}",
                "postgres",
                f"load-dump {size['build']['load_s']:,.0f} s; database "
                f"{size['sizes']['database'] / mb:,.0f} MB, search indexes "
                f"{size['sizes']['search_indexes'] / mb:,.0f} MB",
                "report",
                "-",
                "-",
            )
        )
    for m in kept("migration") or []:
        table.append(
            (
                "7 migration",
                f"import-efiction, {m['chapters']:,} chapters",
                m["database"],
                f"{m['chapters_per_second']:,.0f} chapters/s ({m['seconds']:.0f} s)",
                ">= 2,000 chapters/s",
                "-",
                met(m["chapters_per_second"] >= 2000),
            )
        )
    return table


def print_table() -> None:
    table = rows()
    header = ("item", "measure", "database", "Fabula", "target", "eFiction", "met")
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print("\nThe machine while each section ran (other processes' cores, measured between runs):")
    for section in SECTIONS:
        machine = kept(f"{section}-machine")
        if machine:
            flag = "  BUSY: figures low" if machine["busy_cores"] > 0.3 else ""
            print(
                f"  {section:<10} {machine['at']}  {'quick' if machine['quick'] else 'full size'}"
                f"  other load {machine['busy_cores']:.1f} of {os.cpu_count()} cores, load "
                f"average {machine['load_average']:.1f}, {machine['seconds'] / 60:.0f} min{flag}"
            )
        else:
            print(f"  {section:<10} not run")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora and short runs")
    parser.add_argument("--only", default="", help=f"comma list of {', '.join(SECTIONS)}")
    parser.add_argument(
        "--scale-sizes",
        default="5000,100000,1000000",
        help="archive sizes of the scale section (default 5000,100000,1000000)",
    )
    parser.add_argument("--table", action="store_true", help="only print the kept figures")
    args = parser.parse_args(argv)
    if args.quick and args.scale_sizes == parser.get_default("scale_sizes"):
        args.scale_sizes = "5000"
    wanted = [s for s in args.only.split(",") if s] or list(SECTIONS)
    if unknown := set(wanted) - set(SECTIONS):
        parser.error(f"unknown sections {sorted(unknown)}")
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.table:
        for section in wanted:
            run_section(section, args)
    print_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
