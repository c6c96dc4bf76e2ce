"""Conditional requests for the API: ETag and Last-Modified follow the cache versions, which a 304 alone reads."""

import hashlib
import time

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from core.cache import cached, generation

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
            response = self.get_response(request)
            if response.status_code != 200:
                return response
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date(last_modified))
        # Any cache may keep the answer, and must ask again (cheaply, with the ETag) before reusing it.
        response.headers.setdefault("Cache-Control", "public, no-cache")
        return response
