"""The page cache and cached figures of the registry, fresh on the next request in every process.

Every key embeds the tokens of the *scopes* it depends on, and those tokens live in the database
(core.models.CacheVersion), not in the cache: a change committed by any process (a gunicorn worker, another app
server, a command run from a shell) is seen by every other process on its next request, whatever the cache
backend, even a private local-memory cache per process. The price is one primary-key query per cached request.

Scopes let a change invalidate what it affects rather than everything:
- "shared": records every page may show (regions, countries, conferences, clusters). Every key depends on it;
  bulk writes that send no signals and do not name what they changed (generate_network, fill_coordinates,
  migrations, some imports) bump it.
- "lists": every list, count and figure that sums records (directory, reports, conference and country pages).
- narrower list scopes an app declares with list_scope() ("participation", for delegations and delegates): a
  change to those records bumps it rather than "lists". Every list depends on "lists" and on every such scope,
  except the lists that declare which they read (the directory and the map read cities, not delegations).
- "imports": the import records (previewed, applied, dropped), which only the staff dashboard counts.
- per-record scopes such as "city:42": the pages of one record (its profile, its history), declared by the app
  with watch(..., record_scopes=...). A change to a city's terms bumps "city:42" and "lists", so the other
  99,999 city profiles stay cached.

Tokens are written when the change commits (on_commit), so no transaction holds a lock on a version row while it
runs; until then the changing transaction reads the scopes it changed under tokens of its own.
"""

import functools
import hashlib
import threading
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import InterfaceError, OperationalError, connection, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse, HttpResponseNotAllowed, QueryDict
from django.utils import timezone, translation
from django.utils.http import urlencode

SHARED = "shared"
LISTS = "lists"
# Bumped by bulk writes only (registry_changed): figures kept per record (a conference's counts) depend on it and
# on their record's scope, so an edit recounts one record, not all of them.
BULK = "bulk"
# Bumped when an import record is stored, applied or dropped: only the staff dashboard, which counts the imports
# previewed and never applied, depends on it (a preview changes no record).
IMPORTS = "imports"
# The narrower list scopes apps declared (list_scope()); every list depends on LISTS and these unless it says.
_LIST_SCOPES: list[str] = []


def list_scope(name: str) -> str:
    """Declare `name` a list scope: changes watched with watch(..., lists=name) bump it instead of LISTS, and
    every list, count and figure depends on it unless it names the scopes it reads (cached(scopes=...),
    cache_page_until_changed(lists=...)). Returns `name`. Call it from the app's ready(), before any request."""
    if name not in _LIST_SCOPES:
        _LIST_SCOPES.append(name)
    return name


def every_list() -> tuple[str, ...]:
    """The scopes a list depends on when it does not say: SHARED, LISTS and every declared list scope."""
    return (SHARED, LISTS, *_LIST_SCOPES)


# Entries are never stale within a generation; the timeout only makes unused entries of old tokens go.
TIMEOUT = 10 * 60
# Pages larger than this are kept compressed: HTML shrinks 4-100x (the participation matrix, 1.6 MB drawn in 0.7 s
# at the stress size, to 14 KB), and decompressing costs about 1 ms per MB; smaller ones are kept as they are.
COMPRESS_ABOVE = 64 * 1024
_MISSING = object()


def _pending() -> dict[str, str]:
    """The scopes the current transaction changed, with the tokens this transaction reads for them until it
    commits; forgotten when it ends (commit, rollback, or no transaction at all)."""
    blocks = connection.atomic_blocks
    owner = id(blocks[0]) if blocks else None
    state = getattr(connection, "_cache_pending", None)
    if state is None or state[0] != owner:
        state = (owner, {})
        connection._cache_pending = state  # type: ignore[attr-defined]
    return state[1]


class _RequestMemo(threading.local):
    """The tokens read during the current request: one query per request, not one per cached figure."""

    tokens: dict[str, str] | None = None


_memo = _RequestMemo()


def _start_request(**kwargs) -> None:
    _memo.tokens = {}


def _end_request(**kwargs) -> None:
    _memo.tokens = None


request_started.connect(_start_request, dispatch_uid="core-cache-request-started")
request_finished.connect(_end_request, dispatch_uid="core-cache-request-finished")


def _read(scopes: list[str]) -> dict[str, str]:
    memo = _memo.tokens
    missing = scopes if memo is None else [scope for scope in scopes if scope not in memo]
    if not missing:
        return memo  # type: ignore[return-value]
    tokens = _select_tokens(missing)
    tokens.update((scope, "0") for scope in missing if scope not in tokens)
    if memo is None:
        return tokens
    memo.update(tokens)
    return memo


def _select_tokens(scopes: list[str]) -> dict[str, str]:
    """{scope: token} of the scopes that have a row, in one round trip: plain SQL, as this runs on every request
    and the ORM's compiling cost more than the query. It doubles as the connection's health check
    (CONN_HEALTH_CHECKS), which would otherwise send a "SELECT 1" of its own first: a connection the database
    dropped is closed and the query sent once more on a new one, as the health check would have done."""
    from core.models import CacheVersion

    db: Any = connections[router.db_for_read(CacheVersion)]  # the health check's attributes are not in the stubs
    checking = (
        db.connection is not None and db.health_check_enabled and not db.health_check_done and not db.in_atomic_block
    )
    if checking:
        db.health_check_done = True
        try:
            return _select_tokens_on(db, scopes)
        except (InterfaceError, OperationalError):
            db.close()
    return _select_tokens_on(db, scopes)


def _select_tokens_on(db, scopes: list[str]) -> dict[str, str]:
    from core.models import CacheVersion

    table = db.ops.quote_name(CacheVersion._meta.db_table)
    if db.vendor == "postgresql":
        # Bound on the server, so that it is planned once per connection (psycopg prepares a statement run five
        # times) rather than parsed with its literals each time: 57 µs a round trip instead of 103, half the CPU
        # of both sides. One parameter, an array written as text: the same statement for any number of scopes (a
        # page asks for two or three, the figures kept per country for 206). Measured on the slow machine of
        # 2026-11-30 (client CPU a call): 3 scopes 236-249 µs against 260-268 with a placeholder each, 206 scopes
        # 436-449 µs against 1.85-2.1 ms; a Python list as the parameter cost 80 µs more than either for 3.
        with _server_bound_cursor(db) as cursor:
            cursor.execute(f"SELECT scope, token FROM {table} WHERE scope = ANY(%s::text[])", [_text_array(scopes)])
            return dict(cursor.fetchall())
    with db.cursor() as cursor:
        cursor.execute(f"SELECT scope, token FROM {table} WHERE scope IN ({', '.join(['%s'] * len(scopes))})", scopes)
        return dict(cursor.fetchall())


def _text_array(values: list[str]) -> str:
    """A PostgreSQL array literal of `values`, each quoted ('{"city:42","shared"}'), for a text[] parameter."""
    return "{" + ",".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


def _server_bound_cursor(db):
    """A cursor of psycopg's server-side binding on `db`, wrapped as Django wraps its own (errors, query log);
    Django's cursors bind on the client unless every query of the site is switched (server_side_binding)."""
    import psycopg

    db.ensure_connection()
    with db.wrap_database_errors:
        return db._prepare_cursor(psycopg.Cursor(db.connection))


def versions(scopes: Iterable[str]) -> tuple[str, ...]:
    """The tokens of `scopes`, in order, as this connection sees them: "0" for a scope never changed; for one the
    current transaction changed, a token of its own that no other process knows (entries it writes under it
    are read by nobody else and die with it). Read from the database once per request."""
    scopes = list(scopes)
    pending = _pending()
    tokens = _read(scopes)
    return tuple(pending.get(scope) or tokens[scope] for scope in scopes)


def bump(scopes: Iterable[str]) -> None:
    """Give `scopes` new tokens once the current transaction commits (at once outside a transaction)."""
    scopes = set(scopes)
    if not scopes:
        return
    if connection.in_atomic_block:
        _pending().update((scope, uuid.uuid4().hex) for scope in scopes)
        transaction.on_commit(_write_pending)  # a no-op once an earlier callback wrote them
    else:
        _write(scopes)


def _write_pending() -> None:
    pending = connection._cache_pending[1]  # type: ignore[attr-defined]
    scopes = set(pending)
    pending.clear()
    if scopes:
        _write(scopes)  # new tokens: what this transaction cached may include work a savepoint rolled back


def _write(scopes: set[str]) -> None:
    from core.models import CacheVersion

    rows = [CacheVersion(scope=scope, token=uuid.uuid4().hex) for scope in sorted(scopes)]
    CacheVersion.objects.bulk_create(rows, update_conflicts=True, unique_fields=["scope"], update_fields=["token"])
    if _memo.tokens is not None:
        _memo.tokens.update((row.scope, row.token) for row in rows)


def generation() -> str:
    """The combined token of the shared scopes, for tests and commands that check a change was noticed."""
    return "|".join(versions(every_list()))


def new_generation() -> None:
    """Start a new generation of everything, the figures kept per record too: nothing cached before is read
    again."""
    bump([SHARED, LISTS, BULK])


def registry_changed(**kwargs) -> None:
    """Make every cached page and figure stale, the figures kept per record too: for bulk writes, which send no
    signals."""
    new_generation()


def _key(name: str, scopes: Iterable[str], parts: Iterable) -> str:
    return _keys_of(name)(versions(scopes), parts)


def _keys_of(name: str, *, per_language: bool = True) -> Callable[[Iterable[str], Iterable], str]:
    """A function (tokens, parts) -> the key of `name` today in the active language (or in every language, "*",
    when not `per_language`), both read once: a call of cached_per_record makes a key per record (205
    countries), and reading them per key took most of its time."""
    # "today" is part of every key, since who is a member is; the active language too, as every text is translated.
    context = f"{timezone.localdate()}|{translation.get_language() if per_language else '*'}"

    def key(tokens: Iterable[str], parts: Iterable) -> str:
        described = "|".join((context, *map(str, parts)))
        digest = hashlib.sha256(described.encode()).hexdigest()[:32]
        return f"registry:{name}:{hashlib.sha256('|'.join(tokens).encode()).hexdigest()[:16]}:{digest}"

    return key


def cache_key(name: str, *parts, scopes: Iterable[str] | None = None) -> str:
    """The key of `name` and `parts` under the current tokens of `scopes` (default: every_list())."""
    return _key(name, every_list() if scopes is None else scopes, parts)


def cached(name: str, compute: Callable, *parts, timeout: int = TIMEOUT, scopes: Iterable[str] | None = None):
    """compute(), or what it returned last for `name` and `parts` since the records of `scopes` (default:
    every_list()) last changed."""
    key = cache_key(name, *parts, scopes=scopes)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_per_record(
    name: str, compute_missing: Callable[[list], dict], pks: Iterable, *, scope: str, per_language: bool = True
) -> dict:
    """{pk: value} for each of `pks`, each value kept under the scopes BULK and f"{scope}:{pk}", so a change to
    one record (which bumps its scope) recounts that record only. `compute_missing(pks)` returns {pk: value} for
    the pks not kept (a pk it leaves out gets None). Two cache round trips, one query for the tokens.
    Values are kept per language unless `per_language` is False, for values that hold no text (counts, pks,
    years): those are counted once for the four languages, not once in each."""
    pks = sorted(set(pks))
    bulk, *own = versions([BULK, *(f"{scope}:{pk}" for pk in pks)])  # one query for all the tokens
    key_of = _keys_of(name, per_language=per_language)
    keys = {key_of((bulk, token), (pk,)): pk for pk, token in zip(pks, own, strict=True)}
    values = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = [pk for pk in pks if pk not in values]
    if missing:
        computed = compute_missing(missing)
        fresh = {pk: computed.get(pk) for pk in missing}
        cache.set_many({key: fresh[pk] for key, pk in keys.items() if pk in fresh}, TIMEOUT)
        values.update(fresh)
    return values


def _on_save_or_delete(record_scopes, lists: str):
    def changed(sender, instance, **kwargs):
        own = list(record_scopes(instance)) if record_scopes else []
        bump([*own, lists] if record_scopes else [SHARED])

    return changed


def watch(*models, record_scopes: Callable[[object], Iterable[str]] | None = None, lists: str = LISTS) -> None:
    """Make the cached pages stale whenever a row of one of these models is saved or deleted.

    Without `record_scopes` a change bumps "shared" (every page). With it, the records belong to another
    record's pages: a change bumps what record_scopes(instance) returns (["city:42"]) and `lists` ("lists", or a
    narrower scope declared with list_scope())."""
    handler = _on_save_or_delete(record_scopes, lists)
    for model in models:
        label = model._meta.label
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"registry-save-{label}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"registry-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            # Either side may change a many-to-many relation: treat it as shared rather than guess the record.
            m2m_changed.connect(registry_changed, sender=through, dispatch_uid=f"registry-m2m-{through._meta.label}")
    # A migration may load or change records with SQL of its own.
    post_migrate.connect(registry_changed, dispatch_uid="registry-migrate")


def _page_key(request, query: str) -> str:
    """The key of a page: its host, path and query string, in the active language and today's date; no tokens,
    which the entry holds (an entry of old tokens is replaced by the next render, not left beside it)."""
    described = "|".join((str(timezone.localdate()), translation.get_language(), request.get_host(), request.path))
    described = f"{described}|{query}"
    return f"registry:page:{hashlib.sha256(described.encode()).hexdigest()[:32]}"


def _canonical_query(request, params) -> str:
    """The parameters the page reads, sorted, empty and default values dropped, as a query string."""
    return urlencode(
        sorted(
            (name, value)
            for name in params
            for value in map(_normalised, request.GET.getlist(name))
            if value not in ("", params[name])
        )
    )


def _normalised(value: str) -> str:
    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() else value  # "01" is page 1, not a new entry


def _allowed(request) -> HttpResponse | None:
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
        response["Allow"] = "GET, HEAD, OPTIONS"
        response["Content-Length"] = "0"
        return response
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS"])
    return None


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or getattr(request, "page_uncacheable", False):
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return True


def _entry(scopes: tuple[str, ...], tokens: tuple[str, ...], response, *, whole: bool) -> tuple | None:
    """What the cache keeps of a page: its scopes and their tokens, whether its headers are whole (they include
    what the middleware inside PageCacheMiddleware add, so it may be answered there), its status, headers and
    bytes; None when the bytes kept would exceed PAGE_CACHE_MAX_BYTES. Plain values rather than a pickled
    response: a fraction of the bytes and of the time. Pages over COMPRESS_ABOVE bytes are kept compressed."""
    content, compressed = response.content, len(response.content) > COMPRESS_ABOVE
    if compressed:
        content = zlib.compress(content)
    if len(content) > settings.PAGE_CACHE_MAX_BYTES:
        return None
    return (scopes, tokens, whole, response.status_code, list(response.items()), content, compressed)


def _usable(entry) -> bool:
    # An entry kept by another release in another shape is a miss, not an error (the next drawing replaces it).
    return isinstance(entry, tuple) and len(entry) == 7


def _fresh(entry) -> bool:
    """Whether a kept entry is of the current tokens of the scopes it was kept under."""
    return versions(entry[0]) == entry[1]


def _restored(entry) -> HttpResponse:
    status, headers, content, compressed = entry[3:]
    return HttpResponse(zlib.decompress(content) if compressed else content, status=status, headers=dict(headers))


def dont_cache(request) -> None:
    """Keep this answer out of the page cache: its parameters are invalid (the page says so, the next one may not)."""
    request.page_uncacheable = True


def _known_only(request, params) -> None:
    """Drop from the request the parameters the page does not read: the page rendered (and its links, which
    keep the query string) is then the same as the one without them, and shares its cache entry."""
    if all(name in params for name in request.GET):
        return
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def cache_page_until_changed(view=None, *, params: dict[str, str] | None = None, scopes=None, lists=None):
    """Serve a page that shows the same to every visitor from the cache until the records it shows change.

    - params: the query parameters the page reads, each with its default value ({"page": "1"}). An address
      with other parameters (`?x=<random>`) is answered as the one without them: they are dropped from the
      request, so they make no new entry; the key holds the declared ones sorted, without empty or default
      values ("01" reads as "1").
    - scopes(request, **kwargs): the per-record scopes of a record's own page (["city:42"]); the page then
      depends on "shared" and those, not on the lists. Without it: every_list(). The scopes of an address
      may change only with a change that bumps one of them (a city's slug is its own record's): PageCacheMiddleware
      answers an address from the scopes its entry was kept under, without asking again.
    - lists: for a list page, the list scopes it reads ((LISTS,): the directory, which shows no delegation);
      default every_list(). A page that names them must show nothing that a change of another one changes.
    The view calls dont_cache(request) when the parameters are invalid: such a page is answered, not kept.
    Only 200 answers are kept, up to PAGE_CACHE_MAX_BYTES as kept (compressed above COMPRESS_ABOVE). OPTIONS
    answers without rendering; other methods than GET, HEAD and OPTIONS get 405.
    """
    if view is None:
        return functools.partial(cache_page_until_changed, params=params, scopes=scopes, lists=lists)
    read = params or {}

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        refused = _allowed(request)
        if refused is not None:
            return refused
        _known_only(request, read)
        own = (SHARED, *scopes(request, **kwargs)) if scopes else (SHARED, *lists) if lists else every_list()
        _read([*own, *every_list()])  # one query for the page and any figure it computes
        key = tokens = None
        if not getattr(request, "page_uncacheable", False):
            key, tokens = _page_key(request, _canonical_query(request, read)), versions(own)
            entry = cache.get(key)
            if _usable(entry) and entry[:2] == (own, tokens):
                return _restored(entry)
        response = view(request, *args, **kwargs)
        if key and tokens is not None and _storable(request, response):
            if hasattr(request, "page_cache_entry"):
                request.page_cache_entry = (key, own, tokens)  # PageCacheMiddleware keeps it with every header
            elif (entry := _entry(own, tokens, response, whole=False)) is not None:
                cache.set(key, entry, TIMEOUT)
        return response

    return cached_view


class _LocalPages:
    """The whole pages this process answered last, up to PAGE_CACHE_LOCAL_BYTES: copies of entries of the shared
    cache, so that a page asked for again costs no cache round trip. A copy is checked against the tokens on every
    request, as an entry read from the cache is, so it is never staler than the cache."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        with self._lock:
            self._drop(key)
            if len(entry[5]) > limit:
                return
            self._entries[key] = entry
            self._bytes += len(entry[5])
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        dropped = self._entries.pop(key, None)
        if dropped is not None:
            self._bytes -= len(dropped[5])


_local = _LocalPages()


class PageCacheMiddleware:
    """Answers the cached pages before the middleware after it, the URL resolver and the view run.

    It looks the request's address up as it came (host, path, query string, language): the page kept under it
    if cache_page_until_changed kept one for exactly this address, its parameters already in their canonical
    form. The entry holds the scopes it depends on and their tokens when it was drawn; it is answered only if
    they are still the current tokens (one query, as every cached request makes), so freshness is as without it.
    What it answers is what the stack inside it answered when the page was drawn, headers included (CSP,
    X-Frame-Options, Content-Length); an answer that sets a cookie or varies by cookie is not kept. Any other
    address goes through as before (one cache read more). Goes after LocaleMiddleware, which picks the language,
    and before SessionMiddleware and everything that may differ per visitor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not hasattr(request, "LANGUAGE_CODE"):
            return self.get_response(request)
        key = _page_key(request, request.META.get("QUERY_STRING", ""))
        entry = self._answerable(key)
        if entry is not None:
            return _restored(entry)
        request.page_cache_entry = None
        response = self.get_response(request)
        if request.page_cache_entry is not None and _whole_storable(response):
            key, scopes, tokens = request.page_cache_entry
            if (entry := _entry(scopes, tokens, response, whole=True)) is not None:
                cache.set(key, entry, TIMEOUT)
                if settings.PAGE_CACHE_LOCAL_BYTES:
                    _local.put(key, entry)
        return response

    @staticmethod
    def _answerable(key: str) -> tuple | None:
        """The entry kept whole under `key` if its tokens are current: this process's copy, else the cache's."""
        local = settings.PAGE_CACHE_LOCAL_BYTES
        entry = _local.get(key) if local else None
        if entry is not None:
            if _fresh(entry):
                return entry
            _local.discard(key)
        entry = cache.get(key)
        if not (_usable(entry) and entry[2] and _fresh(entry)):
            return None
        if local:
            _local.put(key, entry)
        return entry


def _whole_storable(response) -> bool:
    # The answer as every visitor gets it: no cookie set, nothing that varies by visitor.
    vary = response.get("Vary", "").lower()
    return response.status_code == 200 and not response.streaming and not response.cookies and "cookie" not in vary
