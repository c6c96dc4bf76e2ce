"""Scheduled reports: each due SavedReport exported (the same Export as the page) and e-mailed as an attachment."""

import datetime

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.export import Export
from reports.models import SavedReport


def saved_report_file(*, saved: SavedReport, made_by: str = "send_scheduled_reports") -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of the saved report's export, as its page's download link gives it.

    Raises ValueError when the saved filters are no longer valid (a region renamed, say)."""
    report = saved.build()
    if not report.is_valid():
        raise ValueError(f"'{saved}': {report.error_text()}")
    export = Export(report, saved.format, made_by=made_by, source=saved.get_absolute_url())
    return report.filename(saved.format), b"".join(export), export.content_type


def saved_report_send(*, saved: SavedReport, now: datetime.datetime | None = None) -> int:
    """E-mail the saved report to its recipients with Django's e-mail backend; returns the messages sent (0/1)."""
    name, data, content_type = saved_report_file(saved=saved)
    message = EmailMessage(
        subject=f"{saved.name} ({name})",
        body=_("The report '%(name)s' is attached (%(file)s).\nOn the site: %(url)s\n")
        % {"name": saved.name, "file": name, "url": saved.get_absolute_url()},
        to=saved.recipient_list(),
    )
    message.attach(name, data, content_type)
    sent = message.send()
    saved.last_sent_at = now or timezone.now()
    saved.save(update_fields=["last_sent_at"])
    return sent


def due_reports(now: datetime.datetime) -> list[SavedReport]:
    """The scheduled reports due at `now`."""
    return [saved for saved in SavedReport.objects.exclude(frequency="") if saved.is_due(now)]
