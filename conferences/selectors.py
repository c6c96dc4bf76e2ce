"""Reads over conferences and cities: which cities took part where (the participation matrix), counted-here figures."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from conferences.models import Delegation
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
    counts = cached_per_record("conference-counts", _count, conference_ids, scope="conference")
    return {pk: figures or _NOTHING_COUNTED for pk, figures in counts.items()}


def with_conference_counts(conferences):
    """The conferences (fetched), each given the figures ConferenceQuerySet.with_counts() would annotate."""
    counts = conference_counts(conference.pk for conference in conferences)
    for conference in conferences:
        for name in COUNT_NAMES:
            setattr(conference, name, counts.get(conference.pk, {}).get(name, 0))
    return conferences
