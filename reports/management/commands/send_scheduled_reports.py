"""E-mail the saved reports whose schedule is due; meant for cron (docs/reports-and-exports.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.scheduling import due_reports, saved_report_send


class Command(BaseCommand):
    help = (
        "E-mail each scheduled saved report that is due (weekly: a week after it was last sent; monthly: in a new "
        "month) to its recipients, as CSV or XLSX. Run it daily from cron; --dry-run lists what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reports due; send nothing.")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        due = due_reports(now)
        failed = 0
        for saved in due:
            if dry_run:
                self.stdout.write(f"due: {saved.name} ({saved.report}, {saved.format}) to {saved.recipients}")
                continue
            try:
                saved_report_send(saved=saved, now=now)
            except ValueError as error:  # filters no longer valid: say so, send the others
                failed += 1
                self.stderr.write(f"not sent: {error}")
                continue
            self.stdout.write(f"sent: {saved.name} to {', '.join(saved.recipient_list())}")
        self.stderr.write(f"{len(due)} due, {len(due) - failed if not dry_run else 0} sent, {failed} refused.")
