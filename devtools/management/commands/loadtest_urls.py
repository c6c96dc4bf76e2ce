"""Print the public addresses a load test goes through (scripts/loadtest.lua reads them)."""

from django.core.management.base import BaseCommand

from devtools.benchmarking import load_test_urls


class Command(BaseCommand):
    help = (
        "Print, one per line, the public addresses `make loadtest` sends requests to: every page benchmark_pages "
        "times, and a fixed sample of city, country, region and conference pages, directory pages and searches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=200, help="Cities and conferences to sample (default 200).")

    def handle(self, *args, sample, **options):
        for url in load_test_urls(sample):
            self.stdout.write(url)
