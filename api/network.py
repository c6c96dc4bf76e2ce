"""API endpoints of the network: regions, countries, cities (the directory's filters, keyset pages), terms, awards,
and the GeoJSON the interactive map draws."""

import datetime
import json
from typing import Literal, NamedTuple

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.cursors import after, decode, encode, keyset_page
from api.paging import SLUG, SLUG_PATTERN, error, next_url
from api.schemas import AwardOut, CityOut, CityPage, CountryOut, ErrorOut, FeatureCollection, RegionOut, TermPage
from core.cache import cached
from core.dates import format_partial_date, iso_partial_date
from core.translation import localized
from network.forms import DirectoryFilterForm
from network.membership import status_of
from network.models import Award, City, ClusterMembership, Country, MembershipTerm, Region
from network.selectors import country_figures

router = Router(tags=["network"])
LANGUAGE_PATTERN = "^(" + "|".join(code for code, _name in settings.LANGUAGES) + ")$"


class CityFilters(Schema):
    """The member directory's filters, with the same names and meaning (network.forms.DirectoryFilterForm)."""

    q: str | None = Field(None, max_length=100, description="Part of the name, accents and case ignored.")
    region: str | None = Field(None, max_length=64, pattern=SLUG_PATTERN, description="Region slug.")
    country: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN, description="Country slug.")
    status: Literal["current", "former", "all"] | None = Field(None, description="Default: current members.")
    on: datetime.date | None = Field(None, description="Members on this day (overrides status).")
    joined: int | None = Field(None, ge=1900, le=2999, description="Year a membership term started.")
    cluster: str | None = Field(None, max_length=120, pattern=SLUG_PATTERN, description="Cluster slug.")


def _filtered_cities(filters: CityFilters):
    """The cities the filters ask for, annotated with their membership, or the form's messages."""
    data = {key: value for key, value in filters.dict().items() if value is not None}
    form = DirectoryFilterForm(data)
    if not form.is_valid():
        return None, form
    return form.filter(City.objects.select_related("country__region")), form


def term_out(city_slug: str, start_date, start_precision: str, end_date, end_reason: str) -> dict:
    """A membership term as the API writes it, from its fields (a MembershipTerm's, or values read for many)."""
    return {
        "city": city_slug,
        "start": iso_partial_date(start_date, start_precision) or None,
        "start_precision": start_precision,
        "end": end_date,
        "end_reason": end_reason,
    }


class CityRecords(NamedTuple):
    """What city_out() writes of a city's own records: its terms (as term_out), award years, cluster slugs."""

    terms: list[dict]
    awards: list[int]
    clusters: list[str]


def city_records(cities: list[City]) -> dict[int, CityRecords]:
    """{city pk: CityRecords} of these cities, in three queries of values, in the orders of the models' Meta.

    prefetch_related_objects() gave the same, but made a queryset per city and relation and a model instance per
    record: 0.35 s of the 0.6 s of a first page of 500 cities at the stress size (django-modeltranslation's
    querysets are slow to clone)."""
    pks, slugs = [city.pk for city in cities], {city.pk: city.slug for city in cities}
    records = {pk: CityRecords([], [], []) for pk in pks}
    terms = MembershipTerm.objects.filter(city__in=pks).order_by(F("start_date").asc(nulls_first=True), "pk")
    for city, *fields in terms.values_list("city", "start_date", "start_precision", "end_date", "end_reason"):
        records[city].terms.append(term_out(slugs[city], *fields))
    for city, year in Award.objects.filter(city__in=pks).order_by("-year", "pk").values_list("city", "year"):
        records[city].awards.append(year)
    clusters = ClusterMembership.objects.filter(city__in=pks).order_by("cluster__name", "pk")
    for city, slug in clusters.values_list("city", "cluster__slug"):
        records[city].clusters.append(slug)
    return records


def city_out(city: City, records: CityRecords) -> dict:
    """A city annotated by CityQuerySet.with_membership(), with its records (city_records())."""
    member_since = city.member_since if city.is_member else None
    return {
        "slug": city.slug,
        "name": city.name,
        "local_name": city.local_name,
        "province": city.province,
        "country": city.country.code,
        "country_name": city.country.name,
        "region": city.country.region.slug,
        "status": status_of(is_member=city.is_member, has_terms=city.has_terms).value,
        "member_since": iso_partial_date(member_since, city.member_since_precision) or None,
        "member_since_display": format_partial_date(member_since, city.member_since_precision) or "",
        "latitude": float(city.latitude) if city.latitude is not None else None,
        "longitude": float(city.longitude) if city.longitude is not None else None,
        "url": city.get_absolute_url(),
        "terms": records.terms,
        "awards": records.awards,
        "clusters": records.clusters,
    }


@router.get("/regions", response=list[RegionOut], summary="UNESCO's five regions")
def region_list(request):
    return [{"slug": r.slug, "name": r.name, "url": r.get_absolute_url()} for r in Region.objects.all()]


@router.get("/countries", response=list[CountryOut], summary="Countries with a city on record")
def country_list(request):
    countries = list(Country.objects.having_cities().select_related("region").order_by("name"))
    # The counts kept per country for the country pages: after an edit, one country is counted again, not the
    # 100,000 cities of the stress size (0.37 s).
    members = {pk: figures.current for pk, figures in country_figures([c.pk for c in countries]).items()}
    return [
        {
            "code": c.code,
            "name": c.name,
            "slug": c.slug,
            "region": c.region.slug,
            "member_count": members.get(c.pk, 0),
            "url": c.get_absolute_url(),
        }
        for c in countries
    ]


@router.get("/cities", response={200: CityPage, 400: ErrorOut}, summary="Cities, filtered as the directory")
def city_list(
    request,
    filters: Query[CityFilters],
    cursor: str | None = Query(None, max_length=400, description="From `next` of the page before."),
    limit: int = Query(100, ge=1, le=500),
):
    cities, form = _filtered_cities(filters)
    if cities is None:
        return Status(400, error("The filters are not valid.", form.errors))
    page = keyset_page(cities, fields=("name", "pk"), cursor=cursor, limit=limit)
    records = city_records(page.rows)
    return {
        "licence": settings.OPEN_DATA_LICENCE,
        "results": [city_out(city, records[city.pk]) for city in page.rows],
        "next": next_url(request, page.next_cursor),
    }


@router.get("/cities/{slug}", response={200: CityOut, 404: ErrorOut}, summary="One city, member or not")
def city_detail(request, slug: str = SLUG):
    city = get_object_or_404(City.objects.select_related("country__region").with_membership(), slug=slug)
    return city_out(city, city_records([city])[city.pk])


# Features per GeoJSON page: a page of 2,500 is written in about 100 ms when nothing is cached (benchmark_pages
# at the stress size), and the realistic network (about 1,000 placed cities) fits one page.
GEOJSON_PAGE = 2500


def _features(request, cities, cursor: str | None, limit: int) -> str:
    """One page of the GeoJSON of `cities` with coordinates, in name order after `cursor`, its labels in the
    active language (country names from CLDR), as JSON text. Raises BadCursor."""
    cities = cities.with_coordinates().order_by("name", "pk")
    if cursor:
        cities = cities.filter(after(("name", "pk"), decode(cursor, 2)))
    rows = cities.annotate(country_label=localized("country__name")).values_list(
        "slug",
        "name",
        "country__code",
        "country_label",
        "country__region__slug",
        "latitude",
        "longitude",
        "member_since",
        "member_since_precision",
        "is_member",
        "pk",
    )[: limit + 1]
    fetched = list(rows)
    rows, more = fetched[:limit], len(fetched) > limit
    # The labels of a few thousand distinct join dates, each formatted once: Django's formatter takes about
    # 70 µs a call, 6 s for the 80,000 members of the stress size.
    labels: dict[tuple, str] = {}

    def since_label(since, precision) -> str:
        if (since, precision) not in labels:
            labels[since, precision] = format_partial_date(since, precision)
        return labels[since, precision]

    # The city pages' address in the request's language (/en/cities/), reversed once rather than per city.
    cities_path = reverse("network:city_list")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {
                "slug": slug,
                "name": name,
                "country": code,
                "country_name": country,
                "region": region,
                "member": bool(member),
                "member_since": since_label(since, precision) if member else "",
                "url": f"{cities_path}{slug}/",
            },
        }
        for slug, name, code, country, region, lat, lon, since, precision, member, _pk in rows
    ]
    body = {
        "type": "FeatureCollection",
        "licence": settings.OPEN_DATA_LICENCE,
        "features": features,
        "next": next_url(request, encode([rows[-1][1], rows[-1][-1]])) if more else None,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


@router.get(
    "/cities.geojson",
    response={200: FeatureCollection, 400: ErrorOut},
    summary="Cities with coordinates as GeoJSON points (the interactive map's markers)",
)
def city_geojson(
    request,
    filters: Query[CityFilters],
    language: str | None = Query(
        None,
        pattern=LANGUAGE_PATTERN,
        description="Country names, join dates and page links in this language (the map's labels); default en.",
    ),
    cursor: str | None = Query(None, max_length=400, description="From `next` of the page before."),
    limit: int = Query(GEOJSON_PAGE, ge=1, le=GEOJSON_PAGE),
):
    cities, form = _filtered_cities(filters)
    if cities is None:
        return Status(400, error("The filters are not valid.", form.errors))
    # Drawn once per filter until the records change: thousands of features take longer to write than to read.
    # The language is asked for in the address, never taken from the browser: one address, one answer.
    with translation.override(language or "en"):
        key = [*sorted(filters.dict().items()), cursor, limit]  # and by language
        body = cached("api-geojson", lambda: _features(request, cities, cursor, limit), key)
    return HttpResponse(body, content_type="application/json")


@router.get("/terms", response={200: TermPage, 400: ErrorOut, 404: ErrorOut}, summary="Membership terms")
def term_list(
    request,
    city: str | None = Query(None, max_length=220, pattern=SLUG_PATTERN, description="City slug."),
    cursor: str | None = Query(None, max_length=400),
    limit: int = Query(100, ge=1, le=500),
):
    terms = MembershipTerm.objects.annotate(city_slug=F("city__slug"))
    if city:
        terms = terms.filter(city=get_object_or_404(City.objects.only("pk"), slug=city))
    page = keyset_page(terms, fields=("pk",), cursor=cursor, limit=limit)
    return {
        "licence": settings.OPEN_DATA_LICENCE,
        "results": [
            term_out(term.city_slug, term.start_date, term.start_precision, term.end_date, term.end_reason)
            for term in page.rows
        ],
        "next": next_url(request, page.next_cursor),
    }


@router.get("/awards", response=list[AwardOut], summary="UNESCO Learning City Award winners")
def award_list(
    request,
    year: int | None = Query(None, ge=2015, le=2999),
    region: str | None = Query(None, max_length=64, pattern=SLUG_PATTERN, description="Region slug."),
):
    awards = Award.objects.select_related("city__country__region").order_by("-year", "city__name", "pk")
    if year:
        awards = awards.filter(year=year)
    if region:
        awards = awards.filter(city__country__region__slug=region)
    return [
        {
            "year": a.year,
            "city": a.city.slug,
            "city_name": a.city.name,
            "country": a.city.country.code,
            "region": a.city.country.region.slug,
            "citation": a.citation,
            "source": a.source,
        }
        for a in awards
    ]
