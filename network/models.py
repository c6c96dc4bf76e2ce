"""Regions, countries, cities and their membership history, awards and thematic clusters."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import DatePrecision, format_partial_date, truncate
from core.history import record_history
from core.text import ascii_slug, fold, normalise_fields
from network.querysets import CityQuerySet, ClusterQuerySet, CountryQuerySet, MembershipTermQuerySet, RegionQuerySet

FIRST_AWARD_YEAR = 2015
PROGRESS_REPORT_INTERVAL_YEARS = 2
MAX_AWARDS_PER_REGION_AND_YEAR = 6
# Lazy, with the year filled in when shown: a message on a field or constraint is read in the reader's language.
FIRST_AWARD_YEAR_MESSAGE = lazy(
    lambda: gettext("The award was first given in %(year)s.") % {"year": FIRST_AWARD_YEAR}, str
)()


class Region(models.Model):
    """One of UNESCO's five regions; UNESCO, not geography, decides which a country is in."""

    name = models.CharField(verbose_name=_("name"), max_length=64, unique=True)
    slug = models.SlugField(verbose_name=_("slug"), max_length=64, unique=True)

    objects = RegionQuerySet.as_manager()
    history = record_history()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:region_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Country(models.Model):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1 (VN, SA)."))],
        help_text=_("ISO 3166-1 alpha-2, e.g. VN."),
    )
    name = models.CharField(
        verbose_name=_("name"), max_length=100, unique=True, help_text=_("Short name as UNESCO writes it.")
    )
    formal_name = models.CharField(verbose_name=_("formal name"), max_length=150, blank=True)
    slug = models.SlugField(verbose_name=_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="countries")

    objects = CountryQuerySet.as_manager()
    history = record_history()

    class Meta:
        verbose_name = _("country")
        ordering = ["name"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 2),
                name="country_code_two_letters",
                violation_error_message=_("Use a two-letter ISO code."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:country_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.code,)


class CountryAlias(models.Model):
    """Another name sources use for a country ("Vietnam", "Kingdom of Saudi Arabia")."""

    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(verbose_name=_("name"), max_length=150)

    history = record_history()

    class Meta:
        verbose_name = _("country alias")
        ordering = ["name"]
        verbose_name_plural = _("country aliases")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="countryalias_name_unique_ci",
                violation_error_message=_("This alias is already in use."),
            ),
        ]

    def __str__(self):
        return self.name


class City(models.Model):
    # The contact address is for reminders from staff: lookups and history hide it from other users.
    PRIVATE_FIELDS = ("contact_email",)
    PRIVATE_FIELDS_PERMISSIONS = ("network.change_city",)

    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
        help_text=_("As the city writes itself in Latin script, diacritics kept."),
    )
    local_name = models.CharField(
        verbose_name=_("local name"), max_length=200, blank=True, help_text=_("In the local script, e.g. الجبيل.")
    )
    search_name = models.CharField(verbose_name=_("search name"), max_length=200, editable=False, db_index=True)
    # The local name folded as search_name folds the name: SQLite compares only ASCII letters without case.
    search_local_name = models.CharField(
        verbose_name=_("search local name"), max_length=200, editable=False, blank=True
    )
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=220,
        unique=True,
        blank=True,
        help_text=_("Leave empty to derive it from the name."),
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="cities")
    province = models.CharField(_("province or state"), max_length=200, blank=True)
    latitude = models.DecimalField(
        verbose_name=_("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        verbose_name=_("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    population = models.PositiveIntegerField(verbose_name=_("population"), null=True, blank=True)
    website = models.URLField(verbose_name=_("website"), blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    source = models.CharField(verbose_name=_("source"), max_length=500, blank=True, help_text=_("A URL or a citation."))
    internal_notes = models.TextField(
        verbose_name=_("internal notes"), blank=True, help_text=_("Staff only: never shown on public pages or exports.")
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Where reminders go (progress reports). Staff only, never public.")
    )
    # The network writes to its members in English or French (the GNLC application form asks which); the site's
    # other languages are offered too.
    correspondence_language = models.CharField(
        _("language of correspondence"),
        max_length=7,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the e-mails the secretariat sends to the city (reminders)."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = CityQuerySet.as_manager()
    # The folded name follows the name, and the history has its own time of each change.
    history = record_history(excluded_fields=["search_name", "search_local_name", "updated_at"])

    class Meta:
        verbose_name = _("city")
        ordering = ["search_name", "name", "country__name"]
        verbose_name_plural = _("cities")
        # Lists sort by the folded name (Đà Nẵng among the Ds, on both databases); search has trigram indexes
        # on PostgreSQL (migration 0007).
        indexes = [
            models.Index(fields=["name"], name="city_name_idx"),
            models.Index(fields=["country", "search_name"], name="city_country_search_name_idx"),
        ]
        # Reports read across the whole network, so the permission to see them sits on its main record.
        permissions = [
            ("view_reports", "Can view reports and export them"),
            ("merge_city", "Can merge duplicate cities"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="city_name_unique_per_country_ci",
                violation_error_message=_("A city with this name already exists in this country."),
            ),
            models.CheckConstraint(
                # The isnull terms matter: a comparison with NULL is unknown, and SQL lets unknown pass a check.
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="city_coordinates_valid",
                violation_error_message=_("Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The folded name backs accent-insensitive search and matching; it must follow every rename.
        self.search_name = fold(self.name)
        self.search_local_name = fold(self.local_name)
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:city_detail", kwargs={"slug": self.slug})

    def clean(self):
        normalise_fields(self)

    def natural_key(self):
        return (self.slug,)

    def unique_slug(self) -> str:
        base = "-".join(part for part in (ascii_slug(self.name) or "city", self.country.code.lower()) if part)
        slug, n = base, 2
        while City.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class CitySlugRedirect(models.Model):
    """The slug of a city merged into another: its old address answers with a permanent redirect."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=220, unique=True)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("city slug redirect")
        verbose_name_plural = _("city slug redirects")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} → {self.city.slug}"


class MembershipTerm(models.Model):
    """One continuous period of membership; a city that left and was re-admitted has two."""

    class EndReason(models.TextChoices):
        WITHDREW = "withdrew", _("Withdrew")
        LAPSED = "lapsed", _("Lapsed (no progress report)")
        EXCLUDED = "excluded", _("Excluded")
        OTHER = "other", _("Other")

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="membership_terms")
    start_date = models.DateField(
        verbose_name=_("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the join date is not recorded. For a year or month, any day in it will do."),
    )
    start_precision = models.CharField(
        _("start known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(
        verbose_name=_("end date"), null=True, blank=True, help_text=_("Last day of membership; empty while a member.")
    )
    end_reason = models.CharField(verbose_name=_("end reason"), max_length=10, choices=EndReason.choices, blank=True)
    source = models.CharField(verbose_name=_("source"), max_length=500, blank=True, help_text=_("A URL or a citation."))
    notes = models.TextField(verbose_name=_("notes"), blank=True)

    objects = MembershipTermQuerySet.as_manager()
    history = record_history()

    # Saved terms that a form edits together with this one and compares as posted (the city page's inline).
    edited_alongside: tuple[int, ...] = ()

    class Meta:
        verbose_name = _("membership term")
        verbose_name_plural = _("membership terms")
        ordering = [F("start_date").asc(nulls_first=True)]
        # Who is a member on a day is asked of each city in turn: the first index answers it without the table.
        indexes = [
            models.Index(
                fields=["city", "start_date", "end_date"], include=["start_precision", "id"], name="term_city_dates_idx"
            ),
            models.Index(fields=["start_date", "id"], name="term_start_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membershipterm_end_not_before_start",
                violation_error_message=_("A membership term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_reason=""),
                name="membershipterm_reason_needs_end",
                violation_error_message=_("Give an end date with the reason the membership ended."),
            ),
        ]
        # Terms of one city may not overlap: an exclusion constraint on PostgreSQL and triggers on
        # SQLite (migration 0002), since Django has no portable way to say it.

    def __str__(self):
        return f"{self.city}: {self.period}"

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start_date, self.start_precision) or gettext("date not recorded")

    @property
    def period(self) -> str:
        end = format_partial_date(self.end_date, DatePrecision.DAY) or gettext("present")
        return f"{self.start_display} – {end}"

    def clean(self):
        if self.start_date:
            self.start_date = truncate(self.start_date, self.start_precision)
        if self.city_id is None:
            return
        overlapping = (
            MembershipTerm.objects.filter(city_id=self.city_id)
            .exclude(pk=self.pk)
            .exclude(pk__in=self.edited_alongside)
            .overlapping(self.start_date, self.end_date)
        )
        if other := overlapping.first():
            raise ValidationError(
                gettext("This term overlaps another membership term of the city (%(period)s).")
                % {"period": other.period}
            )


class ProgressReport(models.Model):
    """A progress report received from a member city; members owe one every two years."""

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="progress_reports")
    received_on = models.DateField(_("received"))
    title = models.CharField(verbose_name=_("title"), max_length=300)
    link = models.URLField(verbose_name=_("link"), max_length=500, blank=True)
    notes = models.TextField(verbose_name=_("notes"), blank=True)

    history = record_history()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-received_on"]

    def __str__(self):
        return f"{self.city}: {self.title} ({self.received_on:%Y-%m-%d})"


class Reminder(models.Model):
    """An e-mail sent to a city's contact (a progress report due), kept as it was sent."""

    class Kind(models.TextChoices):
        PROGRESS_REPORT = "progress_report", _("Progress report due")

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS_REPORT)
    sent_at = models.DateTimeField(verbose_name=_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_sent",
    )
    sent_by_name = models.CharField(
        verbose_name=_("sent by name"), max_length=150, help_text=_("Kept if the account is deleted.")
    )
    recipient = models.EmailField(verbose_name=_("recipient"))
    language = models.CharField(verbose_name=_("language"), max_length=7, choices=settings.LANGUAGES, default="en")
    subject = models.CharField(verbose_name=_("subject"), max_length=300)
    body = models.TextField(verbose_name=_("body"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["city", "-sent_at"], name="reminder_city_sent_idx")]

    def __str__(self):
        return f"{self.city}: {self.get_kind_display()} ({self.sent_at:%Y-%m-%d})"


class Award(models.Model):
    """A UNESCO Learning City Award; only members are eligible, and a city may win more than once."""

    year = models.PositiveSmallIntegerField(
        verbose_name=_("year"),
        validators=[MinValueValidator(FIRST_AWARD_YEAR, FIRST_AWARD_YEAR_MESSAGE)],
    )
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="awards")
    citation = models.TextField(verbose_name=_("citation"), blank=True)
    source = models.CharField(verbose_name=_("source"), max_length=500, blank=True, help_text=_("A URL or a citation."))
    internal_notes = models.TextField(
        verbose_name=_("internal notes"), blank=True, help_text=_("Staff only: never shown on public pages or exports.")
    )

    history = record_history()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "city__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "year"],
                name="award_once_per_city_and_year",
                violation_error_message=_("This city already has an award for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_AWARD_YEAR),
                name="award_year_from_2015",
                violation_error_message=FIRST_AWARD_YEAR_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.city} ({self.year})"

    def clean(self):
        if self.city_id is None or self.year is None or self.year < FIRST_AWARD_YEAR:
            return  # the field's own checks say what is missing or wrong
        if self.year > datetime.MAXYEAR:
            raise ValidationError({"year": gettext("%(year)s is not a year.") % {"year": self.year}})
        year_start, year_end = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        if not self.city.membership_terms.overlapping(year_start, year_end).exists():
            message = gettext("%(city)s was not a member in %(year)s; only members are eligible.")
            raise ValidationError({"city": message % {"city": self.city, "year": self.year}})
        same_region = Award.objects.filter(year=self.year, city__country__region_id=self.city.country.region_id)
        if same_region.exclude(pk=self.pk).count() >= MAX_AWARDS_PER_REGION_AND_YEAR:
            raise ValidationError(
                gettext("%(region)s already has %(count)s winners in %(year)s.")
                % {"region": self.city.country.region, "count": MAX_AWARDS_PER_REGION_AND_YEAR, "year": self.year}
            )


class Cluster(models.Model):
    """A thematic cluster of the network (literacy, equity and inclusion, ...)."""

    name = models.CharField(verbose_name=_("name"), max_length=120, unique=True)
    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    description = models.TextField(verbose_name=_("description"), blank=True)

    objects = ClusterQuerySet.as_manager()
    history = record_history()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class ClusterMembership(models.Model):
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="cluster_memberships")
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="memberships"
    )
    joined_year = models.PositiveSmallIntegerField(verbose_name=_("joined year"), null=True, blank=True)

    history = record_history()

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["cluster__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "cluster"],
                name="clustermembership_once",
                violation_error_message=_("The city is already in this cluster."),
            ),
        ]

    def __str__(self):
        return gettext("%(city)s in %(cluster)s") % {"city": self.city, "cluster": self.cluster}
