"""Reads over conferences and cities: which cities took part where (the participation matrix), counted-here figures."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from conferences.models import Delegation
from core.cache import cached
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


def conference_counts(conference_ids) -> dict[int, dict]:
    """The counted-here figures of these conferences, by id; cached, as they read every delegate sent."""
    ids = sorted(conference_ids)
    delegations = Delegation.objects.filter(conference__in=ids)
    return cached("conference-counts", delegations.counts_by_conference, *ids)


def with_conference_counts(conferences):
    """The conferences (fetched), each given the figures ConferenceQuerySet.with_counts() would annotate."""
    counts = conference_counts(conference.pk for conference in conferences)
    for conference in conferences:
        for name in COUNT_NAMES:
            setattr(conference, name, counts.get(conference.pk, {}).get(name, 0))
    return conferences
