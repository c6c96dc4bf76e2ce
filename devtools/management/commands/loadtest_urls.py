"""Print the addresses a load test goes through (scripts/loadtest.lua reads them)."""

from django.core.management.base import BaseCommand

from devtools.benchmarking import API, PUBLIC, REPORT, load_test_urls


class Command(BaseCommand):
    help = (
        "Print, one per line, the addresses `make loadtest` sends requests to: every public page benchmark_pages "
        "times, and a fixed sample of city, country, region and conference pages, directory pages and searches; "
        "with --kinds, also the API endpoints and the report pages (those need a signed-in session)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=200, help="Cities and conferences to sample (default 200).")
        parser.add_argument(
            "--kinds",
            default=PUBLIC,
            help=f"Comma-separated, of {PUBLIC}, {API}, {REPORT} (default {PUBLIC}).",
        )

    def handle(self, *args, sample, kinds, **options):
        wanted = tuple(kind.strip() for kind in kinds.split(",") if kind.strip())
        if unknown := set(wanted) - {PUBLIC, API, REPORT}:
            self.stderr.write(f"Unknown kinds: {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        for url in load_test_urls(sample, wanted):
            self.stdout.write(url)
