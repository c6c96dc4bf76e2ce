"""The shapes the API answers with: they are the OpenAPI schema, and the only fields that ever leave it.

Delegates carry name, role and whether they led the delegation, nothing else: contact fields and notes have no
place here, so no query parameter or serializer option can reveal them.
"""

import datetime

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Messages by query parameter.")


class RegionOut(Schema):
    slug: str
    name: str
    url: str


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    slug: str
    region: str = Field(description="Region slug.")
    member_count: int = Field(description="Member cities today.")
    url: str


class TermOut(Schema):
    city: str = Field(description="City slug.")
    start: str | None = Field(description='As precise as known ("2020", "2024-02", "2025-12-04"); null if unknown.')
    start_precision: str = Field(description="year, month or day.")
    end: datetime.date | None = Field(description="Last day of membership; null while a member.")
    end_reason: str


class AwardOut(Schema):
    year: int
    city: str = Field(description="City slug.")
    city_name: str
    country: str = Field(description="ISO code.")
    region: str = Field(description="Region slug.")
    citation: str
    source: str


class CityOut(Schema):
    slug: str
    name: str
    local_name: str
    province: str
    country: str = Field(description="ISO code.")
    country_name: str
    region: str = Field(description="Region slug.")
    status: str = Field(description="current, former or never: on the date asked (`on`), else today.")
    member_since: str | None = Field(description="Start of the covering term, as precise as known; null otherwise.")
    member_since_display: str = Field(description='"2020", "February 2024", "4 December 2025", or "".')
    latitude: float | None
    longitude: float | None
    url: str
    terms: list[TermOut]
    awards: list[int] = Field(description="Award years.")
    clusters: list[str] = Field(description="Cluster slugs.")


class CityPage(Schema):
    licence: str
    results: list[CityOut]
    next: str | None = Field(description="The address of the next page; null on the last.")


class TermPage(Schema):
    licence: str
    results: list[TermOut]
    next: str | None


class ConferenceOut(Schema):
    number: int
    short_name: str
    slug: str
    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    date_precision: str
    dates_display: str
    mode: str
    host_city: str | None = Field(description="City slug.")
    venue: str
    attendance_stated: str = Field(description="As a source stated it; not the delegates counted here.")
    outcome_document: str
    award_year: int | None
    source: str
    delegation_count: int
    city_count: int
    country_count: int
    delegate_count: int
    url: str


class SessionOut(Schema):
    conference: str = Field(description="Conference slug.")
    kind: str
    title: str
    date: datetime.date | None
    start_time: datetime.time | None
    description: str


class DelegateOut(Schema):
    name: str
    role: str
    is_head: bool


class DelegationOut(Schema):
    id: int
    conference: str = Field(description="Conference slug.")
    city: str = Field(description="City slug.")
    city_name: str
    country: str = Field(description="ISO code.")
    city_was_member: bool = Field(description="The city held a membership term on a day of the conference.")
    delegate_count: int = Field(description="All delegates counted, published or not.")
    delegates: list[DelegateOut] = Field(description="Only delegates whose name and role may be published.")


class DelegationPage(Schema):
    licence: str
    results: list[DelegationOut]
    next: str | None


class GeoPoint(Schema):
    type: str = "Point"
    coordinates: list[float] = Field(description="[longitude, latitude].")


class FeatureProperties(Schema):
    slug: str
    name: str
    country: str
    country_name: str
    region: str
    member: bool = Field(description="A member today (or on the day `on` asks about).")
    member_since: str
    url: str


class Feature(Schema):
    type: str = "Feature"
    geometry: GeoPoint
    properties: FeatureProperties


class FeatureCollection(Schema):
    """A GeoJSON FeatureCollection (RFC 7946) of up to `limit` cities; `licence` and `next` are foreign members
    (RFC 7946, 6.1), `next` as in the API's other lists."""

    type: str = "FeatureCollection"
    licence: str
    features: list[Feature]
    next: str | None = Field(description="The address of the next page of features; null on the last.")
