"""Reads over conferences and cities: which cities took part where (the participation matrix), counted-here figures."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from conferences.models import Delegate, Delegation
from core.cache import cached_per_record
from network.models import City


def participating_cities():
    """Cities that sent a delegation to at least one conference, members or not."""
    return City.objects.filter(Exists(Delegation.objects.filter(city=OuterRef("pk"))))


@dataclass(frozen=True)
class Cell:
    attended: bool
    was_member: bool = False


@dataclass(frozen=True)
class MatrixRow:
    city: City
    cells: list[Cell]


def delegation_matrix_rows(*, cities, conferences) -> list[MatrixRow]:
    """One row per city (a page of them, already fetched) and one cell per conference, in one query."""
    city_ids = [city.pk for city in cities]
    rows = (
        Delegation.objects.filter(city_id__in=city_ids)
        .with_member_status()
        .values_list("city_id", "conference_id", "city_was_member")
    )
    attended = {(city_id, conference_id): was_member for city_id, conference_id, was_member in rows}
    return [
        MatrixRow(
            city,
            [
                Cell(True, attended[(city.pk, conference.pk)]) if (city.pk, conference.pk) in attended else Cell(False)
                for conference in conferences
            ],
        )
        for city in cities
    ]


COUNT_NAMES = ("delegation_count", "city_count", "country_count", "delegate_count")


_NOTHING_COUNTED = dict.fromkeys(COUNT_NAMES, 0)


def _count(conference_ids: list) -> dict[int, dict]:
    return Delegation.objects.filter(conference__in=conference_ids).counts_by_conference()


def conference_counts(conference_ids) -> dict[int, dict]:
    """The counted-here figures of these conferences, by id ({"delegate_count": 5000, ...}; zeros for a
    conference with no delegation). Kept per conference, as they read every delegate sent: an edit to a
    delegation or delegate recounts its conference only (conferences/apps.py says which edits), a bulk write
    all of them."""
    counts = cached_per_record("conference-counts", _count, conference_ids, scope="conference", per_language=False)
    return {pk: figures or _NOTHING_COUNTED for pk, figures in counts.items()}


def with_conference_counts(conferences):
    """The conferences (fetched), each given the figures ConferenceQuerySet.with_counts() would annotate."""
    counts = conference_counts(conference.pk for conference in conferences)
    for conference in conferences:
        for name in COUNT_NAMES:
            setattr(conference, name, counts.get(conference.pk, {}).get(name, 0))
    return conferences


# What the cities of one country sent to one conference, as a plain tuple: delegations (one per city), those whose
# city was a member on a day of the conference, delegates, then delegates per role in the order of Delegate.Role.
# Plain, not a NamedTuple: the reports read one per conference and country (36,000 at the stress size) from the
# cache, and pickle rebuilds named tuples by calling their class, 88 ms for those against 14 ms for plain ones.
Participation = tuple[int, ...]
DELEGATIONS, MEMBERS, DELEGATES, FIRST_ROLE = 0, 1, 2, 3


def _participation(conference_ids: list) -> dict[int, dict[int, Participation]]:
    roles = [value for value, _label in Delegate.Role.choices]
    counts = {f"role_{role}": Count("delegates", filter=Q(delegates__role=role), distinct=True) for role in roles}
    rows = (
        Delegation.objects.filter(conference__in=conference_ids)
        .order_by()
        .with_member_status()
        .values("conference", "city__country")
        .annotate(
            n_delegations=Count("pk", distinct=True),
            n_members=Count("pk", filter=Q(city_was_member=True), distinct=True),
            n_delegates=Count("delegates", distinct=True),
            **counts,
        )
    )
    result: dict[int, dict[int, Participation]] = defaultdict(dict)
    for row in rows:
        sent = (row["n_delegations"], row["n_members"], row["n_delegates"], *(row[f"role_{r}"] for r in roles))
        result[row["conference"]][row["city__country"]] = sent
    return result


def participation_by_country(conference_ids) -> dict[int, dict[int, Participation]]:
    """{conference pk: {country pk: Participation}} for these conferences (an empty dict for one nobody came to):
    the participation reports sum these (index a Participation with DELEGATIONS, MEMBERS, DELEGATES, FIRST_ROLE).
    Kept per conference, as counting reads every delegate: an edit recounts its conference only; so does an edit of
    a membership term or a country move of a city that went there (conferences/apps.py), and a bulk write all of
    them."""
    # Named for the plain tuples: entries kept as named tuples before 2026-12-01 are not read.
    kept = cached_per_record(
        "participation-counts", _participation, conference_ids, scope="conference", per_language=False
    )
    return {pk: by_country or {} for pk, by_country in kept.items()}
