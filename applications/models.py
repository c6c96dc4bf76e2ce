"""Admissions: calls for applications, applications and their endorsement, reviews, decision and history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.files import validate_attachment
from applications.querysets import ApplicationQuerySet
from applications.status import DECIDED, Status
from core.history import record_history
from network.models import City, Country

NARRATIVE_MAX_WORDS = 200
SCORES = [MinValueValidator(1), MaxValueValidator(5)]


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len((text or "").split())


def validate_narrative(text: str) -> None:
    """Refuse a narrative over NARRATIVE_MAX_WORDS words (the call's rule), saying how many it has."""
    if (n := word_count(text)) > NARRATIVE_MAX_WORDS:
        raise ValidationError(
            _("Keep this to %(max)s words; it has %(count)s.") % {"max": NARRATIVE_MAX_WORDS, "count": n},
            code="too_many_words",
        )


class Call(models.Model):
    """The yearly call for applications: its window, possibly extended, and the per-country cap."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(2013)])
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    per_country_cap = models.PositiveSmallIntegerField(
        _("applications endorsed per country"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("At most this many applications per country may be endorsed (3 since 2018)."),
    )
    endorsement_due_on = models.DateField(
        _("endorsements due on"), null=True, blank=True, help_text=_("Empty: the call's last day.")
    )
    announced_on = models.DateField(_("cohort announced on"), null=True, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)

    history = record_history()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        permissions = [("announce_cohort", _("Can announce a call's cohort"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("A call cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | Q(extended_until__gt=F("closes_on")),
                name="call_extension_after_closing",
                violation_error_message=_("An extension must end after the call's closing date."),
            ),
            models.CheckConstraint(
                condition=Q(per_country_cap__gte=1),
                name="call_cap_at_least_one",
                violation_error_message=_("The per-country cap is at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(announced_on__isnull=True) | Q(announced_on__gte=F("opens_on")),
                name="call_announced_after_opening",
                violation_error_message=_("A cohort cannot be announced before its call opens."),
            ),
        ]

    def __str__(self):
        return _("Call for applications %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("applications:call_detail", kwargs={"year": self.year})

    @property
    def deadline(self):
        """The last day applications are accepted: the extension if any, else the closing date."""
        return self.extended_until or self.closes_on

    @property
    def endorsement_deadline(self):
        return self.endorsement_due_on or self.deadline

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.deadline


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


# The challenges the form asks a city to rate 1 (minor) to 5 (major).
CHALLENGES = {
    "literacy": _("Literacy"),
    "employment": _("Employment and skills"),
    "inclusion": _("Equity and inclusion"),
    "health": _("Health and well-being"),
    "environment": _("Environment and climate"),
    "digital": _("Digital transformation"),
}


def validate_challenges(value) -> None:
    """A dict of known challenge keys (CHALLENGES) to whole ratings 1-5."""
    if not isinstance(value, dict):
        raise ValidationError(_("Rate the challenges as a list of name: rating."), code="invalid")
    unknown = sorted(str(key) for key in value if key not in CHALLENGES)
    if unknown:
        raise ValidationError(_("Unknown challenges: %(names)s.") % {"names": ", ".join(unknown)}, code="invalid")
    bad = sorted(k for k, v in value.items() if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5)
    if bad:
        raise ValidationError(_("Rate %(names)s from 1 to 5.") % {"names": ", ".join(bad)}, code="invalid")


class Application(models.Model):
    """A city's application to one call, as the mayor signed it, and where it stands."""

    # Contact details of people: staff with the permission only, never public, cleared by purge_personal_data.
    PRIVATE_FIELDS = ("mayor_name", "contact_name", "contact_address", "contact_phone", "contact_email")
    PRIVATE_FIELDS_PERMISSIONS = ("applications.change_application",)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("city"),
        help_text=_("The city's record, if the registry has one; otherwise give its name below."),
    )
    proposed_city_name = models.CharField(_("name of a new city"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="applications", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(
        _("language of communication"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    website = models.URLField(_("website"), blank=True)
    mayor_name = models.CharField(_("mayor's name"), max_length=200, blank=True)
    mayor_title = models.CharField(_("mayor's title"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    gdp_per_capita = models.DecimalField(
        _("GDP per capita (USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    schooling_years = models.DecimalField(
        _("average years of schooling"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    vision = models.TextField(
        _("why the city wants to be a learning city"),
        blank=True,
        validators=[validate_narrative],
        help_text=_("At most 200 words."),
    )
    plans = models.TextField(
        _("what the city plans to do"), blank=True, validators=[validate_narrative], help_text=_("At most 200 words.")
    )
    challenges = models.JSONField(_("challenges rated 1-5"), default=dict, blank=True, validators=[validate_challenges])
    interests = models.TextField(_("interests"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    personal_data_cleared_at = models.DateTimeField(_("personal data cleared at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()
    history = record_history(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["call", "country__name", "proposed_city_name", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "country", "status"], name="application_call_country_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="application_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(city__isnull=False) | ~Q(proposed_city_name=""),
                name="application_names_a_city",
                violation_error_message=_("Choose the city's record or give the name of a new city."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ADMITTED) | Q(city__isnull=False),
                name="application_admitted_has_city",
                violation_error_message=_("An admitted application belongs to a city record."),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
                violation_error_message=_("A submitted application has the time it was submitted."),
            ),
            models.UniqueConstraint(
                fields=["call", "city"],
                condition=Q(city__isnull=False),
                name="application_once_per_city_and_call",
                violation_error_message=_("This city already has an application to this call."),
            ),
        ]

    def __str__(self):
        return _("%(city)s (%(year)s)") % {"city": self.city_name, "year": self.call.year}

    @property
    def city_name(self) -> str:
        return self.city.name if self.city_id else self.proposed_city_name

    def clean(self):
        if self.city_id and self.country_id and self.city.country_id != self.country_id:
            raise ValidationError(
                {
                    "country": _("The city %(city)s is in %(country)s.")
                    % {"city": self.city, "country": self.city.country}
                }
            )


class Transition(models.Model):
    """One step an application took: from which status to which, who moved it and when (never edited)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="transitions_made"
    )
    by_name = models.CharField(_("by"), max_length=150, blank=True, help_text=_("Kept if the account is deleted."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="transition_changes_status",
                violation_error_message=_("A status change goes to another status."),
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Attachment(models.Model):
    """A file sent with an application; its type is read from its first bytes (applications/files.py)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="applications/%Y/", validators=[validate_attachment])
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]


class Endorsement(models.Model):
    """The National Commission for UNESCO's endorsement; past the per-country cap only with a recorded reason."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="endorsement")
    commission = models.CharField(_("National Commission"), max_length=200)
    endorsed_on = models.DateField(_("endorsed on"))
    endorsed_by = models.CharField(_("endorsed by"), max_length=200, help_text=_("Name and title of the signatory."))
    cap_override_reason = models.TextField(
        _("reason for going over the cap"), blank=True, help_text=_("Required only past the per-country cap.")
    )

    history = record_history()

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self):
        return _("Endorsed by %(commission)s") % {"commission": self.commission}


class Review(models.Model):
    """One jury member's recommendation on an application, with a score 1-5."""

    class Recommendation(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        DO_NOT_RECOMMEND = "do_not_recommend", _("Do not recommend")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    jury_member = models.CharField(_("jury member"), max_length=200)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORES, help_text=_("1 (weak) to 5 (strong)."))
    comment = models.TextField(_("comment"), blank=True)

    history = record_history()

    class Meta:
        ordering = ["application", "jury_member"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="review_score_1_to_5",
                violation_error_message=_("Score from 1 to 5."),
            ),
            models.UniqueConstraint(
                fields=["application", "jury_member"],
                name="review_once_per_jury_member",
                violation_error_message=_("This jury member has already reviewed this application."),
            ),
        ]

    def __str__(self):
        return f"{self.jury_member}: {self.get_recommendation_display()} ({self.score})"


class Decision(models.Model):
    """UIL's decision on an application."""

    class Outcome(models.TextChoices):
        ADMITTED = Status.ADMITTED.value, _("Admitted")
        NOT_ADMITTED = Status.NOT_ADMITTED.value, _("Not admitted")
        DEFERRED = Status.DEFERRED.value, _("Deferred")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"), blank=True)

    history = record_history()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in DECIDED]),
                name="decision_outcome_known",
                violation_error_message=_("Unknown outcome."),
            ),
        ]

    def __str__(self):
        return self.get_outcome_display()
