"""Saved reports: a report with its filters under a name, optionally e-mailed on a schedule."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reports.base import get_report_class
from reports.export import FORMATS


class SavedReport(models.Model):
    """A report (by its registry name) with its filters as the page's query string, e.g. "region=asia-pacific"."""

    class Frequency(models.TextChoices):
        NONE = "", _("Not scheduled")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    name = models.CharField(verbose_name=_("name"), max_length=200)
    report = models.CharField(
        verbose_name=_("report"), max_length=100, help_text=_("The report's name, e.g. members-by-country.")
    )
    filters = models.CharField(
        verbose_name=_("filters"),
        max_length=1000,
        blank=True,
        help_text=_("As in the page's address: region=asia-pacific"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_reports",
        null=True,
        blank=True,
    )
    frequency = models.CharField(verbose_name=_("frequency"), max_length=10, choices=Frequency.choices, blank=True)
    format = models.CharField(
        verbose_name=_("format"), max_length=4, choices=[(f, f.upper()) for f in FORMATS], default="xlsx"
    )
    recipients = models.TextField(
        verbose_name=_("recipients"), blank=True, help_text=_("E-mail addresses, one a line or separated by commas.")
    )
    last_sent_at = models.DateTimeField(verbose_name=_("last sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("owner", "name", name="savedreport_name_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(frequency="") | ~Q(recipients=""), name="savedreport_schedule_has_recipients"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.report]) + (f"?{self.filters}" if self.filters else "")

    def recipient_list(self) -> list[str]:
        return [a.strip() for a in self.recipients.replace(",", "\n").splitlines() if a.strip()]

    def clean(self):
        report_class = get_report_class(self.report)
        if report_class is None:
            raise ValidationError({"report": gettext("No report called '%(name)s'.") % {"name": self.report}})
        if not report_class(self.query()).is_valid():
            raise ValidationError({"filters": report_class(self.query()).error_text()})
        for address in self.recipient_list():
            try:
                validate_email(address)
            except ValidationError:
                message = gettext("'%(address)s' is not an e-mail address.") % {"address": address}
                raise ValidationError({"recipients": message}) from None
        if self.frequency and not self.recipient_list():
            raise ValidationError({"recipients": gettext("A scheduled report needs at least one address.")})

    def query(self) -> QueryDict:
        return QueryDict(self.filters)

    def build(self):
        """The report with the saved filters (no personal data: a scheduled file leaves the building)."""
        return get_report_class(self.report)(self.query())

    def is_due(self, now: datetime.datetime) -> bool:
        """Weekly: 7 days after the last sending; monthly: in a later calendar month. Never sent: due."""
        if not self.frequency:
            return False
        if self.last_sent_at is None:
            return True
        if self.frequency == self.Frequency.WEEKLY:
            return now - self.last_sent_at >= datetime.timedelta(days=7) - datetime.timedelta(minutes=5)
        return (now.year, now.month) > (self.last_sent_at.year, self.last_sent_at.month)
