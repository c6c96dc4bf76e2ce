"""Report filters: GET parameters on the page, options of export_report, checked by the same forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import control_character, fold, normalise_text
from network.membership import MembershipStatus
from network.models import Country, MembershipTerm, Region


class CountryField(forms.CharField):
    """A country written any way sources write it ("VN", "VNM", "704", "Viet Nam", "Vietnam", "Viêt Nam"),
    resolved as the imports resolve it (network.countries.CountryResolver); normalised text first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("help_text", _("Name or ISO code, e.g. Viet Nam or VN."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = normalise_text(super().clean(value) or "")
        if not value:
            return None
        if control_character(value):
            raise ValidationError(gettext("The country contains a control character; type it again."))
        resolver = Country.objects.resolver()
        if country := resolver.resolve(value):
            return country
        problem = resolver.problem(value)
        raise ValidationError(problem[0].upper() + problem[1:] + ("" if problem.endswith("?") else "."))


def region_field():
    return forms.ModelChoiceField(
        Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All regions"), label=_("Region")
    )


# Report dates stay within 1900-2999: a date near year 1 or 9999 would
# overflow the date arithmetic of the reports ("within 365 days of 0001-01-01").
FIRST_REPORT_DATE, LAST_REPORT_DATE = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def date_field(label=None):
    """An optional report date between 1900-01-01 and 2999-12-31, typed in a date box; its label "On" unless
    given."""
    return forms.DateField(
        label=label or _("On"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": FIRST_REPORT_DATE, "max": LAST_REPORT_DATE}),
        help_text=_("Default: today."),
        validators=[
            MinValueValidator(FIRST_REPORT_DATE, message=_("Give a date in 1900 or later.")),
            MaxValueValidator(LAST_REPORT_DATE, message=_("Give a date in 2999 or earlier.")),
        ],
    )


class RegionFilterForm(forms.Form):
    region = region_field()


class OnDateFilterForm(forms.Form):
    date = date_field()
    region = region_field()

    def clean_date(self):
        return self.cleaned_data["date"] or timezone.localdate()


class CityReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *((status.value, status.plural) for status in MembershipStatus)],
        required=False,
    )
    region = region_field()
    country = CountryField()
    joined = forms.IntegerField(label=_("Joined in (year)"), required=False, min_value=1900, max_value=2100)
    q = forms.CharField(label=_("Name contains"), required=False)


class TermFilterForm(forms.Form):
    region = region_field()
    country = CountryField()
    end_reason = forms.ChoiceField(
        label=_("Ended"),
        choices=[("", _("Any")), ("open", _("Still open")), *MembershipTerm.EndReason.choices],
        required=False,
    )
    q = forms.CharField(label=_("City name contains"), required=False)


class AwardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2015, max_value=2100)
    region = region_field()


def filter_cities(queryset, filters: dict, prefix: str = ""):
    """Apply the region, country and name filters to a queryset reaching City through `prefix`."""
    if region := filters.get("region"):
        queryset = queryset.filter(**{f"{prefix}country__region": region})
    if country := filters.get("country"):
        queryset = queryset.filter(**{f"{prefix}country": country})
    if text := (filters.get("q") or "").strip():
        queryset = queryset.filter(**{f"{prefix}search_name__contains": fold(text)})
    return queryset
