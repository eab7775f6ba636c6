"""`manage.py seed_demo --size small|large`: invented demo data and one login per role."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from network.demo import DEMO_PASSWORD
from network.demo.seed import SIZES, database_counts, seed

APPS_WITH_DEMO_DATA = (
    "clusters",
    "matchmaking",
    "matchmaking.bookings",
    "matchmaking.events",
    "projects",
)


class Command(BaseCommand):
    help = (
        "Fill the database with invented demo data: the networks and their clusters, "
        "institutions, companies, test sites, knowledge offers, people, memberships and one "
        "login per role. Safe to run again; `large` adds bulk data for benchmarks on top."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="small",
            help="small: the demo (about 300 companies); large: adds 10,000 companies, "
            "3,000 test sites and 3,000 knowledge offers.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (a staging or benchmark database). The demo logins "
            "then get unusable passwords, never the published demo password.",
        )

    def handle(self, *args, size, verbosity, force=False, **options):
        # The demo password is published in the README: a database that is not a local demo
        # (DEBUG off) never gets it, and is only seeded at all when asked for explicitly.
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills the database with invented organisations and demo logins; it "
                "runs only with DEBUG on (DJANGO_DEBUG=1, as `make run` and `make demo` set "
                "it). To seed a database with DEBUG off anyway (staging, benchmarks), add "
                "--force: the demo logins then get unusable passwords."
            )
        demo_passwords = settings.DEBUG
        progress = self.stdout.write if verbosity >= 2 else None
        result = seed(size, progress=progress, demo_passwords=demo_passwords)
        # Apps above the directory bring their own demo rows (needs, matches, projects); named
        # by string so the directory never imports them.
        for app in APPS_WITH_DEMO_DATA:
            if find_spec(f"{app}.demo"):
                import_module(f"{app}.demo").seed(size=size, stdout=self.stdout)
        # Rows were bulk-loaded: the search index reads them all once now, not on first search.
        from network.search.index import rebuild

        rebuild()
        self._vacuum()

        self.stdout.write(self.style.MIGRATE_HEADING("\nDemo logins"))
        width = max(len(login.email) for login in result.logins)
        role_width = max(len(login.role) for login in result.logins)
        self.stdout.write(f"  {'Email':<{width}}  {'Role':<{role_width}}  Password")
        password = DEMO_PASSWORD if demo_passwords else "(unusable)"
        for login in result.logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.role:<{role_width}}  {password}")
        if not demo_passwords:
            self.stdout.write(
                self.style.WARNING(
                    "\nDEBUG is off: the demo logins were given unusable passwords, not the "
                    "published demo password. Give one a password with `manage.py "
                    "changepassword <email>` or the password reset page."
                )
            )

        self.stdout.write(self.style.MIGRATE_HEADING("\nIn the database now"))
        for label, count in database_counts():
            self.stdout.write(f"  {label:<28}{count:>8}")
        self.stdout.write(
            self.style.SUCCESS(f"\nseed_demo --size {size} done in {result.seconds:.1f} s")
        )

    def _vacuum(self) -> None:
        """A bulk load leaves PostgreSQL's statistics stale and its visibility map empty: the
        planner guesses row counts wrongly and counts cannot use index-only scans until
        autovacuum comes by. Tidy up now, as after any bulk load (not inside a transaction,
        where VACUUM cannot run)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
