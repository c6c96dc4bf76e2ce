"""International Conferences on Learning Cities: venues, sessions and the delegations cities send."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from conferences.querysets import ConferenceQuerySet, DelegateQuerySet, DelegationQuerySet
from core.dates import DatePrecision, format_partial_date
from core.history import record_history
from network.models import City


class Venue(models.Model):
    name = models.CharField(max_length=200)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(max_length=300, blank=True)
    website = models.URLField(blank=True)

    history = record_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "city"],
                name="venue_unique_per_city",
                violation_error_message="This venue already exists in this city.",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"


class Conference(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        HYBRID = "hybrid", "Hybrid"
        ONLINE = "online", "Online"

    number = models.PositiveSmallIntegerField(unique=True, help_text="6 for the sixth ICLC.")
    short_name = models.CharField(max_length=40, unique=True, help_text="ICLC 6")
    slug = models.SlugField(max_length=40, unique=True)
    title = models.CharField("title or theme", max_length=300)
    start_date = models.DateField(null=True, blank=True, help_text="Empty while the dates are not set.")
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        "dates known to the", max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    host_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="hosted_conferences", null=True, blank=True
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="conferences", null=True, blank=True)
    attendance_stated = models.CharField(
        max_length=300, blank=True, help_text='Attendance as a source stated it, e.g. "over 550 delegates".'
    )
    countries_stated = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome_document = models.CharField(max_length=300, blank=True)
    award_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Learning City Awards presented at this conference."
    )
    description = models.TextField(blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="A URL or a citation.")
    internal_notes = models.TextField(blank=True, help_text="Staff only: never shown on public pages or exports.")

    objects = ConferenceQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="conference_end_not_before_start",
                violation_error_message="A conference cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="conference_number_positive",
                violation_error_message="Numbers start at 1.",
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
        if self.start_date is None:
            return "dates to be announced"
        if self.date_precision != DatePrecision.DAY or not self.end_date:
            return format_partial_date(self.start_date, self.date_precision)
        start, end = self.start_date, self.end_date
        if start == end:
            return format_partial_date(start, DatePrecision.DAY)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{format_partial_date(end, DatePrecision.DAY)}"
        return f"{format_partial_date(start, DatePrecision.DAY)} – {format_partial_date(end, DatePrecision.DAY)}"


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "Plenary session"
        PARALLEL = "parallel", "Parallel session"
        FORUM = "forum", "Thematic or regional forum"
        MAYORS_FORUM = "mayors_forum", "Mayors' forum"
        CEREMONY = "ceremony", "Ceremony"
        STUDY_VISIT = "study_visit", "Study visit"
        OTHER = "other", "Other"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    internal_notes = models.TextField(blank=True, help_text="Staff only: never shown on public pages or exports.")

    history = record_history()

    class Meta:
        ordering = ["conference", F("date").asc(nulls_last=True), F("start_time").asc(nulls_last=True), "title"]

    def __str__(self):
        return f"{self.title} ({self.conference.short_name})"

    def clean(self):
        conference = self.conference if self.conference_id else None
        within = conference and conference.start_date and conference.end_date
        if self.date and within and not conference.start_date <= self.date <= conference.end_date:
            raise ValidationError({"date": f"The date must fall within the conference ({conference.dates_display})."})


class Delegation(models.Model):
    """A city at a conference. Whether the city was a member then is derived from its terms."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="delegations")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="delegations")
    sessions = models.ManyToManyField(Session, related_name="delegations", blank=True)
    notes = models.TextField(blank=True, help_text="Staff only.")

    objects = DelegationQuerySet.as_manager()
    # The sessions a delegation attended are not versioned: tracking the link table would cost queries per save.
    history = record_history()

    class Meta:
        ordering = ["conference", "city__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "city"],
                name="delegation_once_per_city_and_conference",
                violation_error_message="This city already has a delegation at this conference.",
            ),
        ]

    def __str__(self):
        return f"{self.city} at {self.conference.short_name}"


class Delegate(models.Model):
    """A person in a delegation. Contact fields and notes are for staff only, everywhere."""

    class Role(models.TextChoices):
        CITY_LEADER = "city_leader", "City leader or mayor"
        POLICYMAKER = "policymaker", "Policymaker"
        RESEARCHER = "researcher", "Researcher"
        EDUCATOR = "educator", "Educator"
        PRACTITIONER = "practitioner", "Practitioner"
        OTHER = "other", "Other"

    # Contact details and notes. Staff without one of these permissions see none of them in the admin: no form
    # field, column, filter, search, ordering or history (network/admin_input.py reads both tuples).
    PRIVATE_FIELDS = ("email", "phone", "notes")
    PRIVATE_FIELDS_PERMISSIONS = ("conferences.change_delegate", "conferences.export_personal_data")

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="delegates")
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OTHER)
    position = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    is_head = models.BooleanField("head of delegation", default=False)
    is_public = models.BooleanField(
        "name and role may be published", default=False, help_text="Only then do name and role appear on public pages."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    objects = DelegateQuerySet.as_manager()
    # Historical rows hold contact data too: only the admin reads them (core/admin/history.py).
    history = record_history()

    class Meta:
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
                violation_error_message="A delegation has one head.",
            ),
        ]

    def __str__(self):
        return self.full_name
