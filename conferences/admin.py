"""Admin for conferences, their programme and the delegations cities send."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conferences import reports
from conferences.importers import DelegationImport
from conferences.models import Conference, Delegate, Delegation, Session, Venue
from conferences.selectors import with_conference_counts
from core.admin import RecordAdmin, TranslatedRecordAdmin
from core.admin.safe_input import CompleteInlineFormSet, SafeInputAdminMixin, may_see_private
from core.admin.text_input import NormalisedTextMixin
from core.pagination import EstimatedCountPaginator
from imports.admin import ImportAdminMixin, ImportForm
from network.models import City
from network.querysets import city_search
from reports.admin import ExportActionsMixin


class SessionInline(NormalisedTextMixin, admin.TabularInline):
    model = Session
    formset = CompleteInlineFormSet
    # The English title, required as the model's is; the other languages on the session's own page (a translated
    # field here would be saved into the staff member's language with the English text it falls back to).
    fields = ["date", "start_time", "kind", "title_en"]
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "title_en":
            formfield.required = True
        return formfield

    def get_queryset(self, request):
        # Each row's title names the conference.
        return super().get_queryset(request).select_related("conference")


class DelegationInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A saved delegation's city is changed on its own page; an autocomplete per row costs a query per row.
            city = self.fields["city"]
            city.disabled = True
            city.widget = forms.Select(choices=[(self.instance.city_id, str(self.instance.city))])


class DelegationInline(NormalisedTextMixin, SafeInputAdminMixin, admin.TabularInline):
    model = Delegation
    form = DelegationInlineForm
    formset = CompleteInlineFormSet
    fields = ["city"]
    autocomplete_fields = ["city"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "conference")


class DelegateFormSet(CompleteInlineFormSet):
    def clean(self):
        super().clean()
        # The database allows one head per delegation; two new heads in one save would otherwise fail there.
        heads = [f for f in self.forms if f.cleaned_data.get("is_head") and not f.cleaned_data.get("DELETE")]
        if len(heads) > 1:
            raise forms.ValidationError(gettext("A delegation has one head."))


def may_see_contact(user) -> bool:
    """Delegates' contact details show in the admin to those who keep them or may export them, not to all staff."""
    return may_see_private(user, Delegate)


class DelegateInline(NormalisedTextMixin, admin.TabularInline):
    model = Delegate
    formset = DelegateFormSet
    fields = ["full_name", "role", "position", "organisation", "is_head", "is_public", "email", "phone"]
    extra = 0
    show_change_link = True

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if may_see_contact(request.user) else [f for f in fields if f not in Delegate.PRIVATE_FIELDS]


class ConferenceFilter(admin.SimpleListFilter):
    """The latest conferences, and a box for the number of any other: a list of every conference would grow
    without bound."""

    title = _("conference")
    parameter_name = "conference"
    template = "admin/conferences/conference_filter.html"
    field_path = "conference"
    latest = 10

    def lookups(self, request, model_admin):
        shown = list(Conference.objects.order_by("-number").values_list("number", "short_name")[: self.latest])
        chosen = self.value()
        if chosen and chosen.isdigit() and int(chosen) not in {number for number, _ in shown}:
            shown += Conference.objects.filter(number=int(chosen)).values_list("number", "short_name")
        return [(str(number), name) for number, name in shown]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            message = gettext("“%(value)s” is not a conference number; showing every conference.")
            messages.warning(request, message % {"value": self.value()[:20]})
            return queryset
        return queryset.filter(**{f"{self.field_path}__number": int(self.value())})

    def other_parameters(self) -> list[tuple[str, str]]:
        """The rest of the query string, kept by the number box."""
        skip = {self.parameter_name, "p", "e"}
        return [(name, value) for name, values in self.request.GET.lists() if name not in skip for value in values]


class DelegationConferenceFilter(ConferenceFilter):
    field_path = "delegation__conference"


@admin.register(Venue)
class VenueAdmin(ExportActionsMixin, RecordAdmin):
    export_report = reports.VenueListReport
    list_display = ["name", "city", "country", "conference_count"]
    list_select_related = ["city__country"]
    search_fields = ["name", "city__name"]
    folded_search_fields = ["city__search_name"]
    ordering = ["name"]
    autocomplete_fields = ["city"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(conference_count=Count("conferences"))

    @admin.display(description=_("country"), ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description=_("conferences"), ordering="conference_count")
    def conference_count(self, obj):
        return obj.conference_count


@admin.register(Conference)
class ConferenceAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.ConferenceListReport
    list_display = ["short_name", "title", "dates", "host_city", "mode", "delegation_count", "delegate_count"]
    list_select_related = ["host_city__country"]
    list_filter = ["mode"]
    search_fields = ["short_name", "title", "host_city__name"]
    folded_search_fields = ["host_city__search_name"]
    ordering = ["-number"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host_city", "venue"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["delegation_count", "city_count", "country_count", "delegate_count"]
    inlines = [SessionInline, DelegationInline]
    history_select_related = ("venue__city",)
    fieldsets = [
        (None, {"fields": [("number", "short_name"), "title", ("start_date", "end_date", "date_precision"), "mode"]}),
        (_("Place"), {"fields": ["host_city", "venue"]}),
        (
            _("Record"),
            {
                "fields": [
                    "attendance_stated",
                    "countries_stated",
                    "outcome_document",
                    "award_year",
                    "description",
                    "source",
                ]
            },
        ),
        (
            _("Counted here"),
            {"fields": [("delegation_count", "city_count", "country_count", "delegate_count")]},
        ),
        (_("Staff only"), {"fields": ["internal_notes"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    # The counts read every delegate: they come from the cache (conferences/selectors.py), for a page at once.
    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        with_conference_counts(changelist.result_list)
        return changelist

    def get_object(self, request, object_id, from_field=None):
        conference = super().get_object(request, object_id, from_field)
        return conference and with_conference_counts([conference])[0]

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    @admin.display(description=_("delegations"))
    def delegation_count(self, obj):
        return getattr(obj, "delegation_count", 0)

    @admin.display(description=_("cities"))
    def city_count(self, obj):
        return getattr(obj, "city_count", 0)

    @admin.display(description=_("countries"))
    def country_count(self, obj):
        return getattr(obj, "country_count", 0)

    @admin.display(description=_("delegates"))
    def delegate_count(self, obj):
        return getattr(obj, "delegate_count", 0)


@admin.register(Session)
class SessionAdmin(ExportActionsMixin, TranslatedRecordAdmin):
    export_report = reports.SessionListReport
    list_display = ["title", "conference", "kind", "date", "start_time"]
    list_select_related = ["conference"]
    list_filter = ["kind", ConferenceFilter]
    search_fields = ["title", "conference__short_name"]
    ordering = ["-conference__number", "date", "start_time"]
    date_hierarchy = "date"
    autocomplete_fields = ["conference"]


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["conference", "city", "sessions", "notes"]

    def clean(self):
        cleaned = super().clean()
        conference, sessions = cleaned.get("conference"), cleaned.get("sessions")
        if conference and sessions:
            stray = [s.title for s in sessions if s.conference_id != conference.pk]
            if stray:
                message = gettext("These sessions belong to another conference: %(sessions)s.")
                self.add_error("sessions", message % {"sessions": ", ".join(stray)})
        return cleaned


class MemberAtConferenceFilter(admin.SimpleListFilter):
    title = _("city was a member")
    parameter_name = "member"

    def lookups(self, request, model_admin):
        return [("yes", _("Member")), ("no", _("Not a member (observer, candidate)"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(city_was_member=self.value() == "yes")
        return queryset


class DelegationImportForm(ImportForm):
    conference = forms.IntegerField(label=_("Conference number"), min_value=1, help_text=_("6 for ICLC 6."))

    field_order = ["conference", "file"]

    def clean_conference(self):
        number = self.cleaned_data["conference"]
        try:
            return Conference.objects.get(number=number)
        except Conference.DoesNotExist:
            raise forms.ValidationError(
                gettext("There is no conference number %(number)s.") % {"number": number}
            ) from None


@admin.register(Delegation)
class DelegationAdmin(ImportAdminMixin, ExportActionsMixin, RecordAdmin):
    export_report = reports.DelegationListReport
    form = DelegationForm
    list_display = ["city", "country", "conference", "was_member", "delegate_count"]
    list_select_related = ["city__country", "conference"]
    list_filter = [ConferenceFilter, MemberAtConferenceFilter, "city__country__region"]
    search_fields = ["city__name", "city__country__name", "conference__short_name"]
    folded_search_fields = ["city__search_name"]
    ordering = ["-conference__number", "city__search_name"]
    autocomplete_fields = ["conference", "city", "sessions"]
    readonly_fields = ["was_member"]
    inlines = [DelegateInline]
    importer_class = DelegationImport
    import_form_class = DelegationImportForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    import_permissions = [
        "conferences.add_delegation",
        "conferences.add_delegate",
        "conferences.change_delegate",
        "network.add_city",
    ]

    def get_importer(self, form):
        return DelegationImport(form.cleaned_data["conference"])

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_status().with_delegate_counts()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sessions":
            # A session's label names its conference: load it with the chosen sessions.
            kwargs["queryset"] = Session.objects.select_related("conference")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("country"), ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description=_("member at the time"), boolean=True, ordering="city_was_member")
    def was_member(self, obj):
        return getattr(obj, "city_was_member", None)

    @admin.display(description=_("delegates"), ordering="delegate_count")
    def delegate_count(self, obj):
        return obj.delegate_count


def _unquoted(term: str) -> str:
    if term[0] in "\"'" and term[-1] == term[0] and len(term) > 1:
        return unescape_string_literal(term)
    return term


@admin.register(Delegate)
class DelegateAdmin(ExportActionsMixin, RecordAdmin):
    export_report = reports.DelegateListReport
    list_display = ["full_name", "role", "city", "conference", "is_head", "is_public"]
    list_select_related = ["delegation__city", "delegation__conference"]
    list_filter = ["role", "is_public", "is_head", DelegationConferenceFilter]
    search_fields = ["full_name", "organisation", "email"]
    search_help_text = _("Name, organisation, e-mail or city (accents ignored for the city).")
    ordering = ["full_name"]
    autocomplete_fields = ["delegation"]
    history_select_related = ("delegation__city", "delegation__conference")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["delegation", "full_name", "role", "position", "organisation", "is_head", "is_public"]}),
        (_("Private (staff only)"), {"fields": ["email", "phone", "notes"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if may_see_contact(request.user) else self.fieldsets[:1]

    def history_hidden_fields(self, request):
        return () if may_see_contact(request.user) else Delegate.PRIVATE_FIELDS

    def get_search_results(self, request, queryset, search_term):
        """Each term in any field, found field by field and united by id: an OR across the join to cities
        would read every delegate, while each part alone reads one (trigram, on PostgreSQL) index."""
        fields = self.get_search_fields(request)
        terms = [_unquoted(term) for term in smart_split(search_term)]
        # A trigram index finds words of three letters or more. A shorter one ("Li", "Zo") is checked row by row:
        # on what the longer words found or, alone, along the name order until a page is full.
        for term in (term for term in terms if len(term) >= 3):
            by_city = Delegate.objects.filter(delegation__city__in=City.objects.search(term))
            parts = [Delegate.objects.filter(**{f"{field}__icontains": term}) for field in fields] + [by_city]
            found = parts[0].order_by().values("pk").union(*(part.order_by().values("pk") for part in parts[1:]))
            queryset = queryset.filter(pk__in=found)
        for term in (term for term in terms if len(term) < 3):
            in_fields = Q.create([(f"{field}__icontains", term) for field in fields], connector=Q.OR)
            queryset = queryset.filter(in_fields | city_search(term, prefix="delegation__city__"))
        return queryset, False

    @admin.display(description=_("city"), ordering="delegation__city__search_name")
    def city(self, obj):
        return obj.delegation.city

    @admin.display(description=_("conference"), ordering="delegation__conference__number")
    def conference(self, obj):
        return obj.delegation.conference.short_name
