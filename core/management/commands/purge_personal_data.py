"""For cron: clear the personal data whose retention has run out (core/retention.py), or show it with --dry-run."""

import datetime

from django.core.management.base import BaseCommand

from core.retention import expired_data, purge


class Command(BaseCommand):
    help = (
        "Clear personal data kept longer than its rule allows (delegates' contact details, unsuccessful applicants' "
        "contact details and files; see docs/admissions.md), in the records and their history, and log each record "
        "cleared. --dry-run lists what would be cleared and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be cleared; change nothing.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Run as on this day (YYYY-MM-DD).")

    def handle(self, *args, dry_run, today, **options):
        today = today or datetime.date.today()
        found = list(expired_data(today)) if dry_run else purge(today)
        verb = "would clear" if dry_run else "cleared"
        total = 0
        for expired in found:
            for _, description in expired.rows:
                self.stdout.write(f"{expired.rule.kind}: {verb} {', '.join(expired.rule.fields)} of {description}")
            total += len(expired.rows)
        self.stdout.write(f"{total} records {verb}" + (" (dry run: nothing changed)." if dry_run else "."))
