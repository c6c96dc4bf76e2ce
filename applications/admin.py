"""Admin for admissions: calls, applications with their endorsement, reviews, decision and status history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications import reports
from applications.forms import TransitionForm
from applications.links import applicant_url, commission_url
from applications.models import Application, Attachment, Call, Decision, Endorsement, Review, Transition
from applications.status import ENDORSED_OR_LATER, Status
from applications.workflow import application_transition, call_announce_cohort
from core.admin import RecordAdmin
from core.admin.safe_input import CompleteInlineFormSet, may_see_private
from reports.admin import ExportActionsMixin


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the workflow (applications/workflow.py), shown but never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EndorsementInline(ReadOnlyInline):
    model = Endorsement
    fields = ["commission", "endorsed_on", "endorsed_by", "cap_override_reason"]


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["outcome", "decided_on", "reason"]


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["at", "from_status", "to_status", "by_name", "note"]


class ReviewInline(admin.TabularInline):
    model = Review
    formset = CompleteInlineFormSet
    fields = ["jury_member", "recommendation", "score", "comment"]
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    formset = CompleteInlineFormSet
    fields = ["title", "file", "download", "uploaded_at"]
    readonly_fields = ["download", "uploaded_at"]
    extra = 0

    @admin.display(description=_("download"))
    def download(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:applications_attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))


@admin.register(Call)
class CallAdmin(RecordAdmin):
    list_display = ["year", "opens_on", "closes_on", "extended_until", "per_country_cap", "announced_on", "counts"]
    search_fields = ["year", "how_to_apply"]
    ordering = ["-year"]
    date_hierarchy = "opens_on"
    actions = ["announce_cohort"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                application_count=Count("applications", filter=~Q(applications__status=Status.DRAFT)),
                endorsed_count=Count("applications", filter=Q(applications__status__in=ENDORSED_OR_LATER)),
            )
        )

    @admin.display(description=_("applications (endorsed)"), ordering="application_count")
    def counts(self, obj):
        return f"{obj.application_count} ({obj.endorsed_count})"

    def has_announce_cohort_permission(self, request):
        return request.user.has_perm("applications.announce_cohort")

    @admin.action(
        description=_("Announce the cohort today: admit every recommended application"), permissions=["announce_cohort"]
    )
    def announce_cohort(self, request, queryset):
        for call in queryset:
            try:
                admitted = call_announce_cohort(call=call, announced_on=timezone.localdate(), user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            count = len(admitted)
            text = ngettext("%(call)s: %(count)s city admitted.", "%(call)s: %(count)s cities admitted.", count)
            self.message_user(request, text % {"call": call, "count": count}, messages.SUCCESS)


@admin.register(Application)
class ApplicationAdmin(ExportActionsMixin, RecordAdmin):
    export_report = reports.ApplicationListReport
    list_display = ["city_label", "country", "call", "status", "language", "submitted_at", "transition_link"]
    list_select_related = ["city", "country", "call"]
    list_filter = ["call", "status", "language", "country__region"]
    # Contact fields are searched only for staff who may see them (core/admin/safe_input.py drops them otherwise).
    search_fields = ["proposed_city_name", "city__name", "country__name", "contact_name", "contact_email"]
    ordering = ["-call__year", "country__name", "proposed_city_name"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["call", "city", "country"]
    readonly_fields = ["status", "submitted_at", "personal_data_cleared_at", "links"]
    inlines = [EndorsementInline, ReviewInline, DecisionInline, AttachmentInline, TransitionInline]
    actions = [*ExportActionsMixin.actions, "move_under_review"]
    fieldsets = [
        (None, {"fields": ["call", "city", "proposed_city_name", "country", "status", "submitted_at", "language"]}),
        (
            _("Mayor and contact person"),
            {
                "fields": [
                    "website",
                    "mayor_name",
                    "mayor_title",
                    "contact_name",
                    "contact_address",
                    "contact_phone",
                    "contact_email",
                ]
            },
        ),
        (
            _("City profile"),
            {
                "fields": [
                    "population",
                    "area_km2",
                    "gdp_per_capita",
                    "schooling_years",
                    "vision",
                    "plans",
                    "challenges",
                    "interests",
                ]
            },
        ),
        (_("Links to send"), {"fields": ["links"]}),
        (_("Personal data"), {"fields": ["personal_data_cleared_at"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if may_see_private(request.user, Application):
            return self.fieldsets
        hidden = set(Application.PRIVATE_FIELDS)
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in self.fieldsets
        ]

    def get_inlines(self, request, obj):
        # A new application has no history yet; its endorsement and decision come from the workflow.
        return self.inlines if obj is not None else [AttachmentInline]

    def save_model(self, request, obj, form, change):
        # Staff enter an application received on paper: it starts as received, not as a draft, and says so.
        if not change:
            obj.status, obj.submitted_at = Status.RECEIVED, timezone.now()
        super().save_model(request, obj, form, change)
        if not change:
            obj.transitions.create(
                from_status=Status.DRAFT,
                to_status=Status.RECEIVED,
                at=obj.submitted_at,
                by=request.user,
                by_name=request.user.get_username(),
                note=gettext("Entered by staff"),
            )

    @admin.display(description=_("signed links"))
    def links(self, obj):
        """The applicant's link (its own form) and the National Commission's (its country's applications), to
        copy into an e-mail; each expires (applications/links.py)."""
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            applicant_url(obj),
            gettext("Applicant's form"),
            commission_url(obj.call, obj.country),
            gettext("National Commission's endorsement page"),
        )

    @admin.display(description=_("city"), ordering="proposed_city_name")
    def city_label(self, obj):
        return obj.city_name

    @admin.display(description=_("next step"))
    def transition_link(self, obj):
        url = reverse("admin:applications_application_transition", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Change status"))

    def get_urls(self):
        transition = self.admin_site.admin_view(self.transition_view)
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:pk>/transition/", transition, name="applications_application_transition"),
            path("attachments/<int:pk>/", download, name="applications_attachment_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        """An attachment, to staff who may see applicants' personal data; files are never served by URL."""
        if not may_see_private(request.user, Application):
            raise PermissionDenied
        attachment = get_object_or_404(Attachment, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404(gettext("The file is no longer stored.")) from error
        return FileResponse(handle, as_attachment=True, filename=str(attachment).rsplit("/", 1)[-1])

    def transition_view(self, request, pk: int):
        """A form for the application's next status; an illegal jump or a broken rule is shown as the form's error."""
        if not request.user.has_perm("applications.change_application"):
            raise PermissionDenied
        application = get_object_or_404(Application.objects.with_people(), pk=pk)
        form = TransitionForm(request.POST or None, application=application)
        if request.method == "POST" and form.is_valid() and form.save(request.user):
            self.message_user(request, gettext("Status changed."), messages.SUCCESS)
            return redirect("admin:applications_application_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "application": application,
            "form": form,
            "title": gettext("Change the status of %(application)s") % {"application": application},
        }
        return render(request, "admin/applications/transition_form.html", context)

    @admin.action(description=_("Move endorsed applications to “under review”"))
    def move_under_review(self, request, queryset):
        moved = refused = 0
        for application in queryset:
            try:
                application_transition(application=application, to=Status.UNDER_REVIEW, user=request.user)
                moved += 1
            except ValidationError:
                refused += 1
        self.message_user(request, gettext("%(moved)s moved to under review.") % {"moved": moved}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                gettext("%(refused)s left as they were: only endorsed applications go under review.")
                % {"refused": refused},
                messages.WARNING,
            )
