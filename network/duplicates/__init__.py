"""Likely duplicates of a city: the same folded name, the same name without the words sources add ("Son La City",
"Ciudad de Cuenca", "Seodaemun-gu"), or a near spelling, in the same country.

One Python implementation for both databases: a country has at most a few thousand cities, read in one query,
and the near-spelling measure is pg_trgm's trigram similarity, so SQLite and PostgreSQL agree on every answer.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from core.text import fold
from network.models import City

# Words sources put before or after a city's name, folded (core.text.fold), in the sources' languages:
# English, Spanish, Portuguese, French, Italian, German, Nordic, Korean, Japanese, Chinese, Arabic transliterations.
PREFIXES = (
    "city of ",
    "town of ",
    "municipality of ",
    "ciudad de ",
    "municipio de ",
    "alcaldia de ",
    "cidade de ",
    "municipio do ",
    "prefeitura de ",
    "ville de ",
    "commune de ",
    "comune di ",
    "citta di ",
    "stadt ",
    "gemeinde ",
)
SUFFIXES = (
    " metropolitan city",
    " industrial city",
    " city council",
    " town council",
    " municipal council",
    " municipality",
    " municipio",
    " city",
    " town",
    " county",
    " district",
    " kommune",
    " kommun",
    " stad",
    " shi",
    "-gu",
    "-si",
    "-shi",
    "-ku",
    "-gun",
)
NEAR = 0.6  # trigram similarity from which two names count as near spellings ("Medelin", "Medellín": 0.7)
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


def core_name(name: str) -> str:
    """The folded name without the affixes above, apostrophes and hyphens: "Son La City" and "Sơn La" -> "son la"."""
    text = fold(name)
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix) + 2:
                text, changed = text[len(prefix) :], True
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 2:
                text, changed = text[: -len(suffix)], True
    return " ".join(text.replace("'", "").replace("-", " ").split())


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before and one after."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two texts, 0 to 1."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@dataclass(frozen=True)
class Known:
    pk: int
    name: str
    country_id: int
    folded: str
    core: str


def resembles(name: str, known: Known) -> bool:
    """The same folded name, the same core name, or a near spelling with the same numbers ("Kozah 1" and
    "Kozah 2" are two communes, not a typo)."""
    folded, core = fold(name), core_name(name)
    if known.folded == folded or known.core == core:
        return True
    return _DIGITS.findall(core) == _DIGITS.findall(known.core) and similarity(core, known.core) >= NEAR


class DuplicateFinder:
    """The cities of some countries, read once, asked for the likely duplicates of names (two queries at most
    per 1,000 countries, whatever the number of names asked)."""

    def __init__(self, country_ids: Iterable[int]):
        self._known: dict[int, list[Known]] = defaultdict(list)
        ids = sorted(set(country_ids))
        for start in range(0, len(ids), 1000):
            rows = City.objects.filter(country_id__in=ids[start : start + 1000]).values_list(
                "pk", "name", "country_id", "search_name"
            )
            for pk, name, country_id, folded in rows:
                self._known[country_id].append(Known(pk, name, country_id, folded, core_name(name)))

    def likely(self, name: str, country_id: int, *, exclude: int | None = None) -> list[Known]:
        """The known cities of the country `name` may duplicate, most similar first; `exclude` is the city's own pk."""
        found = [known for known in self._known[country_id] if known.pk != exclude and resembles(name, known)]
        core = core_name(name)
        return sorted(found, key=lambda known: (-similarity(core, known.core), known.name))


def likely_duplicates(name: str, country_id: int, *, exclude: int | None = None) -> list[City]:
    """The cities of the country that `name` likely duplicates (see the module docstring), with their countries."""
    pks = [known.pk for known in DuplicateFinder([country_id]).likely(name, country_id, exclude=exclude)]
    cities = City.objects.select_related("country").in_bulk(pks)
    return [cities[pk] for pk in pks if pk in cities]
