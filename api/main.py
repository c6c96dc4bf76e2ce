"""The open-data API (/api/v1/): read-only JSON of the network and the conferences, with its OpenAPI 3 schema.

Built on django-ninja: the schema comes from the type hints of the endpoints, the docs page and its assets come
from the package's static files (no other host, no inline script), and throttling answers 429 with Retry-After.

Not translated, on purpose: the field descriptions and error sentences of this machine interface (its OpenAPI
schema, `detail` of an error body) stay English, like its field names, so clients and their docs never vary by
language. Messages of the shared filter forms (`errors`) come from network.forms and follow the active language.
"""

import functools

from django.conf import settings
from django.http import Http404
from django.urls import URLPattern
from django.utils import translation
from ninja import NinjaAPI
from ninja.throttling import SimpleRateThrottle

from api import conferences, network
from api.cursors import BadCursor
from api.paging import error
from config.proxy import client_address_behind_proxy


class AddressRateThrottle(SimpleRateThrottle):
    """settings.API_RATE_LIMIT requests per client address; the address behind a proxy as django-axes sees it."""

    scope = "api"

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        # Read the rate on each request, so a changed setting (or a test's) takes effect at once.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
        address = client_address_behind_proxy(request) if behind_proxy else request.META.get("REMOTE_ADDR")
        return f"api-throttle:{address}"


def in_english(view):
    """`view` answering in English whatever language the request asked for (Accept-Language, the URL)."""

    @functools.wraps(view)
    def english_view(request, *args, **kwargs):
        with translation.override("en"):
            return view(request, *args, **kwargs)

    return english_view


class OpenDataAPI(NinjaAPI):
    """The API answers in English: a machine interface whose names (UNESCO's English country names, the
    conferences' English titles) stay the same for every client, as a stable key (docs/api.md)."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = in_english(pattern.callback)
        return urls


api = OpenDataAPI(
    title="Learning Cities Registry open data",
    version="1",
    description=(
        "Read-only open data of the network: regions, countries, member cities and their terms, awards, clusters, "
        "conferences, sessions and delegations. No delegate contact details, ever. "
        f"Licence: {settings.OPEN_DATA_LICENCE}."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[AddressRateThrottle()],
)
api.add_router("", network.router)
api.add_router("", conferences.router)


@api.exception_handler(BadCursor)
def bad_cursor(request, exc):
    return api.create_response(request, error(str(exc), {"cursor": [str(exc)]}), status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error("Nothing here: check the slug."), status=404)
