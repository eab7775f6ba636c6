"""Lighthouse (npm `lighthouse`, driving Debian's Chromium) in mobile emulation on the pages a
phone user meets: the home page, the directory, an SME's matches, a manager's member list and a
need. Accessibility and best practices must each score at least 95 (issue 20).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python benchmarks/lighthouse.py --seed     # seeds `seed_demo`
    .venv/bin/python benchmarks/lighthouse.py

Lighthouse is not one of the portal's packages (it is large and `npm ci` must stay small and
offline-safe); install it once outside the project, e.g.
`npm install --prefix ~/.cache/portal-lighthouse lighthouse@12`, and point LIGHTHOUSE at its
binary (default: `lighthouse` on PATH, then that cache). Signed-in pages get the persona's session
cookie through `--extra-headers`, as benchmarks/load.py signs its users in.

Prints one line per page and then `min_accessibility=<n> min_best_practices=<n>`; exits 1 when
either is below 95.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Run as a script from the project root; the server and personas are the page benchmarks' own.
from benchmarks.portal_server import (
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

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CACHE_BINARY = Path.home() / ".cache/portal-lighthouse/node_modules/.bin/lighthouse"
THRESHOLD = 95
CATEGORIES = ("accessibility", "best-practices")


def lighthouse_binary() -> str:
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if found:
        return found
    if CACHE_BINARY.exists():
        return str(CACHE_BINARY)
    raise SystemExit(__doc__)


def pages() -> dict[str, tuple[str, str | None]]:
    """name -> (path, session cookie or None)."""
    from django.urls import reverse

    from clusters.models import ClusterStaff
    from matchmaking.models import Need
    from network.models import User

    sme = User.objects.get(email=SME_EMAIL)
    manager = User.objects.get(email=MANAGER_EMAIL)
    with_totp(manager)
    cluster = ClusterStaff.objects.filter(user=manager).select_related("cluster").first().cluster
    need = Need.objects.filter(status="open", is_published=True, visibility="public").first()
    return {
        "home": ("/", None),
        "directory": (reverse("directory"), None),
        "matches": (reverse("matchmaking:my_matches"), session_for(sme)),
        "members": (
            reverse("clusters:member_list", args=[cluster.slug]) + "?sort=name&page=2",
            session_for(manager),
        ),
        "need": (need.get_absolute_url() if need else reverse("matchmaking:need_list"), None),
    }


def audit(binary: str, url: str, session: str | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        command = [
            binary,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--screenEmulation.mobile",
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        if session:
            command.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={session}"}))
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES} | {
        "failed": [
            audit_id
            for name in CATEGORIES
            for ref in result["categories"][name]["auditRefs"]
            if ref["weight"]
            and (audit_id := ref["id"])
            and (result["audits"][audit_id]["score"] or 0) < 1
        ]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="migrate and seed_demo")
    args = parser.parse_args()
    binary = lighthouse_binary()
    if args.seed:
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo", "--force")
    manage("collectstatic", "--noinput", "-v0")
    setup_django()
    port = free_port()
    server = start_gunicorn(port, 2)
    scores = {}
    try:
        for name, (path, session) in pages().items():
            scores[name] = audit(binary, f"http://127.0.0.1:{port}{path}", session)
            print(
                f"{name:10} accessibility={scores[name]['accessibility']} "
                f"best_practices={scores[name]['best-practices']} "
                f"below_full={','.join(scores[name]['failed']) or '-'}",
                flush=True,
            )
    finally:
        stop(server)
    lowest = {name: min(s[name] for s in scores.values()) for name in CATEGORIES}
    print(
        f"min_accessibility={lowest['accessibility']} min_best_practices={lowest['best-practices']}"
    )
    sys.exit(0 if min(lowest.values()) >= THRESHOLD else 1)


if __name__ == "__main__":
    main()
