"""Admin for the network: the staff's daily tool for cities, membership history and awards."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import RecordAdmin, TranslatedRecordAdmin, autocomplete
from core.admin.history import HTTPS_URL_FORMFIELDS
from core.admin.safe_input import CompleteInlineFormSet
from core.admin.text_input import NormalisedTextMixin
from core.dates import format_partial_date
from core.pagination import EstimatedCountPaginator
from core.text import control_character, normalise_text
from imports.admin import ImportAdminMixin
from network import reports
from network.admin.city_form import CityAdminForm
from network.admin.merge import CityMergeAdminMixin
from network.countries import cldr_country_names
from network.importers import MemberImport
from network.membership import MembershipStatus, spans_overlap, status_of
from network.models import (
    Award,
    City,
    CitySlugRedirect,
    Cluster,
    ClusterMembership,
    Country,
    CountryAlias,
    MembershipTerm,
    ProgressReport,
    Region,
    Reminder,
)
from network.places.geocoding import fill_missing_coordinates
from network.selectors import join_years
from reports.admin import ExportActionsMixin


class MemberStatusFilter(admin.SimpleListFilter):
    """Current members by default, as on the djangoproject.com members admin, with "All" one click away.

    A search looks at every city unless a status is chosen: a clerk searching for a former member must find it,
    not "0 results" and a reason to add it again. The filter then shows "All" as the choice in force."""

    title = _("membership")
    parameter_name = "membership"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [*((status.value, status.plural) for status in MembershipStatus), ("all", _("All"))]

    def default(self) -> str:
        return self.value() or ("all" if self.searching else MembershipStatus.CURRENT)

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.default() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.default()
        return queryset if value == "all" else queryset.with_status(value)


class JoinYearFilter(admin.SimpleListFilter):
    title = _("year joined")
    parameter_name = "joined"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in join_years()]

    def year(self) -> int | None:
        if not self.value():
            return None
        # isdigit() alone lets "²" and "0" through, which int() or the date lookup then refuse.
        if not (self.value().isascii() and self.value().isdigit() and 1 <= int(self.value()) <= 9999):
            raise IncorrectLookupParameters(gettext("%(value)r is not a year.") % {"value": self.value()})
        return int(self.value())

    def queryset(self, request, queryset):
        year = self.year()
        return queryset if year is None else queryset.joined_in(year)


class StartYearFilter(JoinYearFilter):
    """The year a term started; stands in for a date hierarchy, which would read every term on each view."""

    title = _("year started")
    parameter_name = "started"

    def queryset(self, request, queryset):
        year = self.year()
        return queryset if year is None else queryset.started_in(year)


class RelatedWithRowsFilter(admin.RelatedFieldListFilter):
    """The related records that have a row here, as RelatedOnlyFieldListFilter lists them, but found by asking
    each (a few hundred countries) through the foreign key's index, not by a DISTINCT over every city."""

    def field_choices(self, field, request, model_admin):
        rows = model_admin.model._default_manager.filter(**{field.name: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=Q(Exists(rows)))


class MembershipTermFormSet(CompleteInlineFormSet):
    """Compares the terms as posted, so a term can be closed and a re-admission added in one save."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.instance.edited_alongside = tuple(term.pk for term in self.get_queryset())

    def clean(self):
        spans = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.errors:
                continue
            span = self.row(form, saved=False)
            if any(spans_overlap(span, other) for other in spans):
                raise forms.ValidationError(
                    gettext("Two membership terms of this city overlap; a city can hold one at a time.")
                )
            spans.append(span)
        super().clean()

    def row(self, form, *, saved: bool) -> tuple:
        if saved:
            return form.initial.get("start_date"), form.initial.get("end_date")
        # The instance, not cleaned_data: its start is already moved to the first day of its precision.
        return form.instance.start_date, form.instance.end_date

    def clash(self, row, other) -> bool:
        return spans_overlap(row, other)


class CityInline(NormalisedTextMixin, admin.TabularInline):
    """An inline on the city page; each row's title names the city, so load it with the rows, not per row."""

    extra = 0
    show_change_link = True
    formset = CompleteInlineFormSet
    formfield_overrides = HTTPS_URL_FORMFIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city")


class MembershipTermInline(CityInline):
    model = MembershipTerm
    formset = MembershipTermFormSet
    fields = ["start_date", "start_precision", "end_date", "end_reason", "source", "notes"]
    formfield_overrides = {
        **CityInline.formfield_overrides,
        MembershipTerm._meta.get_field("notes").__class__: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 30})},
    }


class AwardInline(CityInline):
    model = Award
    # The English citation; the other languages on the award's own page (a translated field here would be saved
    # into the staff member's language with the English text it falls back to).
    fields = ["year", "citation_en", "source"]


class ProgressReportInline(CityInline):
    model = ProgressReport
    fields = ["received_on", "title", "link", "notes"]
    formfield_overrides = MembershipTermInline.formfield_overrides


class CitySlugRedirectInline(CityInline):
    """The addresses of cities merged into this one, which redirect here; delete one to free its slug."""

    model = CitySlugRedirect
    fields = ["slug"]
    verbose_name = _("old address (merged city)")
    verbose_name_plural = _("old addresses (merged cities)")
    show_change_link = False


class ReminderInline(admin.TabularInline):
    """The reminders sent to the city, as they were sent: a log, never edited here."""

    model = Reminder
    extra = 0
    fields = ["sent_at", "kind", "recipient", "subject", "sent_by_name"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClusterMembershipInline(CityInline):
    model = ClusterMembership
    fields = ["cluster", "joined_year"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cluster")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "cluster":
            # Read the few clusters once for all rows; left lazy, every row's <select> runs its own query.
            formfield.choices = list(formfield.choices)
        return formfield


@admin.register(Region)
class RegionAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.RegionListReport
    list_display = ["name", "slug", "country_count"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(country_count=Count("countries"))

    @admin.display(description=_("countries"), ordering="country_count")
    def country_count(self, obj):
        return obj.country_count


class CountryAliasFormSet(CompleteInlineFormSet):
    def clean(self):
        super().clean()
        # The database compares aliases ignoring case; two new rows in one save would otherwise fail there.
        names = [
            form.cleaned_data["name"].casefold()
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError(gettext("This alias is already in use."))


class CountryAliasInline(NormalisedTextMixin, admin.TabularInline):
    model = CountryAlias
    formset = CountryAliasFormSet
    extra = 0


@admin.register(Country)
class CountryAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.CountryListReport
    list_display = ["name", "code", "region", "city_count", "member_count"]
    list_select_related = ["region"]
    list_filter = ["region"]
    search_fields = ["name", "code", "formal_name", "aliases__name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CountryAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities")).with_member_counts()

    def get_search_results(self, request, queryset, search_term):
        """Also the country the term names as the imports read it ("Maroc", "MAR", "504", "Korea, Rep."): this
        search backs the autocomplete of every country field in the admin, so a typed country resolves alike."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalise_text(search_term)
        if len(term) < 2 or control_character(term) or not (country := Country.objects.resolver().resolve(term)):
            return results, may_have_duplicates
        matched = super().get_search_results(request, Country.objects.all(), search_term)[0].values("pk")
        return queryset.filter(Q(pk__in=matched) | Q(pk=country.pk)), False

    def save_model(self, request, obj, form, change):
        # A name left empty in another language is CLDR's; staff may write their own over it (docs/languages.md).
        for field, name in cldr_country_names(obj.code).items():
            if not getattr(obj, field):
                setattr(obj, field, name)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("cities"), ordering="city_count")
    def city_count(self, obj):
        return obj.city_count

    @admin.display(description=_("current members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


MAP_HELP = _("Left empty, they are filled from GeoNames (offline) when the city is saved.")


class HasCoordinatesFilter(admin.SimpleListFilter):
    """Which cities the map can place; the map page links staff here for the ones it cannot."""

    title = _("coordinates")
    parameter_name = "coordinates"

    def lookups(self, request, model_admin):
        return [("yes", _("Has coordinates")), ("no", _("No coordinates"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_coordinates()
        if self.value() == "no":
            return queryset.without_coordinates()
        return queryset


@admin.register(City)
class CityAdmin(CityMergeAdminMixin, ImportAdminMixin, ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.CityListReport
    # Status and member since before the long columns: they must show without scrolling at 1280 px.
    list_display = ["name", "country", "status", "member_since", "region", "province"]
    list_select_related = ["country__region"]
    list_filter = [
        MemberStatusFilter,
        JoinYearFilter,
        "country__region",
        ("country", RelatedWithRowsFilter),
        "cluster_memberships__cluster",
        HasCoordinatesFilter,
    ]
    search_fields = ["name", "local_name", "province", "country__name"]
    folded_search_fields = ["search_name", "search_local_name"]
    ordering = ["search_name", "name"]
    autocomplete_fields = ["country"]
    readonly_fields = ["status", "member_since", "created_at", "updated_at"]
    inlines = [
        MembershipTermInline,
        ProgressReportInline,
        AwardInline,
        ClusterMembershipInline,
        CitySlugRedirectInline,
        ReminderInline,
    ]
    importer_class = MemberImport
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    import_permissions = [
        "network.add_city",
        "network.change_city",
        "network.add_membershipterm",
        "network.change_membershipterm",
    ]
    form = CityAdminForm
    actions = ["merge_cities", *ExportActionsMixin.actions]
    fieldsets = [
        (
            None,
            {"fields": ["name", "local_name", "country", "province", ("status", "member_since"), "not_a_duplicate"]},
        ),
        (_("Profile"), {"fields": ["description", "website", "population", "source"]}),
        (_("Map"), {"fields": [("latitude", "longitude")], "description": MAP_HELP}),
        (_("Follow-up"), {"fields": ["contact_email", "correspondence_language"]}),
        (_("Staff only"), {"fields": ["internal_notes"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["slug", "created_at", "updated_at"]}),
    ]

    autocomplete_select_related = ["country"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_membership()

    def autocomplete_label(self, obj) -> str:
        return f"{obj.name}, {obj.country}"

    def save_model(self, request, obj, form, change):
        if obj.latitude is None and obj.longitude is None:
            if fill_missing_coordinates([obj]):
                message = gettext("GeoNames has no place “%(city)s” in %(country)s: type its coordinates.")
                messages.warning(request, message % {"city": obj.name, "country": obj.country})
            else:
                message = gettext("Coordinates of %(city)s filled from GeoNames; correct them if wrong.")
                messages.info(request, message % {"city": obj.name})
        super().save_model(request, obj, form, change)

    @admin.display(description=_("region"), ordering="country__region__name")
    def region(self, obj):
        return obj.country.region

    @admin.display(description=_("status"), ordering="is_member")
    def status(self, obj):
        if obj.pk is None:
            return "-"
        return status_of(is_member=obj.is_member, has_terms=obj.has_terms).label

    @admin.display(description=_("member since"), ordering="member_since")
    def member_since(self, obj):
        if obj.pk is None or not obj.is_member:
            return "-"
        return format_partial_date(obj.member_since, obj.member_since_precision) or gettext("date not recorded")


@admin.register(MembershipTerm)
class MembershipTermAdmin(ExportActionsMixin, RecordAdmin):
    export_report = reports.MembershipTermListReport
    list_display = ["city", "country", "start", "end_date", "end_reason", "source"]
    list_select_related = ["city__country"]
    list_filter = [StartYearFilter, "end_reason", "start_precision", "city__country__region"]
    search_fields = ["city__name", "city__country__name"]
    folded_search_fields = ["city__search_name"]
    ordering = ["-start_date"]
    autocomplete_fields = ["city"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    @admin.display(description=_("country"), ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description=_("start"), ordering="start_date")
    def start(self, obj):
        return obj.start_display


@admin.register(Award)
class AwardAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.AwardWinnersReport
    list_display = ["city", "year", "country", "region"]
    list_select_related = ["city__country__region"]
    list_filter = ["year", "city__country__region"]
    search_fields = ["city__name", "citation"]
    folded_search_fields = ["city__search_name"]
    ordering = ["-year", "city__search_name"]
    autocomplete_fields = ["city"]

    @admin.display(description=_("country"), ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description=_("region"), ordering="city__country__region__name")
    def region(self, obj):
        return obj.city.country.region


@admin.register(Cluster)
class ClusterAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.ClusterListReport
    list_display = ["name", "city_count"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("memberships"))

    @admin.display(description=_("cities"), ordering="city_count")
    def city_count(self, obj):
        return obj.city_count


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(ExportActionsMixin, RecordAdmin):
    export_report = reports.ClusterMembershipListReport
    list_display = ["city", "cluster", "joined_year"]
    list_select_related = ["city", "cluster"]
    list_filter = ["cluster"]
    search_fields = ["city__name", "cluster__name"]
    folded_search_fields = ["city__search_name"]
    ordering = ["cluster__name", "city__search_name"]
    autocomplete_fields = ["city"]


admin.site.site_header = _("Learning Cities Registry")
autocomplete.install(admin.site)  # "City, Country" in every city autocomplete
admin.site.site_title = _("Learning Cities Registry")
admin.site.index_title = _("Records")
