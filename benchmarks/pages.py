"""Each main page alone under load: requests/s, median and 95th percentile, one page at a time.

    sudo apt-get install wrk        # Debian's wrk, the load generator (written in C)
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    export REDIS_URL=redis://127.0.0.1:6379/10
    .venv/bin/python benchmarks/pages.py --seed     # seeds `seed_demo --size large` first
    .venv/bin/python benchmarks/pages.py [--duration 10] [--connections 8] [--workers 5]
        [--worker-class sync|gthread --threads 4] [--only directory,matches]

It starts gunicorn on a free loopback port with production settings (DEBUG off, the database in
DATABASE_URL, the Redis cache in REDIS_URL), signs in the personas of the demo network by writing
their sessions directly, checks that every page answers 200 for its persona, then drives each
URL alone with wrk (`--connections` connections, `--duration` seconds after a short warm-up),
the trivial view first and last, so a drift of the machine shows between the two:

    trivial        /robots.txt (anonymous; no database)
    directory      /directory/?page=3 (anonymous; faceted list over all organisations)
    search         /search/?q=hjemmepleje (anonymous; the network's search across kinds)
    dir_search     /directory/?q=hjemmepleje (anonymous; the directory's free text, same engine)
    matches        an SME admin's match list
    members        a cluster manager's member list, sorted by name, page 2
    need_matches   the companies matched to a municipality's need, as its admin sees them
    need_list      the list of needs, as the SME admin sees it

Measure on a quiet machine after `VACUUM ANALYZE` (seed_demo does one). The last line is

    trivial_rps=<n> directory_rps=<n> search_rps=<n> matches_rps=<n> members_rps=<n>
    need_matches_rps=<n> need_list_rps=<n>

(one line; the trivial figure is the lower of its two runs).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.portal_server import (
    MANAGER_EMAIL,
    MUNICIPALITY_EMAIL,
    SME_EMAIL,
    free_port,
    manage,
    session_for,
    setup_django,
    start_gunicorn,
    stop,
    with_totp,
)

FINAL = ("trivial", "directory", "search", "matches", "members", "need_matches", "need_list")
# wrk's own summary gives no 95th percentile; its Lua hook does (microseconds).
LATENCY_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("latency_us p50=%d p95=%d errors=%d\\n",
    latency:percentile(50), latency:percentile(95),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""


def _personas() -> dict:
    """Each page's path and the session it is requested with (None: anonymous)."""
    from django.db.models import Count
    from django.urls import reverse

    from clusters.models import ClusterStaff
    from matchmaking.models import Need
    from network.models import User

    sme = User.objects.get(email=SME_EMAIL)
    manager = User.objects.get(email=MANAGER_EMAIL)
    municipality = User.objects.get(email=MUNICIPALITY_EMAIL)
    with_totp(manager)
    cluster = ClusterStaff.objects.filter(user=manager).select_related("cluster").first().cluster
    need = (
        Need.objects.filter(owner__affiliations__person__user=municipality)
        .annotate(match_count=Count("matches"))
        .order_by("-match_count", "pk")
        .first()
    )
    if need is None:
        raise SystemExit(f"{MUNICIPALITY_EMAIL} owns no need: seed the large demo (--seed).")
    sme_session, manager_session = session_for(sme), session_for(manager)
    return {
        "trivial": ("/robots.txt", None),
        "directory": (reverse("directory") + "?page=3", None),
        "search": (reverse("search") + "?q=hjemmepleje", None),
        "dir_search": (reverse("directory") + "?q=hjemmepleje", None),
        "matches": (reverse("matchmaking:my_matches"), sme_session),
        "members": (
            reverse("clusters:member_list", args=[cluster.slug]) + "?sort=name&page=2",
            manager_session,
        ),
        "need_matches": (
            reverse("matchmaking:need_matches", args=[need.pk]),
            session_for(municipality),
        ),
        "need_list": (reverse("matchmaking:need_list"), sme_session),
    }


def _check(base: str, path: str, session: str | None) -> None:
    request = urllib.request.Request(base + path)  # noqa: S310 (our own http:// loopback URL)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        if response.status != 200 or response.url != base + path:
            raise SystemExit(f"{path}: HTTP {response.status} at {response.url}, not the page")


def _wrk(base: str, path: str, session: str | None, args, script: str, seconds: int) -> dict:
    command = [
        "wrk",
        f"--threads={min(args.connections, 2)}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={script}",
    ]
    if session:
        command += ["--header", f"Cookie: sessionid={session}"]
    output = subprocess.run(
        [*command, base + path], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95, errors = map(int, re.search(r"p50=(\d+) p95=(\d+) errors=(\d+)", output).groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="migrate and seed_demo --size large")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per page before that")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="per worker, with gthread")
    parser.add_argument("--only", help="comma-separated pages (the trivial view always runs)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database.")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL: production caches in Redis.")

    if args.seed:
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo", "--size", "large", "--force")
    manage("collectstatic", "--noinput", "-v0")
    setup_django()
    pages = _personas()
    names = [n for n in pages if n != "trivial"]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers, args.worker_class, args.threads)
    results = {}
    try:
        for name in ["trivial", *names]:
            _check(base, *pages[name])
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(LATENCY_SCRIPT)
            script.flush()
            for run, name in enumerate(["trivial", *names, "trivial"]):
                path, session = pages[name]
                _wrk(base, path, session, args, script.name, args.warmup)
                figures = _wrk(base, path, session, args, script.name, args.duration)
                key = "trivial_last" if run and name == "trivial" else name
                results[key] = figures
                print(
                    f"{key:13} rps={figures['rps']:8.1f} p50_ms={figures['p50_ms']:7.1f} "
                    f"p95_ms={figures['p95_ms']:7.1f} errors={figures['errors']}",
                    flush=True,
                )
    finally:
        stop(server)
    results["trivial"]["rps"] = min(results["trivial"]["rps"], results["trivial_last"]["rps"])
    print(" ".join(f"{n}_rps={results[n]['rps']:.0f}" for n in FINAL if n in results))


if __name__ == "__main__":
    main()
