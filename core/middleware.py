"""Middleware of core: refuse TRACE before anything else runs."""

from django.http import HttpResponseNotAllowed


def refuse_trace(get_response):
    """TRACE echoes a request back (cross-site tracing); no page of the site answers it."""

    def middleware(request):
        if request.method == "TRACE":
            return HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS", "POST"])
        return get_response(request)

    return middleware
