"""Cached figures of the registry (home page, map, growth, counts of long lists), stale as soon as a record changes.

Every key embeds a generation token kept in the cache itself. Saving or deleting any record of the registry
(signals, see watch()) and every bulk write that bypasses signals (imports, generate_network,
fill_coordinates, migrations) replaces the token, so entries of the old generation are never read again and
simply expire. This costs one extra cache read per lookup and needs no list of which keys a change affects.
The token must be shared by every process: with several app servers or workers use Redis (CACHE_URL).
"""

import functools
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

GENERATION_KEY = "registry:generation"
# Entries are never stale within a generation; the timeout only bounds what a process with a private (local
# memory) cache may show after another process changed the records.
TIMEOUT = 10 * 60
_MISSING = object()


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def new_generation() -> None:
    """Start a new generation: nothing cached before is read again."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def registry_changed(**kwargs) -> None:
    """Make every cached figure stale: now, for the rest of this transaction, and again once it commits, in
    case another request filled the cache from the data as it was before the commit."""
    new_generation()
    transaction.on_commit(new_generation)


def cache_key(name: str, *parts) -> str:
    """The key of `name` and `parts` in this generation; "today" is part of it, since who is a member is."""
    described = "|".join(str(part) for part in (timezone.localdate(), *parts))
    return f"registry:{generation()}:{name}:{hashlib.sha256(described.encode()).hexdigest()[:32]}"


def cached(name: str, compute, *parts, timeout: int = TIMEOUT):
    """compute(), or what it returned last for `name` and `parts` since the records last changed, today."""
    key = cache_key(name, *parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def watch(*models) -> None:
    """Make the cached figures stale whenever a row of one of these models is saved or deleted."""
    for model in models:
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"registry-save-{model._meta.label}")
        post_delete.connect(registry_changed, sender=model, dispatch_uid=f"registry-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(registry_changed, sender=through, dispatch_uid=f"registry-m2m-{through._meta.label}")
    # A migration may load or change records with SQL of its own.
    post_migrate.connect(registry_changed, dispatch_uid="registry-migrate")


def cache_page_until_changed(view):
    """Serve a page that shows the same to every visitor from the cache until the records change. Pages with
    many addresses (city profiles, directory searches) too: the cache drops those nobody asks for again."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = cache_key("page", request.build_absolute_uri())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, response, TIMEOUT)
        return response

    return cached_view
