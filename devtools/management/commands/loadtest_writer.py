"""The writer of the mixed load test (scripts/loadtest_mixed.sh): admin edits over HTTP, checked for freshness."""

import sys

from django.core.management.base import BaseCommand

from devtools import loadtest_writer


class Command(BaseCommand):
    help = (
        "Sign in to the admin of --base as a staff user made for the run, and for --duration seconds make a small "
        "edit every second (rename a city and back, add, end and delete a membership term, withdraw and publish a "
        "delegate) and apply a one-row cohort import every minute; after each write read the pages it changes from "
        "--base and every --other server and count fresh and stale reads. Undoes its edits and removes the user at "
        "the end; --json keeps the counts for loadtest_summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="The app server whose admin takes the writes.")
        parser.add_argument("--other", action="append", default=[], help="Another server to check (repeatable).")
        parser.add_argument("--duration", type=float, default=300, help="Seconds of writing (default 300).")
        parser.add_argument("--interval", type=float, default=1, help="Seconds between edits (default 1).")
        parser.add_argument("--import-every", type=float, default=60, help="Seconds between imports (default 60).")
        parser.add_argument("--records", type=int, default=5, help="Records of each kind to edit (default 5).")
        parser.add_argument("--json", help="Write the counts to this file.")

    def handle(self, *args, base, other, duration, interval, import_every, records, json, **options):
        tally = loadtest_writer.run(base, other, duration, interval, import_every, records)
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.writes.items()))
        self.stdout.write(
            f"writer: {sum(tally.writes.values())} writes ({kinds}), {tally.imports} imports; "
            f"{tally.fresh} fresh reads, {tally.stale} stale, {tally.read_errors} failed reads, "
            f"{tally.write_errors} failed writes"
        )
        for problem in tally.problems:
            self.stdout.write(f"  {problem}")
        if json:
            with open(json, "w") as out:
                out.write(tally.to_json())
        if tally.stale or tally.read_errors or tally.write_errors:
            sys.exit(1)
