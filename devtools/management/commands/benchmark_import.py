"""Time the cohort import on a generated file (a benchmark, not a test); rolls back unless --keep."""

import csv
import io
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from imports.workflow import import_apply, import_preview
from network.importers import MemberImport
from network.models import Country


def generated_cohort(rows: int, encoding: str = "utf-8") -> bytes:
    """A cohort file with `rows` new cities across every country and all three join-date precisions."""
    resolver = Country.objects.resolver()
    # A name that stands for two countries ("Congo") is a problem, not a row to time: write its code instead.
    countries = [name if resolver.resolve(name) else code for code, name in Country.objects.values_list("code", "name")]
    formats = ["{year}", "{year}-{month:02d}", "{day} February {year}", "{year}-{month:02d}-{day:02d}"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["city", "country", "joined", "province", "source"])
    for n in range(rows):
        joined = formats[n % 4].format(year=2013 + n % 12, month=1 + n % 12, day=1 + n % 28)
        writer.writerow([f"Benchmark Città {n}", countries[n % len(countries)], joined, "Province", "benchmark"])
    return out.getvalue().encode(encoding, errors="replace")


class Command(BaseCommand):
    help = "Import a generated cohort file of --rows rows, print the time taken, and roll back (unless --keep)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--keep", action="store_true", help="Keep the imported cities instead of rolling back.")
        parser.add_argument("--preview-only", action="store_true", help="Time the preview alone.")
        parser.add_argument(
            "--encoding", default="utf-8", help="Write the file in this encoding (cp1252 makes the detector work)."
        )

    def handle(self, *args, rows, keep, preview_only, encoding, **options):
        data = generated_cohort(rows, encoding)
        self.stdout.write(f"Generated {rows:,} rows ({len(data):,} bytes, {encoding}).")
        with transaction.atomic():
            started = time.perf_counter()
            preview = import_preview(importer=MemberImport(), data=data, file_name="benchmark.csv")
            self._report(f"Preview (read as {preview.encoding})", started, preview)
            if preview_only:
                transaction.set_rollback(True)
                return
            started = time.perf_counter()
            preview = import_apply(importer=MemberImport(), data=data, file_name="benchmark.csv", user_name="benchmark")
            self._report("Apply (checks again, then writes)", started, preview)
            started = time.perf_counter()
            preview = import_apply(importer=MemberImport(), data=data, file_name="benchmark.csv", user_name="benchmark")
            self._report("Apply the same file again", started, preview)
            if not keep:
                transaction.set_rollback(True)
                self.stdout.write("Rolled back: nothing was kept.")

    def _report(self, step: str, started: float, preview) -> None:
        counts = preview.counts
        self.stdout.write(
            f"{step}: {time.perf_counter() - started:.2f} s "
            f"({counts['create']:,} create, {counts['update']:,} update, {counts['unchanged']:,} unchanged, "
            f"{preview.problem_count:,} problems)"
        )
