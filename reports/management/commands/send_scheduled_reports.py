"""E-mail the saved reports whose schedule is due; meant for cron (docs/reports-and-exports.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

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
                self.stdout.write(
                    _("due: %(name)s (%(report)s, %(format)s) to %(recipients)s")
                    % {
                        "name": saved.name,
                        "report": saved.report,
                        "format": saved.format,
                        "recipients": saved.recipients,
                    }
                )
                continue
            try:
                saved_report_send(saved=saved, now=now)
            except ValueError as error:  # filters no longer valid: say so, send the others
                failed += 1
                self.stderr.write(_("not sent: %(error)s") % {"error": error})
                continue
            recipients = ", ".join(saved.recipient_list())
            self.stdout.write(_("sent: %(name)s to %(recipients)s") % {"name": saved.name, "recipients": recipients})
        sent = len(due) - failed if not dry_run else 0
        self.stderr.write(
            _("%(due)s due, %(sent)s sent, %(refused)s refused.") % {"due": len(due), "sent": sent, "refused": failed}
        )
