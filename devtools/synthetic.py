"""Synthetic networks for tests and benchmarks: cities with membership histories, awards, conferences, delegations."""

import datetime
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Max, Q

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from core.dates import DatePrecision, truncate
from core.text import ascii_slug, fold
from devtools.synthetic_names import NameMaker
from network.membership import spans_overlap
from network.models import (
    MAX_AWARDS_PER_REGION_AND_YEAR,
    Award,
    City,
    Cluster,
    ClusterMembership,
    Country,
    MembershipTerm,
)

# Every generated city and conference carries this at the start of its source: it is how a later run finds them.
MARKER = "Synthetic: generate_network"
# Fixed ends of the generated history, so that a seed gives the same data whatever day it runs.
FIRST_DAY = datetime.date(2013, 9, 1)
LAST_DAY = datetime.date(2025, 12, 31)
AWARD_CYCLES = [2015, 2017, 2019, 2021, 2024]
MEAN_DELEGATES_PER_DELEGATION = 5


class GenerationError(Exception):
    """The database holds something that stops generation; the message says what."""


@dataclass(frozen=True)
class Sizes:
    cities: int
    conferences: int
    delegates: int


SIZES = {"realistic": Sizes(1_000, 50, 100_000), "stress": Sizes(100_000, 200, 1_000_000)}

# Rough latitude and longitude boxes per UNESCO region, so that cities land in about the right part of the world.
REGION_BOXES = {
    "africa": (-30, 30, -15, 45),
    "arab-states": (15, 35, -8, 55),
    "asia-pacific": (-35, 45, 70, 150),
    "europe-north-america": (35, 60, -120, 40),
    "latin-america-caribbean": (-40, 20, -100, -40),
}
FOCUS = [
    "adult literacy",
    "green skills for young people",
    "intergenerational learning",
    "learning for health and well-being",
    "the inclusion of migrants through learning",
    "community learning centres",
    "digital skills for older people",
    "learning festivals open to all ages",
]
THEMES = ["inclusion", "climate action", "health and resilience", "digital futures", "peace", "green skills"]
SUBTITLES = ["from policy to practice", "local action, global goals", "leaving no one behind", "the next decade"]
VENUE_KINDS = ["Convention Centre", "City Hall", "Congress Palace", "University Campus", "Cultural Centre"]
POSITIONS = {
    Delegate.Role.CITY_LEADER: ["Mayor", "Deputy Mayor", "Governor"],
    Delegate.Role.POLICYMAKER: ["Director of Education", "Head of Lifelong Learning", "Councillor for Education"],
    Delegate.Role.RESEARCHER: ["Professor", "Research Fellow", "Lecturer"],
    Delegate.Role.EDUCATOR: ["Teacher", "Head of Adult Learning Centre", "Librarian"],
    Delegate.Role.PRACTITIONER: ["Community Learning Coordinator", "Programme Officer"],
    Delegate.Role.OTHER: ["Interpreter", "Press Officer", "Protocol Officer"],
}
HEAD_ROLES = [Delegate.Role.CITY_LEADER, Delegate.Role.POLICYMAKER]
ORGANISATIONS = ["{} City Council", "University of {}", "{} Community Learning Centre", "{} Public Library"]


def member_during(terms, start: datetime.date, end: datetime.date) -> bool:
    """A term of `terms` ((start, end) pairs, None open) shares a day with [start, end]."""
    return any(spans_overlap(term, (start, end)) for term in terms)


class NetworkGenerator:
    """Fills the database with a synthetic network; one `random.Random(seed)` drives every choice."""

    def __init__(
        self,
        *,
        sizes: Sizes,
        seed: int,
        batch_size: int = 5000,
        progress: Callable[[str], None] = print,
        using: str = "default",
    ):
        self.sizes, self.batch_size, self.progress, self.using = sizes, batch_size, progress, using
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.source = f"{MARKER} (seed {seed})"
        self.counts = Counter()

    def run(self) -> Counter:
        network = [self.cities, self.terms, self.clusters, self.conferences, self.awards]
        for step in [*network, self.delegations, self.delegates]:
            started = time.monotonic()
            done = step()
            self.progress(f"{done} in {time.monotonic() - started:.1f} s")
        return self.counts

    def objects(self, model):
        return model.objects.using(self.using)

    def insert(self, model, objs: list, label: str = ""):
        created = model.objects.using(self.using).bulk_create(objs, batch_size=self.batch_size)
        self.counts[label or str(model._meta.verbose_name_plural)] += len(created)
        return created

    def random_day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))

    # Cities ------------------------------------------------------------------------------------

    def cities(self):
        rng, n = self.rng, self.sizes.cities
        countries = list(self.objects(Country).order_by("code").values_list("pk", "code", "region__slug"))
        weights = [rng.paretovariate(1.2) for _ in countries]
        centres = []
        for _, _, region in countries:
            lat0, lat1, lon0, lon1 = REGION_BOXES.get(region, (-50, 60, -180, 180))
            centres.append((rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)))
        taken = {(country, name.lower()) for country, name in self.objects(City).values_list("country_id", "name")}
        slugs = set(self.objects(City).values_list("slug", flat=True))
        provinces = {}
        self.city_ids, self.city_names, self.city_slugs, self.city_regions = [], [], [], []
        self.by_region = defaultdict(list)
        picks = rng.choices(range(len(countries)), weights=weights, k=n)
        for first in range(0, n, self.batch_size):
            batch = []
            for pick in picks[first : first + self.batch_size]:
                country_id, code, region = countries[pick]
                name = self.names.city()
                while (country_id, name.lower()) in taken:
                    name = self.names.city()
                taken.add((country_id, name.lower()))
                slug = base = f"{ascii_slug(name) or 'city'}-{code.lower()}"
                suffix = 2
                while slug in slugs:
                    slug, suffix = f"{base}-{suffix}", suffix + 1
                slugs.add(slug)
                if country_id not in provinces:
                    provinces[country_id] = [self.names.province() for _ in range(rng.randint(3, 10))]
                lat, lon = centres[pick]
                local_name = self.names.local_name(name, region) if rng.random() < 0.15 else ""
                batch.append(
                    City(
                        name=name,
                        local_name=local_name,
                        search_name=fold(name),
                        search_local_name=fold(local_name),
                        slug=slug,
                        country_id=country_id,
                        province=rng.choice(provinces[country_id]),
                        latitude=Decimal(f"{max(-89.9, min(89.9, lat + rng.uniform(-3, 3))):.6f}"),
                        longitude=Decimal(f"{max(-179.9, min(179.9, lon + rng.uniform(-3, 3))):.6f}"),
                        population=min(20_000_000, max(5_000, int(rng.lognormvariate(12, 1.2)))),
                        website=f"https://www.{slug}.example/" if rng.random() < 0.6 else "",
                        description=f"A learning city known for its work on {rng.choice(FOCUS)}.",
                        source=self.source,
                    )
                )
                self.city_regions.append(region)
            for city in self.insert(City, batch):
                self.by_region[self.city_regions[len(self.city_ids)]].append(len(self.city_ids))
                self.city_ids.append(city.pk)
                self.city_names.append(city.name)
                self.city_slugs.append(city.slug)
            if len(self.city_ids) < n:
                self.progress(f"Cities: {len(self.city_ids):,}/{n:,}")
        return f"Cities: {n:,}"

    # Membership terms ---------------------------------------------------------------------------

    def profiles(self, n: int) -> list[str]:
        """Each kind of history at least once (when there are enough cities), in proportion, shuffled."""
        shares = {"never": 0.08, "unknown": 0.03, "former": 0.12, "readmitted": 0.10}
        profiles = []
        if n >= len(shares) + 1:
            for kind, share in shares.items():
                profiles += [kind] * max(1, round(n * share))
        profiles += ["current"] * (n - len(profiles))
        self.rng.shuffle(profiles)
        return profiles

    def start(self, first: datetime.date, last: datetime.date):
        raw = self.random_day(first, last)
        precision = self.rng.choices([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [55, 30, 15])[0]
        return raw, precision

    def terms(self):
        rng, reasons = self.rng, [r for r, _ in MembershipTerm.EndReason.choices]
        self.city_terms, batch = [], []
        for i, profile in enumerate(self.profiles(len(self.city_ids))):
            spans = []
            if profile == "unknown":
                spans.append((None, DatePrecision.DAY, None))
            elif profile == "current":
                raw, precision = self.start(FIRST_DAY, LAST_DAY)
                spans.append((truncate(raw, precision), precision, None))
            elif profile == "former":
                raw, precision = self.start(FIRST_DAY, LAST_DAY - datetime.timedelta(days=730))
                end = min(raw + datetime.timedelta(days=rng.randint(365, 1825)), LAST_DAY)
                spans.append((truncate(raw, precision), precision, end))
            elif profile == "readmitted":
                raw, precision = self.start(FIRST_DAY, datetime.date(2018, 12, 31))
                end = raw + datetime.timedelta(days=rng.randint(365, 1460))
                spans.append((truncate(raw, precision), precision, end))
                raw, precision = self.start(end + datetime.timedelta(days=180), end + datetime.timedelta(days=1000))
                if truncate(raw, precision) <= end:
                    precision = DatePrecision.DAY  # a year or month start would reach back into the first term
                spans.append((truncate(raw, precision), precision, None))
            for start, precision, end in spans:
                batch.append(
                    MembershipTerm(
                        city_id=self.city_ids[i],
                        start_date=start,
                        start_precision=precision,
                        end_date=end,
                        end_reason=rng.choice(reasons) if end else "",
                        source=self.source,
                    )
                )
            self.city_terms.append([(start, end) for start, _, end in spans])
            if len(batch) >= self.batch_size:
                self.insert(MembershipTerm, batch)
                batch = []
        self.insert(MembershipTerm, batch)
        return f"Membership terms: {self.counts['membership terms']:,}"

    def clusters(self):
        rng, cluster_ids = self.rng, list(self.objects(Cluster).order_by("slug").values_list("pk", flat=True))
        batch = []
        for i, terms in enumerate(self.city_terms):
            if not terms or not cluster_ids or rng.random() > 0.3:
                continue
            first_year = max(2016, terms[0][0].year if terms[0][0] else 2016)
            for cluster_id in rng.sample(cluster_ids, rng.randint(1, min(3, len(cluster_ids)))):
                year = rng.randint(first_year, LAST_DAY.year) if rng.random() < 0.8 else None
                batch.append(ClusterMembership(city_id=self.city_ids[i], cluster_id=cluster_id, joined_year=year))
        self.insert(ClusterMembership, batch)
        return f"Cluster memberships: {self.counts['cluster memberships']:,}"

    # Conferences --------------------------------------------------------------------------------

    def conferences(self):
        rng, n = self.rng, self.sizes.conferences
        latest = self.objects(Conference).aggregate(number=Max("number"), start=Max("start_date"), end=Max("end_date"))
        first_number = (latest["number"] or 0) + 1
        day = max(filter(None, [latest["start"], latest["end"]]), default=datetime.date(2013, 6, 1))
        gap = min(900, max(20, 12 * 365 // max(n, 1)))  # about twelve years of conferences, whatever their number
        clashes = self.objects(Conference).filter(
            Q(short_name__in=[f"ICLC {k}" for k in range(first_number, first_number + n)])
            | Q(slug__in=[f"iclc-{k}" for k in range(first_number, first_number + n)])
        )
        if clash := clashes.first():
            raise GenerationError(f"{clash.short_name} already exists with number {clash.number}; rename it first.")
        award_years = set(self.objects(Conference).exclude(award_year=None).values_list("award_year", flat=True))
        venues, conferences, self.conference_award_years, self.conference_hosts = {}, [], set(), []
        for number in range(first_number, first_number + n):
            start = day + datetime.timedelta(days=rng.randint(gap * 6 // 10, gap * 14 // 10))
            end = start + datetime.timedelta(days=rng.randint(1, 3))
            day = end
            host = next(
                (i for i in (rng.randrange(len(self.city_ids)) for _ in range(50)) if self.was_member(i, start, end)),
                rng.randrange(len(self.city_ids)),
            )
            self.conference_hosts.append(host)
            mode = rng.choices(list(Conference.Mode), [80, 15, 5])[0]
            venue = None
            if mode != Conference.Mode.ONLINE:
                key = (host, rng.choice(VENUE_KINDS))
                if key not in venues:
                    venues[key] = Venue(name=f"{self.city_names[host]} {key[1]}", city_id=self.city_ids[host])
                venue = venues[key]
            award_year = None
            if AWARD_CYCLES[0] <= start.year <= LAST_DAY.year and start.year not in award_years:
                award_year = start.year
                award_years.add(award_year)
                self.conference_award_years.add(award_year)
            theme = rng.choice(THEMES)
            conferences.append(
                Conference(
                    number=number,
                    short_name=f"ICLC {number}",
                    slug=f"iclc-{number}",
                    title=f"Learning cities for {theme}: {rng.choice(SUBTITLES)}",
                    start_date=start,
                    end_date=end,
                    mode=mode,
                    host_city_id=self.city_ids[host],
                    venue=venue,
                    attendance_stated=f"{rng.choice(['about', 'over', 'more than'])} {rng.randint(30, 200) * 10:,} "
                    f"{rng.choice(['delegates', 'participants'])}",
                    countries_stated=rng.randint(40, 130),
                    outcome_document=f"{self.city_names[host]} {rng.choice(['Declaration', 'Statement'])} on {theme}",
                    award_year=award_year,
                    description=f"Conference {number} of the series, hosted by {self.city_names[host]}.",
                    source=self.source,
                )
            )
        self.insert(Venue, list(venues.values()))
        for conference in conferences:
            conference.venue_id = conference.venue.pk if conference.venue else None
        self.conference_list = self.insert(Conference, conferences)
        self.sessions()
        return (
            f"Conferences: {len(conferences):,} with {self.counts['venues']:,} venues "
            f"and {self.counts['sessions']:,} sessions"
        )

    def was_member(self, i: int, start: datetime.date, end: datetime.date) -> bool:
        return member_during(self.city_terms[i], start, end)

    def sessions(self):
        rng, sessions, owners = self.rng, [], []
        for c, conference in enumerate(self.conference_list):
            last = (conference.end_date - conference.start_date).days
            host = self.city_names[self.conference_hosts[c]]
            programme = [("plenary", "Opening plenary", 0, datetime.time(9))]
            if conference.award_year:
                programme.append(("ceremony", f"Learning City Award {conference.award_year} ceremony", 0, None))
            programme.append(("mayors_forum", "Mayors' forum", 1, datetime.time(9)))
            programme += [(Session.Kind.FORUM, f"Thematic forum: {t}", 1, None) for t in rng.sample(THEMES, 2)]
            programme += [(Session.Kind.PARALLEL, f"Parallel session {k}", 1, None) for k in range(rng.randint(2, 6))]
            if conference.mode != Conference.Mode.ONLINE:
                programme.append(("study_visit", f"Study visit in {host}", last, None))
            programme.append(("plenary", "Closing plenary", last, datetime.time(16)))
            for kind, title, offset, at in programme:
                date = conference.start_date + datetime.timedelta(days=min(offset, last))
                sessions.append(Session(conference=conference, kind=kind, title=title, date=date, start_time=at))
                owners.append(c)
        self.session_ids = defaultdict(list)
        for c, session in zip(owners, self.insert(Session, sessions), strict=True):
            self.session_ids[c].append(session.pk)

    def awards(self):
        """Winners among the members of the year, at most six per region and year counting awards already there."""
        rng, batch = self.rng, []
        given = Counter(self.objects(Award).values_list("year", "city__country__region__slug"))
        for year in sorted(set(AWARD_CYCLES) | self.conference_award_years):
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            for region in sorted(self.by_region):
                room = MAX_AWARDS_PER_REGION_AND_YEAR - given[(year, region)]
                pool, winners = self.by_region[region], set()
                want = min(rng.randint(1, room), 1 + len(pool) // 10) if room > 0 else 0
                for _ in range(want * 30):
                    if len(winners) == want:
                        break
                    i = rng.choice(pool)
                    if self.was_member(i, first, last):
                        winners.add(i)
                batch += [
                    Award(year=year, city_id=self.city_ids[i], citation=f"For {rng.choice(FOCUS)}.", source=self.source)
                    for i in sorted(winners)
                ]
        self.insert(Award, batch)
        return f"Awards: {self.counts['awards']:,}"

    # Delegations and delegates -----------------------------------------------------------------

    def delegations(self):
        rng, n_conf, n_cities = self.rng, len(self.conference_list), len(self.city_ids)
        wanted = math.ceil(self.sizes.delegates / MEAN_DELEGATES_PER_DELEGATION)
        total = min(max(n_conf, wanted), n_conf * n_cities)
        self.delegation_ids, self.delegation_cities, conference_of = [], [], []
        for c, conference in enumerate(self.conference_list):
            count = total // n_conf + (1 if c < total % n_conf else 0)
            cities = rng.sample(range(n_cities), count)
            batch = [
                Delegation(
                    conference=conference,
                    city_id=self.city_ids[i],
                    notes="Asked for a visa letter." if rng.random() < 0.05 else "",
                )
                for i in cities
            ]
            self.delegation_ids += [delegation.pk for delegation in self.insert(Delegation, batch)]
            self.delegation_cities += cities
            conference_of += [c] * count

        def links():
            for delegation_id, c in zip(self.delegation_ids, conference_of, strict=True):
                sessions = self.session_ids[c]
                for session_id in rng.sample(sessions, rng.randint(0, min(4, len(sessions)))):
                    yield delegation_id, session_id

        Link = Delegation.sessions.through
        self.write_rows(Link, ["delegation_id", "session_id"], links(), "delegation sessions")
        attended = self.counts["delegation sessions"]
        return f"Delegations: {len(self.delegation_ids):,}, with {attended:,} links to the sessions they attended"

    def delegate_rows(self):
        """Rows in the column order of DELEGATE_COLUMNS, one delegation after another."""
        rng, roles = self.rng, list(Delegate.Role)
        remaining, sizes = self.sizes.delegates, []
        for _ in self.delegation_ids:
            sizes.append(min(remaining, rng.randint(1, 2 * MEAN_DELEGATES_PER_DELEGATION - 1)))
            remaining -= sizes[-1]
        while remaining > 0 and sizes:  # more delegates than fit: spread the rest
            sizes[rng.randrange(len(sizes))] += 1
            remaining -= 1
        for delegation_id, city, size in zip(self.delegation_ids, self.delegation_cities, sizes, strict=True):
            name, domain = self.city_names[city], f"{self.city_slugs[city]}.example"
            for m in range(size):
                is_head = m == 0 and rng.random() < 0.85
                role = rng.choice(HEAD_ROLES if is_head else roles)
                person = self.names.person()
                has_email = is_head or rng.random() < 0.5
                yield (
                    delegation_id,
                    person,
                    role,
                    rng.choice(POSITIONS[role]),
                    rng.choice(ORGANISATIONS).format(name),
                    is_head,
                    rng.random() < (0.9 if is_head else 0.6),
                    f"{ascii_slug(person).replace('-', '.') or 'delegate'}@{domain}" if has_email else "",
                    f"+{rng.randint(1, 998)} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                    if is_head or rng.random() < 0.2
                    else "",
                    "Dietary requirements noted." if rng.random() < 0.03 else "",
                )

    DELEGATE_COLUMNS = [
        "delegation_id",
        "full_name",
        "role",
        "position",
        "organisation",
        "is_head",
        "is_public",
        "email",
        "phone",
        "notes",
    ]

    def delegates(self):
        self.write_rows(Delegate, self.DELEGATE_COLUMNS, self.delegate_rows(), total=self.sizes.delegates)
        return f"Delegates: {self.counts['delegates']:,}"

    def write_rows(self, model, columns: list[str], rows, label: str = "", total: int = 0):
        """Insert plain rows: with COPY on PostgreSQL (several times faster than INSERT), else bulk_create."""
        label = label or str(model._meta.verbose_name_plural)
        step = max(self.batch_size, total // 10)
        connection = connections[self.using]
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    self.counts[label] += 1
                    if total and self.counts[label] % step == 0:
                        self.progress(f"{label.capitalize()}: {self.counts[label]:,}/{total:,}")
            return
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) == self.batch_size:
                self.insert(model, batch, label)
                batch = []
                if total and self.counts[label] % step < self.batch_size:
                    self.progress(f"{label.capitalize()}: {self.counts[label]:,}/{total:,}")
        self.insert(model, batch, label)


def generated(using: str = "default") -> dict:
    """Generated cities and conferences already in the database, and the delegations to or from them."""
    cities = City.objects.using(using).filter(source__startswith=MARKER)
    conferences = Conference.objects.using(using).filter(source__startswith=MARKER)
    delegations = Delegation.objects.using(using).filter(Q(conference__in=conferences) | Q(city__in=cities))
    return {"cities": cities, "conferences": conferences, "delegations": delegations}


def _delete(queryset) -> int:
    """One DELETE ... WHERE pk IN (subquery): Django's delete() would first load every row into memory."""
    connection, meta = connections[queryset.db], queryset.model._meta
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({sql})", params)
        return cursor.rowcount


def delete_generated(using: str = "default") -> Counter:
    """Delete generated cities and conferences with everything attached to them; keep all other records.

    Deletes bypass PROTECT, so records outside this list that point at generated rows make the
    transaction fail at commit (foreign keys are checked there): nothing is then deleted.
    """
    found = generated(using)
    cities, conferences, delegations = found["cities"], found["conferences"], found["delegations"]
    blocking = (
        Conference.objects.using(using)
        .exclude(pk__in=conferences)
        .filter(Q(host_city__in=cities) | Q(venue__city__in=cities))
    )
    if names := list(blocking.values_list("short_name", flat=True)[:5]):
        raise GenerationError(
            f"{', '.join(names)} (not generated) took place in generated cities; change their host city and venue "
            "in the admin first."
        )
    Link = Delegation.sessions.through
    steps = [
        ("delegates", Delegate.objects.using(using).filter(delegation__in=delegations)),
        (
            "delegation sessions",
            Link.objects.using(using).filter(Q(delegation__in=delegations) | Q(session__conference__in=conferences)),
        ),
        ("delegations", delegations),
        ("sessions", Session.objects.using(using).filter(conference__in=conferences)),
        ("awards", Award.objects.using(using).filter(city__in=cities)),
        ("cluster memberships", ClusterMembership.objects.using(using).filter(city__in=cities)),
        ("membership terms", MembershipTerm.objects.using(using).filter(city__in=cities)),
        ("conferences", conferences),
        ("venues", Venue.objects.using(using).filter(city__in=cities)),
        ("cities", cities),
    ]
    return Counter({label: _delete(queryset) for label, queryset in steps})
