"""The cache scopes (core.cache) of the pages that show a city: its own (city:42), its country's (country:7) and its
region's (region:3). A change to a city or to a record of it refreshes those pages and the lists, not the other
cities', countries' and regions' pages."""

from django.dispatch import Signal

from core.cache import LISTS, SHARED

# The cache scopes of a list or figure of cities that shows no delegation (the directory, the map, their filters'
# choices): a delegate edited bumps "participation", not "lists", and leaves them cached (core.cache.list_scope).
CITY_LISTS = (SHARED, LISTS)

# Sent (sender: the City model, city_ids: a set of pks) by a bulk write to cities or their membership terms, which
# sends no model signals, within its transaction: apps whose pages show those cities bump their own scopes (the
# conferences app, the conferences those cities went to).
cities_changed = Signal()


def _scopes(rows) -> list[str]:
    """["city:42", "country:7", "region:3", ...] of (city, country, region) pks, sorted; a None is left out."""
    names = ("city", "country", "region")
    return sorted({f"{name}:{pk}" for row in rows for name, pk in zip(names, row, strict=True) if pk is not None})


def place_scopes(places) -> list[str]:
    """The scopes of (city pk, country pk) pairs. One query, for the countries' regions."""
    from network.models import Country

    places = [(city, country) for city, country in places if city is not None]
    regions = dict(Country.objects.filter(pk__in={c for _city, c in places}).values_list("pk", "region_id"))
    return _scopes((city, country, regions.get(country)) for city, country in places)


def city_scopes_of(city_ids) -> list[str]:
    """The scopes of the cities with these pks, in one query."""
    from network.models import City

    return _scopes(City.objects.filter(pk__in=list(city_ids)).values_list("pk", "country_id", "country__region_id"))


def city_record_scopes(city) -> list[str]:
    """A city saved or deleted: its scopes, and those of the country it was in before this save (see
    remember_stored_country)."""
    stored = getattr(city, "_stored_country_id", None)
    return place_scopes([(city.pk, city.country_id), (city.pk, stored)])


def remember_stored_country(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of City: the country as stored, so a move refreshes the pages of the country it leaves."""
    if not raw and instance.pk is not None:
        instance._stored_country_id = sender.objects.filter(pk=instance.pk).values_list("country_id", flat=True).first()
