"""What one log-in costs the server: argon2id at OWASP's parameters against Django's default.

    .venv/bin/python bench/login.py [--rounds 20] [--concurrent 4]

For each hasher, in a fresh process of its own (so one's memory does not hide the other's):
the time to hash a password and to check one (median and slowest of --rounds, in ms), the
memory the process grew by for its first hash (peak RSS), and the peak RSS growth when --concurrent
checks run at once in threads (argon2 releases the GIL, so each holds its own memory block: this
is what a burst of log-ins asks of a worker). Then a log-in through the site itself: Django's
test client posting the log-in form against a throw-away SQLite database (the hash, the session,
the throttle's counts in the "limits" table), median of --rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHERS = {
    "argon2id m=19 MiB t=2 p=1 (Fabula, OWASP)": (
        "fabula.accounts.hashers.OwaspArgon2PasswordHasher"
    ),
    "argon2id m=100 MiB t=2 p=8 (Django's default)": (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    ),
}
PASSWORD = "correct horse battery staple"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure_hasher(path: str, rounds: int, concurrent: int) -> dict:
    from django.utils.module_loading import import_string

    hasher = import_string(path)()
    before = peak_rss_mb()
    encoded = hasher.encode(PASSWORD, hasher.salt())  # the process's first argon2 block
    one = peak_rss_mb() - before

    def timed(work) -> list[float]:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        return times

    hashing = timed(lambda: hasher.encode(PASSWORD, hasher.salt()))
    checking = timed(lambda: hasher.verify(PASSWORD, encoded))
    before = peak_rss_mb()
    threads = [
        threading.Thread(target=hasher.verify, args=(PASSWORD, encoded)) for _ in range(concurrent)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    burst_ms = (time.perf_counter() - start) * 1000
    return {
        "hash_ms": statistics.median(hashing),
        "check_ms": statistics.median(checking),
        "check_max_ms": max(checking),
        "one_check_mb": one,
        "burst_mb": peak_rss_mb() - before,
        "burst_ms": burst_ms,
    }


def measure_site_login(rounds: int) -> dict:
    """A log-in through the site's own form (hash, session, throttle), in a scratch database."""
    import django
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from fabula.accounts.models import User

    User.objects.create_user("Bench Reader", "bench@example.org", PASSWORD)
    times = []
    for n in range(rounds):
        client = Client(REMOTE_ADDR=f"10.9.{n // 250}.{n % 250}")
        start = time.perf_counter()
        response = client.post(
            "/accounts/login/", {"username": "Bench Reader", "password": PASSWORD}
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    return {"login_ms": statistics.median(times), "login_max_ms": max(times)}


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    if args.site:
        result = measure_site_login(args.rounds)
    else:
        import django

        django.setup()
        result = measure_hasher(args.hasher, args.rounds, args.concurrent)
    print(json.dumps(result))


def run_child(extra: list[str], env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *extra],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hasher", help=argparse.SUPPRESS)
    parser.add_argument("--site", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fabula.settings", "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "bench-login-" + "x" * 40)
    common = ["--rounds", str(args.rounds), "--concurrent", str(args.concurrent)]
    print(
        f"{'hasher':48} {'hash':>8} {'check':>8} {'max':>8} {'1 hash':>9} "
        f"{f'{args.concurrent} at once':>12} {'':>9}"
    )
    for label, path in HASHERS.items():
        r = run_child([*common, "--hasher", path], env)
        print(
            f"{label:48} {r['hash_ms']:6.1f}ms {r['check_ms']:6.1f}ms {r['check_max_ms']:6.1f}ms "
            f"{r['one_check_mb']:+7.1f}MB {r['burst_mb']:+10.1f}MB {r['burst_ms']:7.0f}ms"
        )
    with tempfile.TemporaryDirectory() as scratch:
        site_env = {**env, "DATABASE_URL": f"sqlite:///{scratch}/login.sqlite3"}
        r = run_child([*common, "--site"], site_env)
    print(
        f"\nA log-in through the site's form (SQLite, throttle on): median {r['login_ms']:.1f} ms, "
        f"slowest {r['login_max_ms']:.1f} ms over {args.rounds} log-ins."
    )


if __name__ == "__main__":
    main()
