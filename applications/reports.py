"""Admissions reports: a call's pipeline by country and status, and the list of applications (admin export)."""

import dataclasses

from django import forms
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Call
from applications.status import ENDORSED_OR_LATER, Status
from network.reports.filters import CountryField, region_field
from reports.base import DATE, INT, QueryReport, ReportColumn, choice_label, register

# The statuses a pipeline counts: a draft is the applicant's until submitted, so it is no one's work yet.
PIPELINE = [s for s in Status if s != Status.DRAFT]


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.year)


class PipelineFilterForm(forms.Form):
    call = CallChoiceField(
        Call.objects.order_by("-year").only("pk", "year"),
        to_field_name="year",
        required=False,
        empty_label=_("Every call"),
        label=_("Call"),
        error_messages={"invalid_choice": _("There is no call for %(value)s.")},
    )
    region = region_field()
    country = CountryField()


def overdue_endorsement(today) -> Q:
    """Received (not yet endorsed) after the call's endorsement deadline: its own date, else the (extended) close."""
    due = Q(call__endorsement_due_on__lt=today) | Q(
        call__endorsement_due_on__isnull=True, call__extended_until__lt=today
    )
    due |= Q(call__endorsement_due_on__isnull=True, call__extended_until__isnull=True, call__closes_on__lt=today)
    return Q(status=Status.RECEIVED) & due


def _applications(filters):
    applications = Application.objects.exclude(status=Status.DRAFT).order_by()
    if call := filters.get("call"):
        applications = applications.filter(call=call)
    if region := filters.get("region"):
        applications = applications.filter(country__region=region)
    if country := filters.get("country"):
        applications = applications.filter(country=country)
    return applications


class TranslatedColumnsMixin:
    """Headers (and choice labels) in the reader's language: the exports write plain strings, so the lazy
    translations of the declaration are turned into text when the report runs, not when the module loads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title, self.description = str(self.title), str(self.description)

    def get_columns(self):
        columns = [dataclasses.replace(c, header=str(c.header)) for c in super().get_columns()]
        return [c if c.source != STATUS_LABEL else dataclasses.replace(c, source=_status_label()) for c in columns]


STATUS_LABEL = "status label"  # placeholder source, replaced by _status_label() in the reader's language


def _status_label():
    return choice_label("status", [(value, str(label)) for value, label in Status.choices])


@register
class CallPipelineReport(TranslatedColumnsMixin, QueryReport):
    """For each call and country: applications by status, the endorsements used against the cap, and the received
    applications whose endorsement is overdue. One grouped query."""

    name = "call-pipeline"
    title = _("Call pipeline by country")
    description = _(
        "For each call and country: the applications at each step, endorsements used against the per-country cap, "
        "and applications still waiting for their National Commission after the endorsement deadline."
    )
    group, group_order = _("Admissions"), 4
    filter_form = PipelineFilterForm
    columns = [
        ReportColumn(_("Call"), "call__year", INT),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("Region"), "country__region__name"),
        ReportColumn(_("Applications"), "total", INT, total=True),
        *[ReportColumn(status.label, f"n_{status.value}", INT, total=True) for status in PIPELINE],
        ReportColumn(_("Endorsed (cap used)"), "endorsed", INT, total=True),
        ReportColumn(_("Cap"), "call__per_country_cap", INT),
        ReportColumn(_("Cap left"), "cap_left", INT),
        ReportColumn(_("Endorsements overdue"), "overdue", INT, total=True),
    ]

    def get_queryset(self):
        today = timezone.localdate()
        by_status = {f"n_{s.value}": Count("pk", filter=Q(status=s)) for s in PIPELINE}
        return (
            _applications(self.filters)
            .values("call__year", "country__name", "country__region__name", "call__per_country_cap")
            .annotate(
                total=Count("pk"),
                **by_status,
                endorsed=Count("pk", filter=Q(status__in=ENDORSED_OR_LATER)),
                overdue=Count("pk", filter=overdue_endorsement(today)),
            )
            .annotate(cap_left=Greatest(F("call__per_country_cap") - F("endorsed"), Value(0)))
            .order_by("-call__year", "country__name")
        )


@register
class ApplicationListReport(TranslatedColumnsMixin, QueryReport):
    """Applications one per row; the mayor's and contact person's details only with the personal-data permission."""

    name = "applications"
    title = _("Applications")
    description = _("Every submitted application with its city, country, status and dates.")
    group, group_order = _("Admissions"), 4
    filter_form = PipelineFilterForm
    personal_data_permission = "applications.change_application"
    columns = [
        ReportColumn(_("Call"), "call__year", INT),
        ReportColumn(_("City"), Coalesce("city__name", "proposed_city_name")),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("Status"), STATUS_LABEL),
        ReportColumn(_("Language"), "language"),
        ReportColumn(_("Submitted"), "submitted_at__date", DATE),
        ReportColumn(_("Population"), "population", INT),
        ReportColumn(_("Mayor"), "mayor_name", personal=True),
        ReportColumn(_("Contact person"), "contact_name", personal=True),
        ReportColumn(_("Contact e-mail"), "contact_email", personal=True),
        ReportColumn(_("Contact phone"), "contact_phone", personal=True),
    ]

    def get_queryset(self):
        return _applications(self.filters).order_by("-call__year", "country__name", "proposed_city_name", "pk")
