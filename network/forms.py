"""Filter forms of the public pages: they read the query string and say plainly what was wrong with it."""

from django import forms
from django.db.models import F
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.translation import localized_ordering
from network.membership import EVER, EVER_LABEL, MembershipStatus
from network.models import City, Cluster, Country, Region
from network.selectors import countries_with_cities, country_figures, join_years


def _unknown(message) -> dict:
    """The error of a choice the list does not hold: `message` names the thing and takes %(value)s."""
    return {"invalid_choice": message}


class QuickSelect(forms.Select):
    """A <select> written in Python rather than through a template per option: the country list on every
    directory, map and matrix page has two hundred options, which templates take milliseconds to draw."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',  # the whitespace Django's templates write
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options)


class PlaceFilterForm(forms.Form):
    """Region and country, by slug, as the directory, the map and the participation matrix share them."""

    region = forms.ModelChoiceField(
        Region.objects.all(),
        label=_("Region"),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
        error_messages=_unknown(_("There is no region “%(value)s”; choose one from the list.")),
    )
    country = forms.ModelChoiceField(
        Country.objects.having_cities(),
        label=_("Country"),
        to_field_name="slug",
        required=False,
        widget=QuickSelect,
        empty_label=_("All countries"),
        error_messages=_unknown(_("There is no country “%(value)s”; choose one from the list.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by(*localized_ordering(Region, ["name"]))

        # Drawn on every directory, map and matrix page; the field still checks a value against the database.
        self.fields["country"].widget.choices = [("", _("All countries")), *countries_with_cities()]

    def filter(self, cities):
        if region := self.cleaned_data.get("region"):
            cities = cities.in_region(region)
        if country := self.cleaned_data.get("country"):
            cities = cities.in_country(country)
        return cities


class MapFilterForm(PlaceFilterForm):
    """The map's filters: region, country and membership (current members unless asked otherwise)."""

    status = forms.ChoiceField(
        required=False,
        error_messages=_unknown(_("There is no status “%(value)s”; choose one from the list.")),
        label=_("Membership"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = DirectoryFilterForm.STATUSES

    @property
    def chosen_status(self) -> str:
        """The chosen status value ("current", "former" or "all"); call after is_valid()."""
        return self.cleaned_data.get("status") or MembershipStatus.CURRENT

    def filter(self, cities):
        status = self.chosen_status
        return super().filter(cities.with_status(EVER if status == "all" else status))


class DirectoryFilterForm(PlaceFilterForm):
    # "all" (in bookmarked addresses) is current and former members: the directory lists no city that never joined.
    STATUSES = [(s.value, s.plural) for s in (MembershipStatus.CURRENT, MembershipStatus.FORMER)] + [
        ("all", EVER_LABEL)
    ]
    SORTS = {
        "name": (_("Name, A to Z"), ["search_name", "name", "country__name", "pk"]),
        "-name": (_("Name, Z to A"), ["-search_name", "-name", "country__name", "pk"]),
        "country": (_("Country"), ["country__name", "search_name", "pk"]),
        "-joined": (_("Newest members first"), [F("member_since").desc(nulls_last=True), "search_name", "pk"]),
        "joined": (_("Longest-standing first"), [F("member_since").asc(nulls_last=True), "search_name", "pk"]),
    }
    field_order = ["q", "region", "country", "status", "on", "joined", "cluster", "sort"]

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(
        choices=STATUSES,
        required=False,
        error_messages=_unknown(_("There is no status “%(value)s”; choose one from the list.")),
        label=_("Membership"),
    )
    on = forms.DateField(
        label=_("Members on date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("Overrides membership: who was a member that day."),
        error_messages={"invalid": _("Give the date as year-month-day, for example 2024-12-03.")},
    )
    joined = forms.TypedChoiceField(
        label=_("Year joined"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages=_unknown(_("There is no year joined “%(value)s”; choose one from the list.")),
    )
    cluster = forms.ModelChoiceField(
        Cluster.objects.all(),
        label=_("Thematic cluster"),
        to_field_name="slug",
        required=False,
        empty_label=_("All clusters"),
        error_messages=_unknown(_("There is no cluster “%(value)s”; choose one from the list.")),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        required=False,
        error_messages=_unknown(_("There is no sort order “%(value)s”; choose one from the list.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined"].choices = [("", _("Any year")), *((year, year) for year in join_years())]

    def kept_count(self) -> int | None:
        """How many cities filter() gives, from the figures kept per country (network.selectors.country_figures),
        when only the status, region or country are chosen (most of the directory's addresses: its pages);
        None when another filter needs the cities counted. Counting the 74,000 members of the stress size took
        75 ms of each first view after an edit; the kept figures recount the edited city's country alone."""
        data = self.cleaned_data
        if any(data.get(name) for name in ("q", "on", "joined", "cluster")):
            return None
        countries = Country.objects.all()
        if data.get("region"):
            countries = countries.filter(region=data["region"])
        if data.get("country"):
            countries = countries.filter(pk=data["country"].pk)
        figures = country_figures(countries.values_list("pk", flat=True)).values()
        status = data.get("status") or MembershipStatus.CURRENT
        return sum(kept.members(status) for kept in figures)

    def filter(self, cities=None):
        """The cities the query string asks for, annotated with their membership on the chosen day."""
        data = self.cleaned_data
        day = data.get("on")
        cities = super().filter((City.objects.all() if cities is None else cities).with_membership(day))
        if day:
            cities = cities.members_on(day)
        else:
            status = data.get("status") or MembershipStatus.CURRENT
            cities = cities.with_status(EVER if status == "all" else status)
        if data.get("q"):
            cities = cities.search(data["q"])
        if data.get("joined"):
            cities = cities.joined_in(data["joined"])
        if data.get("cluster"):
            cities = cities.in_cluster(data["cluster"])
        return cities.order_by(*self.SORTS[data.get("sort") or "name"][1])
