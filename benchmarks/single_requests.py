"""Single requests to the pages of benchmarks/pages.py, one at a time, through the Django test
client with production settings (DEBUG off): median wall and CPU time and the query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python benchmarks/single_requests.py -n 50 [--profile matches]

Run it on the data pages.py seeds (`seed_demo --size large`). On a busy machine the wall times
wander with the load; the CPU times (this process only, not PostgreSQL's) much less.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "network.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DJANGO_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _pages() -> dict:
    """The pages of benchmarks/pages.py, each with a client signed in as its persona."""
    from django.test import Client

    from benchmarks.pages import _personas

    pages = {}
    for name, (path, session) in _personas().items():
        client = Client()
        if session:
            client.cookies["sessionid"] = session
        pages[name] = (client, path)
    return pages


def _counter(queries: list):
    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started) * 1000)

    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="requests per page")
    parser.add_argument("--profile", default="", help="a page to run under cProfile")
    parser.add_argument("--sort", default="cumulative", help="the profile's order, e.g. tottime")
    args = parser.parse_args()
    _django()
    from django.db import connection

    for name, (client, url) in _pages().items():
        for _ in range(3):  # warm the caches, sessions and templates
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} for {url}")
        queries = []
        with connection.execute_wrapper(_counter(queries)):
            client.get(url)
        profile = cProfile.Profile() if name == args.profile else None
        wall, cpu = [], []
        for _ in range(args.n):
            started, started_cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            client.get(url)
            if profile:
                profile.disable()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"{name:10} wall_p50_ms={statistics.median(wall):.1f} "
            f"cpu_p50_ms={statistics.median(cpu):.1f} queries={len(queries)} "
            f"sql_ms={sum(queries):.1f}"
        )
        if profile:
            pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


if __name__ == "__main__":
    main()
