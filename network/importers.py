"""Importing a cohort: member cities and the membership terms that start on their join dates."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from core.dates import DatePrecision, format_partial_date, parse_partial_date, truncate
from core.history import ChangeNote
from core.text import fold
from imports.spreadsheets import Column, Problem, Table
from imports.workflow import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CityMatcher,
    Importer,
    Plan,
    RowChange,
    bulk_create_cities,
    chunks,
    city_label,
    duplicate_problems,
)
from network.models import City, Country, MembershipTerm

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
    reason = f"unknown country '{text}'"
    if suggestion := resolver.suggest(text):
        reason += f": did you mean {suggestion}?"
    else:
        reason += ": use its ISO code or its name (see the Countries list in the admin)"
    return Problem(number, "country", reason)


class MemberImport(Importer):
    kind = "members"
    title = "Member cities and membership terms"
    columns = [
        Column("city", "The city's name as it writes itself, diacritics welcome.", True, 200, "Sa Đéc"),
        Column("country", "ISO code, short or formal name, or a common variant.", True, None, "Viet Nam"),
        Column(
            "joined",
            "Join date: a year (2024), a month (2024-02 or February 2024) or a day (2024-02-14).",
            True,
            None,
            "2020-09-23",
        ),
        Column("province", "Province or state.", False, 200, "Dong Thap"),
        Column("local_name", "The name in the local script.", False, 200, ""),
        Column("source", "A URL or citation for the membership (the cohort announcement).", False, 500, ""),
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
                        f"join date '{values['joined']}' is not a date"
                        " (write 2024, 2024-02, February 2024 or 2024-02-14)",
                    )
                )
                continue
            if start > timezone.localdate():
                problems.append(Problem(number, "joined", f"join date '{values['joined']}' is in the future"))
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
            RowChange(row.number, CREATE, city_label(row.name, row.country), ["new city", f"member from {when}"])
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
        when = format_partial_date(row.start, row.precision)
        for term in terms:
            if term.start_date is not None and _same_start(term, row):
                changed = False
                if _FINENESS[row.precision] > _FINENESS[term.start_precision]:
                    details.append(f"join date: {term.start_display} → {when}")
                    term.start_date, term.start_precision = row.start, row.precision
                    changed = True
                if row.values["source"] and row.values["source"] != term.source:
                    details.append("membership source updated")
                    term.source = row.values["source"]
                    changed = True
                if changed:
                    plan.changed_terms[term.pk] = term
                return (UPDATE if changed else UNCHANGED), ""
        for term in terms:
            if term.start_date is None and (term.end_date is None or term.end_date >= row.start):
                details.append(f"join date: not recorded → {when}")
                term.start_date, term.start_precision = row.start, row.precision
                if row.values["source"] and not term.source:
                    term.source = row.values["source"]
                plan.changed_terms[term.pk] = term
                return UPDATE, ""
        for term in terms:
            if term.end_date is None or term.end_date >= row.start:
                if term.end_date is None:
                    return (
                        "",
                        f"{city_label(city.name, city.country)} has been a member since {term.start_display}; "
                        f"a term from {when} would overlap it",
                    )
                return (
                    "",
                    f"{city_label(city.name, city.country)} was a member {term.period}; "
                    f"a term from {when} would overlap it",
                )
        plan.new_terms.append(self._new_term(city, row))
        details.append(f"member again from {when}")
        return CREATE, ""

    def write(self, plan: MemberPlan, note: ChangeNote) -> None:
        bulk_create_cities(plan.new_cities, note=note)
        note.bulk_create(MembershipTerm, plan.new_terms)
        now = timezone.now()
        for city in plan.changed_cities.values():
            city.updated_at = now
        note.bulk_update(City, list(plan.changed_cities.values()), [*CITY_FIELDS, "updated_at"])
        note.bulk_update(MembershipTerm, list(plan.changed_terms.values()), ["start_date", "start_precision", "source"])


def _same_start(term: MembershipTerm, row: MemberRow) -> bool:
    """The same join date at the coarser of the two precisions: "2020" and "2020-09-23" agree."""
    coarser = min(term.start_precision, row.precision, key=_FINENESS.__getitem__)
    return truncate(term.start_date, coarser) == truncate(row.start, coarser)
