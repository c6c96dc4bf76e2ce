"""International Conferences on Learning Cities: venues, sessions and the delegations cities send."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conferences.querysets import ConferenceQuerySet, DelegateQuerySet, DelegationQuerySet
from core.dates import DatePrecision, format_date_range
from core.history import record_history
from network.models import City


class Venue(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=200)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(verbose_name=_("address"), max_length=300, blank=True)
    website = models.URLField(verbose_name=_("website"), blank=True)

    history = record_history()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "city"],
                name="venue_unique_per_city",
                violation_error_message=_("This venue already exists in this city."),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"


class Conference(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")
        ONLINE = "online", _("Online")

    number = models.PositiveSmallIntegerField(
        verbose_name=_("number"), unique=True, help_text=_("6 for the sixth ICLC.")
    )
    short_name = models.CharField(verbose_name=_("short name"), max_length=40, unique=True, help_text=_("ICLC 6"))
    slug = models.SlugField(verbose_name=_("slug"), max_length=40, unique=True)
    title = models.CharField(_("title or theme"), max_length=300)
    start_date = models.DateField(
        verbose_name=_("start date"), null=True, blank=True, help_text=_("Empty while the dates are not set.")
    )
    end_date = models.DateField(verbose_name=_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("dates known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    mode = models.CharField(verbose_name=_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    host_city = models.ForeignKey(
        City,
        verbose_name=_("host city"),
        on_delete=models.PROTECT,
        related_name="hosted_conferences",
        null=True,
        blank=True,
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="conferences", null=True, blank=True
    )
    attendance_stated = models.CharField(
        verbose_name=_("attendance stated"),
        max_length=300,
        blank=True,
        help_text=_('Attendance as a source stated it, e.g. "over 550 delegates".'),
    )
    countries_stated = models.PositiveSmallIntegerField(verbose_name=_("countries stated"), null=True, blank=True)
    outcome_document = models.CharField(verbose_name=_("outcome document"), max_length=300, blank=True)
    award_year = models.PositiveSmallIntegerField(
        verbose_name=_("award year"),
        null=True,
        blank=True,
        help_text=_("Learning City Awards presented at this conference."),
    )
    description = models.TextField(verbose_name=_("description"), blank=True)
    source = models.CharField(verbose_name=_("source"), max_length=500, blank=True, help_text=_("A URL or a citation."))
    internal_notes = models.TextField(
        verbose_name=_("internal notes"), blank=True, help_text=_("Staff only: never shown on public pages or exports.")
    )

    objects = ConferenceQuerySet.as_manager()
    history = record_history()

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="conference_end_not_before_start",
                violation_error_message=_("A conference cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="conference_number_positive",
                violation_error_message=_("Numbers start at 1."),
            ),
        ]

    def __str__(self):
        return f"{self.short_name}: {self.title}"

    def get_absolute_url(self):
        return reverse("conferences:conference_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.number,)

    @property
    def dates_display(self) -> str:
        """The dates in the active language, as the pages write them (core.dates.format_date_range)."""
        return format_date_range(self.start_date, self.end_date, self.date_precision)


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary session")
        PARALLEL = "parallel", _("Parallel session")
        FORUM = "forum", _("Thematic or regional forum")
        MAYORS_FORUM = "mayors_forum", _("Mayors' forum")
        CEREMONY = "ceremony", _("Ceremony")
        STUDY_VISIT = "study_visit", _("Study visit")
        OTHER = "other", _("Other")

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(verbose_name=_("title"), max_length=300)
    date = models.DateField(verbose_name=_("date"), null=True, blank=True)
    start_time = models.TimeField(verbose_name=_("start time"), null=True, blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    internal_notes = models.TextField(
        verbose_name=_("internal notes"), blank=True, help_text=_("Staff only: never shown on public pages or exports.")
    )

    history = record_history()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["conference", F("date").asc(nulls_last=True), F("start_time").asc(nulls_last=True), "title"]

    def __str__(self):
        return f"{self.title} ({self.conference.short_name})"

    def clean(self):
        conference = self.conference if self.conference_id else None
        within = conference and conference.start_date and conference.end_date
        if self.date and within and not conference.start_date <= self.date <= conference.end_date:
            message = gettext("The date must fall within the conference (%(dates)s).")
            raise ValidationError({"date": message % {"dates": conference.dates_display}})


class Delegation(models.Model):
    """A city at a conference. Whether the city was a member then is derived from its terms."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.PROTECT, related_name="delegations"
    )
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="delegations")
    sessions = models.ManyToManyField(Session, verbose_name=_("sessions"), related_name="delegations", blank=True)
    notes = models.TextField(verbose_name=_("notes"), blank=True, help_text=_("Staff only."))

    objects = DelegationQuerySet.as_manager()
    # The sessions a delegation attended are not versioned: tracking the link table would cost queries per save.
    history = record_history()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["conference", "city__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "city"],
                name="delegation_once_per_city_and_conference",
                violation_error_message=_("This city already has a delegation at this conference."),
            ),
        ]

    def __str__(self):
        return gettext("%(city)s at %(conference)s") % {"city": self.city, "conference": self.conference.short_name}


class Delegate(models.Model):
    """A person in a delegation. Contact fields and notes are for staff only, everywhere."""

    class Role(models.TextChoices):
        CITY_LEADER = "city_leader", _("City leader or mayor")
        POLICYMAKER = "policymaker", _("Policymaker")
        RESEARCHER = "researcher", _("Researcher")
        EDUCATOR = "educator", _("Educator")
        PRACTITIONER = "practitioner", _("Practitioner")
        OTHER = "other", _("Other")

    # Contact details and notes. Staff without one of these permissions see none of them in the admin: no form
    # field, column, filter, search, ordering or history (network/admin_input.py reads both tuples).
    PRIVATE_FIELDS = ("email", "phone", "notes")
    PRIVATE_FIELDS_PERMISSIONS = ("conferences.change_delegate", "conferences.export_personal_data")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="delegates"
    )
    full_name = models.CharField(verbose_name=_("full name"), max_length=200)
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    position = models.CharField(verbose_name=_("position"), max_length=200, blank=True)
    organisation = models.CharField(verbose_name=_("organisation"), max_length=200, blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    is_public = models.BooleanField(
        _("name and role may be published"),
        default=False,
        help_text=_("Only then do name and role appear on public pages."),
    )
    email = models.EmailField(verbose_name=_("email"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=40, blank=True)
    notes = models.TextField(verbose_name=_("notes"), blank=True)

    objects = DelegateQuerySet.as_manager()
    # Historical rows hold contact data too: only the admin reads them (core/admin/history.py).
    history = record_history()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["delegation", "-is_head", "full_name"]
        # In the order of the delegation pages and the delegates report, and of the changelist (name, then newest).
        indexes = [
            models.Index(fields=["delegation", "-is_head", "full_name", "id"], name="delegate_delegation_order_idx"),
            models.Index(fields=["full_name", "-id"], name="delegate_full_name_idx"),
        ]
        permissions = [("export_personal_data", "Can export delegates' e-mail, phone and notes")]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_head=True),
                name="delegate_one_head_per_delegation",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self):
        return self.full_name
