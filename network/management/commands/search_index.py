"""`manage.py search_index [--sync]`: build the network's search index again (network.search)."""

from django.core.management.base import BaseCommand

from network.search import index


class Command(BaseCommand):
    help = (
        "Index every organisation, need, test site, knowledge offer and project again for the "
        "network's search, dropping what no longer exists; --sync indexes only what changed "
        "since the last sync (what every search does first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="Only what changed.")

    def handle(self, *args, sync=False, **options):
        written = index.sync() if sync else index.rebuild()
        self.stdout.write(f"{written} items indexed.")
