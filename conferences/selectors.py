"""Reads over conferences and cities: which cities took part where (the participation matrix)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from conferences.models import Delegation
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
