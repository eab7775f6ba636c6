"""Write the funding report for a period to a file, for scheduled runs.

    manage.py funding_report --from 2025-01-01 --to 2025-12-31 [--cluster SLUG] \
        --format xlsx|csv --output PATH [--language da|nb|en]
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusters.models import Cluster
from projects.services import report_render


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Write the funding report (XLSX or CSV) for a period and optionally one cluster."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--cluster", help="a cluster's slug; the whole network without it")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
        )

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from.")
        cluster = None
        if options["cluster"]:
            cluster = Cluster.objects.filter(slug=options["cluster"]).first()
            if cluster is None:
                known = ", ".join(Cluster.objects.values_list("slug", flat=True))
                raise CommandError(f"No cluster {options['cluster']!r}. Known: {known}")
        name, content = report_render(
            start=start,
            end=end,
            cluster=cluster,
            fmt=options["format"],
            language=options["language"],
        )
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content)} bytes, {name}).")
