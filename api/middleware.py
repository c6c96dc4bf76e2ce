"""Conditional requests for the API: ETag and Last-Modified follow the cache versions (a 304 reads only those);
and whole answers are kept until the records change, so a repeated question costs a cache read."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from ninja.errors import Throttled

from api.main import AddressRateThrottle, api
from core.cache import cache_key, cached, generation

API_PREFIX = "/api/"


def generation_started() -> int:
    """When this process first saw the records as they are now (epoch seconds): never earlier than the change."""
    return cached("api-last-modified", lambda: int(time.time()))


class ConditionalApiMiddleware:
    """Answers GET and HEAD under /api/ with 304 when the client's copy is of the current generation.

    The ETag is a digest of the generation and the address (path and query), the Last-Modified the time the
    generation was first seen; both change with any record, since any record may change any answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        described = f"{generation()}|{request.get_full_path()}"
        etag = quote_etag(hashlib.sha256(described.encode()).hexdigest()[:32])
        last_modified = generation_started()
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = answer_from_cache(request) or self.get_response(request)
            if response.status_code != 200:
                return response
            keep_answer(request, response)
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date(last_modified))
        # Any cache may keep the answer, and must ask again (cheaply, with the ETag) before reusing it.
        response.headers.setdefault("Cache-Control", "public, no-cache")
        return response


def _answer_key(request) -> str:
    return cache_key("api-answer", request.get_full_path())


def answer_from_cache(request) -> HttpResponse | None:
    """The kept answer to this address in this generation, after the same rate limit the API applies (a 429
    with Retry-After beyond it); None when nothing is kept."""
    kept = cache.get(_answer_key(request))
    if kept is None:
        return None
    throttle = AddressRateThrottle()
    if not throttle.allow_request(request):
        wait = throttle.wait()
        refused = api.on_exception(request, Throttled(wait=wait))
        if wait is not None:
            refused["Retry-After"] = str(max(1, round(wait + 0.5)))
        return refused
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response.from_api_cache = True  # type: ignore[attr-defined]
    return response


def keep_answer(request, response) -> None:
    """Keep a 200 answer (not streamed, no cookie, at most PAGE_CACHE_MAX_BYTES) until the records change:
    every answer reads records only, the same for every client."""
    if response.streaming or response.cookies or getattr(response, "from_api_cache", False):
        return
    if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:
        return
    headers = [(name, value) for name, value in response.headers.items() if name.lower() != "set-cookie"]
    cache.set(_answer_key(request), (response.content, headers))
