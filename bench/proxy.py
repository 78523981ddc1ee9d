"""Guests through a proxy cache (issue 18, item 4): nginx in front of Fabula, configured as
docs/deploy.md recommends, serving a hot chapter page; beside it, nginx serving the same bytes
as a static file (the ceiling on this machine); and how long an edit takes to reach a guest
behind the proxy.

    .venv/bin/python bench/proxy.py                       # 300 stories, SQLite, 20 s a run

nginx (Debian: apt-get install nginx) runs as this user with a prefix under bench/out/nginx,
on a free loopback port, one worker per core, and is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from serve import (
    OUT,
    Result,
    database_url,
    ensure_corpus,
    guest_post,
    parse_wrk,
    probe,
    random_loopback,
    running_server,
    write_json,
)

from fabula.conf.webserver import free_port

NGINX_CONF = """
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_temp_path {prefix}/proxy_temp;
    client_body_temp_path {prefix}/body_temp;
    fastcgi_temp_path {prefix}/fastcgi_temp;
    uwsgi_temp_path {prefix}/uwsgi_temp;
    scgi_temp_path {prefix}/scgi_temp;
    proxy_cache_path {prefix}/cache keys_zone=fabula:50m max_size=1g inactive=10m;
    upstream fabula_nodes {{ server 127.0.0.1:{upstream}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location /static-copy/ {{ alias {prefix}/static/; default_type text/html; }}
        location / {{
            proxy_pass http://fabula_nodes;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host 127.0.0.1;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_cache fabula;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_bypass $cookie_sessionid $http_authorization;
            proxy_no_cache $cookie_sessionid $http_authorization;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            add_header X-Cache $upstream_cache_status;
        }}
    }}
}}
"""


def wrk_one(port: int, path: str, duration: str, database: str, label: str) -> Result:
    done = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
    )
    result = Result(database, "proxy", label, "", 1, None)
    parse_wrk(done.stdout, result)
    return result


def kudos_count(port: int, story_id: int) -> tuple[int | None, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stories/{story_id}/", timeout=10) as r:
        page, state = r.read().decode(), r.headers.get("X-Cache", "")
    found = re.search(r'class="count kudos-count">([\d,]+) kudos', page)
    return (int(found.group(1).replace(",", "")) if found else None), state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="also write the figures to this file (bench/report.py)")
    args = parser.parse_args(argv)
    args.server, args.page_cache = "granian", "on"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        parser.error("nginx is not installed (Debian: apt-get install nginx)")

    (OUT / "data" / "static").mkdir(parents=True, exist_ok=True)
    url = database_url(args.database, args)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FABULA_DATA_DIR": str(OUT / "data"),
        "FABULA_PROXY_COUNT": "1",  # nginx in front: the guest is who nginx says
    }
    ensure_corpus(args.database, url, env, args.stories)
    chapters = probe(env, 0)["urls"]["chapter"]
    # A story this bench has likely not given kudos yet (a guest's address gives them once).
    chapter = random.choice(chapters)
    story_id = int(re.search(r"/stories/(\d+)/", chapter).group(1))  # type: ignore[union-attr]

    prefix = OUT / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    (prefix / "static").mkdir(parents=True)
    rows: list[Result] = []
    with running_server(args, env) as upstream:
        with urllib.request.urlopen(f"http://127.0.0.1:{upstream}{chapter}") as page:
            (prefix / "static" / "chapter.html").write_bytes(page.read())
        port = free_port()
        (prefix / "nginx.conf").write_text(
            NGINX_CONF.format(prefix=prefix, upstream=upstream, port=port)
        )
        subprocess.run([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], check=True)
        try:
            time.sleep(0.5)
            rows.append(wrk_one(upstream, chapter, args.duration, args.database, "Fabula alone"))
            wrk_one(port, chapter, "2s", args.database, "warm")
            rows.append(wrk_one(port, chapter, args.duration, args.database, "through nginx"))
            rows.append(
                wrk_one(
                    port,
                    "/static-copy/chapter.html",
                    args.duration,
                    args.database,
                    "nginx, static copy",
                )
            )
            # An edit behind the proxy: a guest's kudos (through nginx: a POST is never cached),
            # then the story's page asked through nginx until it shows the new count.
            before, _ = kudos_count(port, story_id)
            # A guest of its own address, through nginx (which writes it into X-Forwarded-For).
            status = guest_post(
                port, f"/stories/{story_id}/kudos/", random_loopback(random.Random())
            )
            if status not in (200, 302, 303):
                raise SystemExit(f"the kudos was refused: HTTP {status}")
            started = time.monotonic()
            seen = None
            while time.monotonic() - started < 150:
                count, _ = kudos_count(port, story_id)
                if before is not None and count is not None and count > before:
                    seen = time.monotonic() - started
                    break
                time.sleep(0.5)
        finally:
            pid = int((prefix / "nginx.pid").read_text())
            os.kill(pid, signal.SIGQUIT)

    print(
        f"\nproxy cache: {args.database}, one chapter page ({chapter}), wrk -t2 -c16 "
        f"-d{args.duration}; load average {os.getloadavg()[0]:.1f} (2 cores)"
    )
    print(f"{'served by':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row.label:<22} {row.rps or 0:>9,.0f} {row.p50_ms or 0:>8.2f} {row.p99_ms or 0:>8.2f}"
        )
    print("target through nginx: >= 15,000 req/s")
    if args.json:
        write_json(
            args.json,
            {
                "database": args.database,
                "rows": {row.label: {"rps": row.rps, "p99_ms": row.p99_ms} for row in rows},
                "edit_seen_s": seen,
            },
        )
    if seen is None:
        print(f"a guest's kudos did not reach the page through the proxy within 150 s ({before})")
        return 1
    print(
        f"a guest's kudos reached the page through the proxy after {seen:.1f} s "
        "(at most 60 s on nginx, plus up to 60 s in a worker's own cache without Redis)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
