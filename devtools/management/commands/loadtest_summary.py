"""The verdict of the mixed load test: readers' figures per server, the writer's counts, the cache hit rate."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.urls import reverse

from devtools.loadtest import (
    address_family,
    address_kind,
    address_timings,
    judge,
    parse_wrk,
    redis_hits,
    summary_lines,
    timing_lines,
)
from devtools.loadtest_writer import tally_from_json


class Command(BaseCommand):
    help = (
        "Print the summary of a mixed load test from wrk's reports (--wrk NAME=FILE, one per server), the writer's "
        "counts (--writer FILE from loadtest_writer --json) and Redis's INFO stats before and after; exit 1 if "
        "any request failed, any read after a write was stale, or a server's p95 was 300 ms or more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wrk", action="append", default=[], help="NAME=FILE: a server's wrk report.")
        parser.add_argument("--writer", help="The writer's counts (JSON); none for a run of readers only.")
        parser.add_argument("--redis-before", help="Redis INFO stats before the run.")
        parser.add_argument("--redis-after", help="Redis INFO stats after the run.")
        parser.add_argument(
            "--access-log", action="append", default=[], help="A gunicorn access log of the run (repeatable)."
        )
        parser.add_argument("--slowest", type=int, default=15, help="Slowest addresses to list (default 15).")

    def handle(self, *args, wrk, writer, redis_before, redis_after, access_log, slowest, **options):
        instances = {}
        for item in wrk:
            name, _, path = item.partition("=")
            instances[name] = parse_wrk(Path(path).read_text())
        tally = tally_from_json(Path(writer).read_text()) if writer else None
        hits = None
        if redis_before and redis_after:
            before, after = (redis_hits(Path(p).read_text()) for p in (redis_before, redis_after))
            hits = (after[0] - before[0], after[1] - before[1])
        failures = judge(instances, tally)
        if access_log:
            lines = [line for path in access_log for line in Path(path).read_text().splitlines()]
            prefixes = reverse("reports:index"), reverse("admin:index")
            by_kind = address_timings(lines, group=lambda address: address_kind(address, *prefixes))
            busiest = sorted(address_timings(lines, group=address_family), key=lambda t: -t.total_ms)[:10]
            for line in timing_lines(by_kind, address_timings(lines)[:slowest], busiest):
                self.stdout.write(line)
        for line in summary_lines(instances, tally, hits, failures):
            self.stdout.write(line)
        if failures:
            sys.exit(1)
