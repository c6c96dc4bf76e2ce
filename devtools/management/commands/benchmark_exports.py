"""Time the delegate export (joined with delegation, city, country, conference) in every format, next to a
bare COPY of the same rows and openpyxl's write-only mode. Each variant runs in its own process, so each
peak RSS is that variant's own."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from conferences.models import Delegate
from conferences.reports import DelegateListReport
from reports.export import Export, neutralise

VARIANTS = ["copy", "csv-copy", "csv-python", "xlsx", "openpyxl"]
OPENPYXL_SAMPLE = 100_000


class BenchmarkReport(DelegateListReport):
    """The delegates export, limited to the delegates up to a given id."""

    last_pk = None

    def get_queryset(self):
        return super().get_queryset().filter(pk__lte=self.last_pk)


def _report(last_pk):
    report = BenchmarkReport({}, include_personal_data=True)
    report.last_pk = last_pk
    report.is_valid()
    return report


def _drain(chunks) -> int:
    return sum(len(chunk) for chunk in chunks)


def _cpu_seconds() -> float | None:
    """CPU seconds used so far by this process and its database backend (user + system), or None when the
    database runs on another host. CPU time holds still on a busy machine, where wall-clock ratios wander."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # utime and stime: fields 14 and 15 of proc(5)
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") + time.process_time()


def _run(variant: str, last_pk: int, rows: int) -> dict:
    report = _report(last_pk)
    cpu_started = _cpu_seconds()
    started = time.monotonic()
    measured_rows = rows
    if variant == "copy":
        import psycopg

        sql, params = report.select().query.sql_with_params()
        connection.ensure_connection()
        statement = psycopg.ClientCursor(connection.connection).mogrify(
            f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params
        )
        size = 0
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for data in copy:
                size += len(data)
    elif variant == "openpyxl":
        from itertools import islice

        import openpyxl

        measured_rows = min(rows, OPENPYXL_SAMPLE)
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(report.title[:31])
        sheet.append(report.headers)
        for row in islice(report.rows(), measured_rows):
            sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
        with tempfile.TemporaryFile() as stream:
            workbook.save(stream)
            size = stream.tell()
    else:
        fmt = "xlsx" if variant == "xlsx" else "csv"
        size = _drain(Export(report, fmt, use_copy=variant == "csv-copy"))
    seconds = time.monotonic() - started
    cpu_ended = _cpu_seconds()
    cpu = cpu_ended - cpu_started if cpu_started is not None and cpu_ended is not None else None
    return {
        "variant": variant,
        "rows": measured_rows,
        "seconds": seconds * rows / measured_rows,
        "cpu_seconds": cpu * rows / measured_rows if cpu is not None else None,
        "scaled_from": measured_rows if measured_rows < rows else None,
        "megabytes": size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def keep_fastest(fastest: dict[str, dict], result: dict) -> None:
    """Keep `result` (one variant's run, as _run() returns it) in `fastest` (variant: result) if it is that
    variant's first or fastest run. Timings on a shared machine wander by 10% either way from run to run; the best
    of several rounds run in turn is the figure that holds still."""
    kept = fastest.get(result["variant"])
    if kept is None or result["seconds"] < kept["seconds"]:
        fastest[result["variant"]] = result


class Command(BaseCommand):
    help = (
        "Benchmark the delegate export on PostgreSQL: COPY of the same rows, CSV through COPY, CSV through "
        "Python, the streaming XLSX writer and openpyxl write-only (on a sample of 100,000 rows, scaled)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, help="Export the first N delegates (default: all).")
        parser.add_argument(
            "--rounds",
            type=int,
            default=1,
            help="Run the variants in turn N times and keep each one's fastest run (openpyxl runs once).",
        )
        parser.add_argument("--only", choices=VARIANTS, help="Run one variant in this process (used internally).")
        parser.add_argument("--last-pk", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, rows, rounds, only, last_pk, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark compares against COPY: run it with DATABASE_URL set to PostgreSQL.")
        if only:
            self.stdout.write(json.dumps(_run(only, last_pk, rows)))
            return
        total = Delegate.objects.count()
        rows = min(rows or total, total)
        if not rows:
            raise CommandError("No delegates to export: generate some first (generate_network --size stress).")
        last_pk = Delegate.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
        self.stderr.write(f"Exporting {rows:,} delegate rows, each variant in its own process...")
        results: dict[str, dict] = {}
        for round_number in range(1, max(rounds, 1) + 1):
            for variant in VARIANTS:
                if variant == "openpyxl" and round_number > 1:
                    continue  # minutes a run, and never close to the others
                command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "benchmark_exports", "--only", variant]
                command += ["--rows", str(rows), "--last-pk", str(last_pk)]
                done = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=False)
                if done.returncode:
                    raise CommandError(f"{variant} failed:\n{done.stderr}")
                result = json.loads(done.stdout.strip().splitlines()[-1])
                keep_fastest(results, result)
                self.stderr.write(f"  round {round_number}, {variant}: {result['seconds']:.1f} s")
        if rounds > 1:
            self.stdout.write(f"Fastest of {rounds} rounds run in turn:")
        self._print(rows, results)

    def _print(self, rows, results):
        copy, openpyxl = results["copy"], results["openpyxl"]["seconds"]
        self.stdout.write(f"{rows:,} delegate rows (PostgreSQL {connection.pg_version // 10000})")
        self.stdout.write(f"{'variant':12} {'seconds':>9} {'CPU s':>7} {'MB':>8} {'peak RSS MB':>12}  ratio")
        for variant, result in results.items():
            if variant in ("csv-copy", "csv-python"):
                ratio = f"{result['seconds'] / copy['seconds']:.2f}x COPY"
                if result["cpu_seconds"] and copy["cpu_seconds"]:
                    ratio += f" ({result['cpu_seconds'] / copy['cpu_seconds']:.2f}x its CPU)"
            elif variant == "xlsx":
                ratio = f"openpyxl takes {openpyxl / result['seconds']:.1f}x as long"
            else:
                ratio = f"scaled from {result['scaled_from']:,} rows" if result["scaled_from"] else ""
            seconds, size, rss = result["seconds"], result["megabytes"], result["peak_rss_mb"]
            cpu = f"{result['cpu_seconds']:7.2f}" if result["cpu_seconds"] is not None else f"{'-':>7}"
            self.stdout.write(f"{variant:12} {seconds:9.2f} {cpu} {size:8.1f} {rss:12.1f}  {ratio}")
