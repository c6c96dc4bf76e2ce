"""System checks for the page cache: a configuration that could serve stale pages is flagged at start-up."""

from django.conf import settings
from django.core.checks import Warning, register
from django.db import router

PER_SITE_CACHE = {
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
    "django.middleware.cache.CacheMiddleware",
}


@register()
def check_page_cache(app_configs, **kwargs):
    """core.W001: Django's per-site cache keeps pages for a fixed time whatever changes (core/cache.py keeps them
    only until the records change). core.W002: the cache versions read from another database than the one
    written (a replica), which lags behind."""
    found = []
    stale = PER_SITE_CACHE.intersection(settings.MIDDLEWARE)
    if stale:
        found.append(
            Warning(
                f"{', '.join(sorted(stale))} would serve pages for CACHE_MIDDLEWARE_SECONDS after a change.",
                hint="Remove it: core.cache.cache_page_until_changed caches the public pages, fresh after any change.",
                id="core.W001",
            )
        )
    from core.models import CacheVersion

    read_from = router.db_for_read(CacheVersion)
    if read_from != router.db_for_write(CacheVersion):
        found.append(
            Warning(
                f"The cache versions are read from {read_from!r}, a replica lags behind the writes.",
                hint="Route core.CacheVersion's reads to the primary database.",
                id="core.W002",
            )
        )
    return found
