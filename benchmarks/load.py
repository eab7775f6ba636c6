"""Load on the busiest pages, against a trivial view served by the same gunicorn in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python benchmarks/load.py --seed      # seeds `seed_demo --size large` first
    .venv/bin/python benchmarks/load.py --duration 60 --users 16

It starts gunicorn on a free loopback port with production settings (DEBUG off, the database in
DATABASE_URL, Redis cache when REDIS_URL is set), signs in an SME admin and a cluster manager of
the demo network by writing their sessions directly (the manager gets a TOTP authenticator if
the data has none, as production requires), then drives locust users with no think time for
`--duration` seconds after a warm-up, each user requesting in turn:

    trivial    /robots.txt (anonymous; no database)
    directory  /directory/?page=3 (anonymous; faceted list over all organisations)
    matches    the SME's match list
    members    the manager's member list of their cluster, sorted, page 2

and prints each page's median and 95th percentile. The last line is

    directory_p50_ratio=<x> matches_p50_ratio=<x> members_p50_ratio=<x> trivial_rps=<n>

where each ratio is that page's median response time divided by the trivial view's.
"""

# locust patches the standard library with gevent; it must be imported before anything else.
from gevent import monkey  # isort: skip

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.portal_server import (  # noqa: E402
    MANAGER_EMAIL,
    SME_EMAIL,
    free_port,
    manage,
    session_for,
    setup_django,
    start_gunicorn,
    stop,
    with_totp,
)

PAGES = ("trivial", "directory", "matches", "members")


def _personas() -> dict:
    from django.urls import reverse

    from clusters.models import ClusterStaff
    from network.models import User

    sme = User.objects.get(email=SME_EMAIL)
    manager = User.objects.get(email=MANAGER_EMAIL)
    with_totp(manager)
    cluster = ClusterStaff.objects.filter(user=manager).select_related("cluster").first().cluster
    return {
        "sme_session": session_for(sme),
        "manager_session": session_for(manager),
        "matches": reverse("matchmaking:my_matches"),
        "members": reverse("clusters:member_list", args=[cluster.slug]) + "?sort=name&page=2",
        "directory": reverse("directory") + "?page=3",
        "trivial": "/robots.txt",
    }


def _user_class(host: str, personas: dict):
    sme_cookie = {"sessionid": personas["sme_session"]}
    manager_cookie = {"sessionid": personas["manager_session"]}

    class PortalUser(HttpUser):
        wait_time = constant(0)

        @task
        def round_of_pages(self):
            cookies_of = {"matches": sme_cookie, "members": manager_cookie}
            for name in PAGES:
                cookies = cookies_of.get(name)
                with self.client.get(
                    personas[name],
                    name=name,
                    cookies=cookies,
                    catch_response=True,
                    allow_redirects=False,
                ) as response:
                    if response.status_code != 200:
                        response.failure(f"{name}: HTTP {response.status_code}")

    PortalUser.host = host
    return PortalUser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="migrate and seed_demo --size large")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=int, default=30, help="seconds measured")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database.")

    if args.seed:
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo", "--size", "large", "--force")  # DEBUG off; sessions, no passwords
    manage("collectstatic", "--noinput", "-v0")
    setup_django()
    personas = _personas()

    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        env = Environment(user_classes=[_user_class(f"http://127.0.0.1:{port}", personas)])
        runner = env.create_local_runner()
        # Exact response times: locust's own percentiles round to 10 ms above 100 ms, which
        # moves a ratio near 3 in steps of about 0.3.
        samples = {name: [] for name in PAGES}
        env.events.request.add_listener(
            lambda name, response_time, **_: samples[name].append(response_time)
        )
        runner.start(args.users, spawn_rate=args.users)
        gevent.sleep(args.warmup)
        env.stats.reset_all()
        for times in samples.values():
            times.clear()
        gevent.sleep(args.duration)
        runner.quit()
    finally:
        stop(server)

    medians = {}
    for name in PAGES:
        entry = env.stats.get(name, "GET")
        if not samples[name]:
            raise SystemExit(f"{name}: no requests were measured")
        medians[name] = statistics.median(samples[name])
        p95 = statistics.quantiles(samples[name], n=20)[-1] if len(samples[name]) > 1 else 0
        print(
            f"{name:10} requests={entry.num_requests} failures={entry.num_failures} "
            f"p50_ms={medians[name]:.1f} p95_ms={p95:.1f}"
        )
    trivial = env.stats.get("trivial", "GET")
    failures = sum(env.stats.get(n, "GET").num_failures for n in medians)
    if failures:
        print(f"failures={failures}: the figures below include failed requests")
    base = max(medians["trivial"], 0.1)
    print(
        f"directory_p50_ratio={medians['directory'] / base:.2f} "
        f"matches_p50_ratio={medians['matches'] / base:.2f} "
        f"members_p50_ratio={medians['members'] / base:.2f} "
        f"trivial_rps={trivial.num_requests / args.duration:.0f}"
    )


if __name__ == "__main__":
    main()
