"""Importing a cohort: member cities and the membership terms that start on their join dates."""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.dates import DatePrecision, format_partial_date, parse_partial_date, truncate
from core.history import ChangeNote
from core.text import ascii_slug, fold
from imports.spreadsheets import ImportColumn, Problem, Table
from imports.workflow import (
    CHUNK,
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    Plan,
    RowChange,
    chunks,
    duplicate_problems,
)
from network.duplicates import DuplicateFinder
from network.models import City, Country, MembershipTerm
from network.places.geocoding import fill_missing_coordinates
from network.scopes import cities_changed, city_scopes_of


def city_label(name: str, country) -> str:
    return f"{name}, {country.name}"


class CityMatcher:
    """Finds existing cities by folded name and country ("Sa Dec" finds "Sa Đéc") in a few queries."""

    def __init__(self, keys: set[tuple[str, int]]):
        self._cities = defaultdict(list)
        self._duplicates = DuplicateFinder({country_id for _, country_id in keys})
        names = sorted({name for name, _ in keys})
        country_ids = {country_id for _, country_id in keys}
        with transaction.atomic(savepoint=False), _btree_only():
            for batch in chunks(names):
                for city in City.objects.filter(search_name__in=batch, country_id__in=country_ids).select_related(
                    "country"
                ):
                    self._cities[(city.search_name, city.country_id)].append(city)

    def match(self, name: str, country) -> tuple[City | None, str]:
        """The existing city, or None for a new one; a message when the name is ambiguous or when a new city
        would likely duplicate one of the country's ("Son La City" -> "did you mean Sơn La?")."""
        found = self._cities.get((fold(name), country.pk), [])
        if len(found) > 1:
            names = ", ".join(sorted(city.name for city in found))
            message = gettext("'%(name)s' matches %(count)s cities in %(country)s (%(names)s); merge them first")
            return None, message % {"name": name, "count": len(found), "country": country.name, "names": names}
        if not found and (likely := self._duplicates.likely(name, country.pk)):
            names = gettext(" or ").join(known.name for known in likely[:3])
            message = gettext(
                "'%(name)s' is not in the registry for %(country)s: did you mean %(names)s? Write the name as the "
                "registry has it, or add the new city in the admin first"
            )
            return None, message % {"name": name, "country": country.name, "names": names}
        return (found[0] if found else None), ""


@contextmanager
def _btree_only():
    """On PostgreSQL, keep equality lookups off the trigram GIN indexes (which serve only bitmap scans) for the
    rest of this block: through them `search_name IN (...)` reads every row ever inserted with the same
    trigrams, dead ones included, until VACUUM (probe 7.3); the B-tree finds each name directly."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_bitmapscan'), set_config('enable_bitmapscan', 'off', true)")
        (before, _) = cursor.fetchone()
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_bitmapscan', %s, true)", [before])


def bulk_create_cities(cities: list[City], *, note: ChangeNote) -> None:
    """Insert new cities with their folded names and unique slugs, as City.save() would, without a query each."""
    bases = {}
    for city in cities:
        city.search_name = fold(city.name)
        city.search_local_name = fold(city.local_name)
        bases[id(city)] = f"{ascii_slug(city.name) or 'city'}-{city.country.code.lower()}"
    wanted = sorted(set(bases.values()))
    taken = set()
    for batch in chunks(wanted):
        taken.update(City.objects.filter(slug__in=batch).values_list("slug", flat=True))
    for base in sorted(taken & set(wanted)):
        taken.update(City.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    for city in cities:
        slug, n = bases[id(city)], 2
        while slug in taken:
            slug, n = f"{bases[id(city)]}-{n}", n + 1
        city.slug = slug
        taken.add(slug)
    fill_missing_coordinates(cities)  # offline, from GeoNames; the map's "cannot place" count names the rest
    note.bulk_create(City, cities, batch_size=CHUNK)


_FINENESS = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
CITY_FIELDS = ["province", "local_name"]


@dataclass
class MemberRow:
    number: int
    name: str
    country: Country
    start: datetime.date
    precision: str
    values: dict


@dataclass
class MemberPlan(Plan):
    new_cities: list[City] = field(default_factory=list)
    new_terms: list[MembershipTerm] = field(default_factory=list)
    changed_cities: dict[int, City] = field(default_factory=dict)
    changed_terms: dict[int, MembershipTerm] = field(default_factory=dict)


def country_problem(number: int, text: str, resolver) -> Problem:
    """The problem of a country cell that names no one country: ambiguous (both candidates named) or unknown."""
    return Problem(number, "country", resolver.problem(text))


DATE_CELL_HINT = gettext_lazy(
    "a year typed into a date-formatted cell becomes a day in 1905 (2024 is day 2,024 after 1 January 1900); "
    "format the cell as Text or General and type the date again"
)


def implausible_join_date(start: datetime.date, text: str) -> str:
    """Why a join date cannot be right (before the network's first year, settings.NETWORK_FIRST_YEAR, or in the
    future), with a hint at how a spreadsheet made it; "" for a plausible date."""
    if start.year < settings.NETWORK_FIRST_YEAR:
        return gettext(
            "join date '%(text)s' is before %(year)s, when the network admitted its first members; %(hint)s"
        ) % {"text": text, "year": settings.NETWORK_FIRST_YEAR, "hint": DATE_CELL_HINT}
    if start > timezone.localdate():
        return gettext(
            "join date '%(text)s' is in the future; check the year, and that the cell is not a formula or a typo"
        ) % {"text": text}
    return ""


class MemberImport(Importer):
    kind = "members"
    title = gettext_lazy("Member cities and membership terms")
    columns = [
        ImportColumn(
            "city", gettext_lazy("The city's name as it writes itself, diacritics welcome."), True, 200, "Sa Đéc"
        ),
        ImportColumn(
            "country", gettext_lazy("ISO code, short or formal name, or a common variant."), True, None, "Viet Nam"
        ),
        ImportColumn(
            "joined",
            gettext_lazy("Join date: a year (2024), a month (2024-02 or February 2024) or a day (2024-02-14)."),
            True,
            None,
            "2020-09-23",
        ),
        ImportColumn("province", gettext_lazy("Province or state."), False, 200, "Dong Thap"),
        ImportColumn("local_name", gettext_lazy("The name in the local script."), False, 200, ""),
        ImportColumn(
            "source",
            gettext_lazy("A URL or citation for the membership (the cohort announcement)."),
            False,
            500,
            "",
        ),
    ]

    def plan(self, table: Table) -> MemberPlan:
        plan = MemberPlan()
        rows = self._parse(table, plan.problems)
        keyed, by_key = defaultdict(list), {}
        for row in rows:
            keyed[(fold(row.name), row.country.pk)].append(row.number)
            by_key.setdefault((fold(row.name), row.country.pk), row)
        problems, repeated = duplicate_problems(
            keyed, "city", lambda key: city_label(by_key[key].name, by_key[key].country)
        )
        plan.problems += problems
        rows = [row for row in rows if row.number not in repeated]
        matcher = CityMatcher({(fold(row.name), row.country.pk) for row in rows})
        matches = {row.number: matcher.match(row.name, row.country) for row in rows}
        terms = self._terms_of([city.pk for city, _ in matches.values() if city])
        for row in rows:
            city, ambiguity = matches[row.number]
            if ambiguity:
                plan.problems.append(Problem(row.number, "city", ambiguity))
            elif city is None:
                self._plan_new_city(row, plan)
            else:
                self._plan_existing_city(row, city, terms[city.pk], plan)
        plan.changes.sort(key=lambda change: change.row)
        return plan

    def _parse(self, table: Table, problems: list[Problem]) -> list[MemberRow]:
        resolver = Country.objects.resolver()
        rows = []
        for number, values in table.rows:
            if not self.check_lengths(number, values, problems):
                continue
            country = resolver.resolve(values["country"])
            if country is None:
                problems.append(country_problem(number, values["country"], resolver))
            try:
                start, precision = parse_partial_date(values["joined"])
            except ValueError:
                problems.append(
                    Problem(
                        number,
                        "joined",
                        gettext("join date '%(text)s' is not a date (write 2024, 2024-02, February 2024 or 2024-02-14)")
                        % {"text": values["joined"]},
                    )
                )
                continue
            if reason := implausible_join_date(start, values["joined"]):
                problems.append(Problem(number, "joined", reason))
                continue
            if country is not None:
                rows.append(MemberRow(number, values["city"], country, start, precision, values))
        return rows

    @staticmethod
    def _terms_of(city_ids: list[int]) -> dict[int, list[MembershipTerm]]:
        terms = defaultdict(list)
        for batch in chunks(city_ids):
            for term in MembershipTerm.objects.filter(city_id__in=batch):
                terms[term.city_id].append(term)
        return terms

    def _plan_new_city(self, row: MemberRow, plan: MemberPlan) -> None:
        city = City(name=row.name, country=row.country, source=row.values["source"])
        for name in CITY_FIELDS:
            setattr(city, name, row.values[name])
        plan.new_cities.append(city)
        plan.new_terms.append(self._new_term(city, row))
        when = format_partial_date(row.start, row.precision)
        plan.changes.append(
            RowChange(
                row.number,
                CREATE,
                city_label(row.name, row.country),
                [gettext("new city"), gettext("member from %(date)s") % {"date": when}],
            )
        )

    def _new_term(self, city: City, row: MemberRow) -> MembershipTerm:
        return MembershipTerm(
            city=city, start_date=row.start, start_precision=row.precision, source=row.values["source"]
        )

    def _plan_existing_city(self, row: MemberRow, city: City, terms: list[MembershipTerm], plan: MemberPlan):
        details = []
        for name in CITY_FIELDS:
            new = row.values[name]
            if new and new != getattr(city, name):
                # The template's column name, as the file has it: not translated.
                details.append(f"{name.replace('_', ' ')}: '{getattr(city, name)}' → '{new}'")
                setattr(city, name, new)
                plan.changed_cities[city.pk] = city
        action, problem = self._plan_term(row, city, terms, plan, details)
        if problem:
            plan.problems.append(Problem(row.number, "joined", problem))
            return
        if action != CREATE and details:
            action = UPDATE
        plan.changes.append(RowChange(row.number, action, city_label(city.name, city.country), details))

    def _plan_term(self, row, city, terms, plan, details) -> tuple[str, str]:
        """The action on the city's terms for this row's join date, or a problem: the same start (perhaps now
        known more finely), a term whose start was not recorded, a clash with a term, or a new term."""
        when = format_partial_date(row.start, row.precision)
        for term in terms:
            if term.start_date is not None and _same_start(term, row):
                return (UPDATE if _refine_term(term, row, when, plan, details) else UNCHANGED), ""
        for term in terms:
            if term.start_date is None and (term.end_date is None or term.end_date >= row.start):
                details.append(gettext("join date: not recorded → %(date)s") % {"date": when})
                term.start_date, term.start_precision = row.start, row.precision
                if row.values["source"] and not term.source:
                    term.source = row.values["source"]
                plan.changed_terms[term.pk] = term
                return UPDATE, ""
        for term in terms:
            if term.end_date is None or term.end_date >= row.start:
                if term.end_date is None:
                    message = gettext(
                        "%(city)s has been a member since %(since)s; a term from %(date)s would overlap it"
                    )
                else:
                    message = gettext("%(city)s was a member %(period)s; a term from %(date)s would overlap it")
                values = {"since": term.start_display, "period": term.period, "date": when}
                return "", message % {"city": city_label(city.name, city.country), **values}
        plan.new_terms.append(self._new_term(city, row))
        details.append(gettext("member again from %(date)s") % {"date": when})
        return CREATE, ""

    def write(self, plan: MemberPlan, note: ChangeNote) -> None:
        bulk_create_cities(plan.new_cities, note=note)
        note.bulk_create(MembershipTerm, plan.new_terms)
        now = timezone.now()
        for city in plan.changed_cities.values():
            city.updated_at = now
        note.bulk_update(City, list(plan.changed_cities.values()), [*CITY_FIELDS, "updated_at"])
        note.bulk_update(MembershipTerm, list(plan.changed_terms.values()), ["start_date", "start_precision", "source"])

    def changed_scopes(self, plan: MemberPlan) -> list[str]:
        """The pages of the cities created or changed, or whose terms were (their own, their countries' and
        regions'); the apps that show them elsewhere hear of them through cities_changed (network/scopes.py)."""
        terms = [*plan.new_terms, *plan.changed_terms.values()]
        city_ids = {c.pk for c in plan.new_cities} | set(plan.changed_cities) | {t.city.pk for t in terms}
        cities_changed.send(sender=City, city_ids=city_ids)
        return city_scopes_of(city_ids)


def _same_start(term: MembershipTerm, row: MemberRow) -> bool:
    """The same join date at the coarser of the two precisions: "2020" and "2020-09-23" agree."""
    coarser = min(term.start_precision, row.precision, key=_FINENESS.__getitem__)
    return truncate(term.start_date, coarser) == truncate(row.start, coarser)


def _refine_term(term: MembershipTerm, row, when: str, plan, details: list[str]) -> bool:
    """Take a finer join date and a new source from the row onto the term with the same start; True if changed."""
    changed = False
    if _FINENESS[row.precision] > _FINENESS[term.start_precision]:
        details.append(gettext("join date: %(was)s → %(now)s") % {"was": term.start_display, "now": when})
        term.start_date, term.start_precision = row.start, row.precision
        changed = True
    if row.values["source"] and row.values["source"] != term.source:
        details.append(gettext("membership source updated"))
        term.source = row.values["source"]
        changed = True
    if changed:
        plan.changed_terms[term.pk] = term
    return changed
