"""Admin for conferences, their programme and the delegations cities send."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from conferences import reports
from conferences.delegation_import import DelegationImport
from conferences.models import Conference, Delegate, Delegation, Session, Venue
from network.admin_exports import ExportActionsMixin
from network.admin_input import CompleteInlineFormSet, SafeInputAdminMixin
from network.import_admin import ImportAdminMixin, ImportForm


class SessionInline(admin.TabularInline):
    model = Session
    formset = CompleteInlineFormSet
    fields = ["date", "start_time", "kind", "title"]
    extra = 0
    show_change_link = True

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


class DelegationInline(SafeInputAdminMixin, admin.TabularInline):
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
            raise forms.ValidationError("A delegation has one head.")


class DelegateInline(admin.TabularInline):
    model = Delegate
    formset = DelegateFormSet
    fields = ["full_name", "role", "position", "organisation", "is_head", "is_public", "email", "phone"]
    extra = 0
    show_change_link = True


@admin.register(Venue)
class VenueAdmin(SafeInputAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    export_report = reports.VenueListReport
    list_display = ["name", "city", "country", "conference_count"]
    list_select_related = ["city__country"]
    search_fields = ["name", "city__name", "city__search_name"]
    ordering = ["name"]
    autocomplete_fields = ["city"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(conference_count=Count("conferences"))

    @admin.display(description="country", ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description="conferences", ordering="conference_count")
    def conference_count(self, obj):
        return obj.conference_count


@admin.register(Conference)
class ConferenceAdmin(SafeInputAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    export_report = reports.ConferenceListReport
    list_display = ["short_name", "title", "dates", "host_city", "mode", "delegation_count", "delegate_count"]
    list_select_related = ["host_city__country"]
    list_filter = ["mode"]
    search_fields = ["short_name", "title", "host_city__name"]
    ordering = ["-number"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host_city", "venue"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["delegation_count", "city_count", "country_count", "delegate_count"]
    inlines = [SessionInline, DelegationInline]
    fieldsets = [
        (None, {"fields": [("number", "short_name"), "title", ("start_date", "end_date", "date_precision"), "mode"]}),
        ("Place", {"fields": ["host_city", "venue"]}),
        (
            "Record",
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
            "Counted here",
            {"fields": [("delegation_count", "city_count", "country_count", "delegate_count")]},
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="dates", ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    @admin.display(description="delegations", ordering="delegation_count")
    def delegation_count(self, obj):
        return getattr(obj, "delegation_count", 0)

    @admin.display(description="cities")
    def city_count(self, obj):
        return getattr(obj, "city_count", 0)

    @admin.display(description="countries")
    def country_count(self, obj):
        return getattr(obj, "country_count", 0)

    @admin.display(description="delegates", ordering="delegate_count")
    def delegate_count(self, obj):
        return getattr(obj, "delegate_count", 0)


@admin.register(Session)
class SessionAdmin(SafeInputAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    export_report = reports.SessionListReport
    list_display = ["title", "conference", "kind", "date", "start_time"]
    list_select_related = ["conference"]
    list_filter = ["kind", "conference"]
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
                self.add_error("sessions", f"These sessions belong to another conference: {', '.join(stray)}.")
        return cleaned


class MemberAtConferenceFilter(admin.SimpleListFilter):
    title = "city was a member"
    parameter_name = "member"

    def lookups(self, request, model_admin):
        return [("yes", "Member"), ("no", "Not a member (observer, candidate)")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(city_was_member=self.value() == "yes")
        return queryset


class DelegationImportForm(ImportForm):
    conference = forms.IntegerField(label="Conference number", min_value=1, help_text="6 for ICLC 6.")

    field_order = ["conference", "file"]

    def clean_conference(self):
        number = self.cleaned_data["conference"]
        try:
            return Conference.objects.get(number=number)
        except Conference.DoesNotExist:
            raise forms.ValidationError(f"There is no conference number {number}.") from None


@admin.register(Delegation)
class DelegationAdmin(SafeInputAdminMixin, ImportAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    export_report = reports.DelegationListReport
    form = DelegationForm
    list_display = ["city", "country", "conference", "was_member", "delegate_count"]
    list_select_related = ["city__country", "conference"]
    list_filter = ["conference", MemberAtConferenceFilter, "city__country__region"]
    search_fields = ["city__name", "city__search_name", "city__country__name", "conference__short_name"]
    ordering = ["-conference__number", "city__name"]
    autocomplete_fields = ["conference", "city", "sessions"]
    readonly_fields = ["was_member"]
    inlines = [DelegateInline]
    importer_class = DelegationImport
    import_form_class = DelegationImportForm
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

    @admin.display(description="country", ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description="member at the time", boolean=True, ordering="city_was_member")
    def was_member(self, obj):
        return getattr(obj, "city_was_member", None)

    @admin.display(description="delegates", ordering="delegate_count")
    def delegate_count(self, obj):
        return obj.delegate_count


@admin.register(Delegate)
class DelegateAdmin(SafeInputAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    export_report = reports.DelegateListReport
    list_display = ["full_name", "role", "city", "conference", "is_head", "is_public"]
    list_select_related = ["delegation__city", "delegation__conference"]
    list_filter = ["role", "is_public", "is_head", "delegation__conference"]
    search_fields = ["full_name", "organisation", "email", "delegation__city__name"]
    ordering = ["full_name"]
    autocomplete_fields = ["delegation"]
    fieldsets = [
        (None, {"fields": ["delegation", "full_name", "role", "position", "organisation", "is_head", "is_public"]}),
        ("Private (staff only)", {"fields": ["email", "phone", "notes"]}),
    ]

    @admin.display(description="city", ordering="delegation__city__name")
    def city(self, obj):
        return obj.delegation.city

    @admin.display(description="conference", ordering="delegation__conference__number")
    def conference(self, obj):
        return obj.delegation.conference.short_name
