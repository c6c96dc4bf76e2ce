"""The pages benchmark_pages times and explain_pages explains: every public page, API endpoint, report and main
changelist, each shown for the largest city, country, region and conference of the database at hand."""

import contextlib
import gc
import json
import math
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.cursors import encode
from conferences.models import Conference, Delegate, Delegation
from network.models import City, Country, MembershipTerm, Region
from network.views import CityListView
from reports.base import get_report_class, registered_reports
from reports.export import Export

PUBLIC, REPORT, ADMIN, API = "public", "report", "admin", "api"
# The exports timed for rows/s and peak memory: the largest table in both formats, and the other big lists.
ADMIN_CHANGELISTS = [
    "network_city",
    "network_membershipterm",
    "conferences_conference",
    "conferences_delegation",
    "conferences_delegate",
]
EXPORTS = [("delegates", "csv"), ("delegates", "xlsx"), ("cities", "csv"), ("delegations", "csv")]


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    kind: str


@dataclass
class Timing:
    name: str
    kind: str
    url: str
    first_ms: float  # the first request, before any cache holds it
    median_ms: float
    p95_ms: float
    queries_first: int
    queries: int  # on a warm request
    status: int
    firsts: list[float] = field(default_factory=list)  # the first request of each round (best_of() gathers them)

    @property
    def first_p95_ms(self) -> float:
        """The p95 of the first requests of every round, nearest rank (the slowest of up to 20 rounds): the figure
        issue 14's "first request after a change under 300 ms at p95" reads; first_ms keeps the best round."""
        firsts = sorted(self.firsts or [self.first_ms])
        return firsts[math.ceil(0.95 * len(firsts)) - 1]


@dataclass
class ExportTiming:
    name: str
    rows: int
    seconds: float
    peak_rss_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Results:
    database: str
    sizes: dict
    pages: list[Timing] = field(default_factory=list)
    exports: list[ExportTiming] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Results":
        data = json.loads(text)
        pages = [Timing(**page) for page in data["pages"]]
        exports = [ExportTiming(**export) for export in data["exports"]]
        return cls(data["database"], data["sizes"], pages, exports)


def best_of(earlier: Results | None, later: Results) -> Results:
    """Each page's best figures of two runs, as timeit keeps the best: slower runs measure other jobs too."""
    if earlier is None:
        return later
    best = {timing.name: timing for timing in earlier.pages}
    for timing in later.pages:
        if timing.name in best:
            old = best[timing.name]
            timing.median_ms, timing.p95_ms = min(old.median_ms, timing.median_ms), min(old.p95_ms, timing.p95_ms)
            timing.firsts = [*(old.firsts or [old.first_ms]), *(timing.firsts or [timing.first_ms])]
            timing.first_ms = min(old.first_ms, timing.first_ms)
        best[timing.name] = timing
    return Results(later.database, later.sizes, list(best.values()), later.exports or earlier.exports)


def database_sizes() -> dict:
    return {
        "cities": City.objects.count(),
        "conferences": Conference.objects.count(),
        "delegations": Delegation.objects.count(),
        "delegates": Delegate.objects.count(),
    }


def _largest(queryset, group: str):
    """The value of `group` with the most rows in `queryset`, or None on an empty database."""
    row = queryset.order_by().values(group).annotate(n=Count("pk")).order_by("-n", group).first()
    return row and row[group]


def pages() -> list[Page]:
    """Each page for the largest instance the database has (the hardest case at every size) and, for the city
    and the conference, also for one the demo data holds (Vinh, ICLC 6), whose page is the same at every size."""
    city = City.objects.filter(pk=_largest(Delegation.objects, "city")).first() or City.objects.order_by("pk").first()
    country = Country.objects.filter(pk=_largest(City.objects, "country")).first()
    region = Region.objects.filter(pk=_largest(City.objects, "country__region")).first() or Region.objects.first()
    conference = Conference.objects.filter(pk=_largest(Delegation.objects, "conference")).first()
    directory, matrix, city_map = (
        reverse("network:city_list"),
        reverse("conferences:delegation_matrix"),
        reverse("network:city_map"),
    )
    found = [Page("home", reverse("home"), PUBLIC), Page("directory", directory, PUBLIC)]
    if _directory_pages() > 1:
        found.append(Page("directory, page 2", f"{directory}?page=2", PUBLIC))
    found.append(Page("directory, filtered", f"{directory}?region={region.slug}&status=all&sort=-joined", PUBLIC))
    if city:
        search = urlencode({"q": city.search_name[:4], "status": "all"})
        demo_city = City.objects.filter(slug="vinh-vn").first() or city
        found += [
            Page("directory, search Vinh", f"{directory}?q=vinh&status=all", PUBLIC),
            Page("directory, search", f"{directory}?{search}", PUBLIC),
            Page("city Vinh", demo_city.get_absolute_url(), PUBLIC),
            Page("city, most delegations", city.get_absolute_url(), PUBLIC),
        ]
    if country:
        found.append(Page("country", country.get_absolute_url(), PUBLIC))
    found += [
        Page("region", region.get_absolute_url(), PUBLIC),
        Page("map", city_map, PUBLIC),
        Page("map, region", f"{city_map}?region={region.slug}", PUBLIC),
        Page("conference list", reverse("conferences:conference_list"), PUBLIC),
    ]
    if conference:
        demo_conference = Conference.objects.filter(number=6).first() or conference
        found += [
            Page("conference ICLC 6", demo_conference.get_absolute_url(), PUBLIC),
            Page("conference, most delegations", conference.get_absolute_url(), PUBLIC),
        ]
    found.append(Page("matrix", matrix, PUBLIC))
    if country:
        found.append(Page("matrix, country", f"{matrix}?country={country.slug}", PUBLIC))
    found += [
        Page("sitemap index", reverse("sitemap_index"), PUBLIC),
        Page("sitemap, cities", "/sitemap-cities.xml", PUBLIC),
    ]
    found.append(Page("open data", reverse("open_data"), PUBLIC))
    found += api_pages(city, region, conference)
    found += [Page(f"report {r.name}", reverse("reports:detail", args=[r.name]), REPORT) for r in registered_reports()]
    changelist = {m: reverse(f"admin:{m}_changelist") for m in ADMIN_CHANGELISTS}
    found += [Page(f"admin {m.split('_', 1)[1]}", url, ADMIN) for m, url in changelist.items()]
    if city:
        search = f"{changelist['conferences_delegate']}?{urlencode({'q': city.name})}"
        found.append(Page("admin delegate, search", search, ADMIN))
    if conference:
        url = f"{changelist['conferences_delegate']}?conference={conference.number}"
        found.append(Page("admin delegate, by conference", url, ADMIN))
    return found


def _deep_cursor(queryset, fields: tuple[str, ...]) -> str | None:
    """The keyset cursor of the row 90% of the way down `queryset` in `fields` order: a page that deep costs
    what the first does, or keyset paging is broken."""
    count = queryset.count()
    row = queryset.order_by(*fields).values_list(*fields)[count * 9 // 10 : count * 9 // 10 + 1].first()
    return encode(list(row)) if row else None


def api_pages(city, region, conference) -> list[Page]:
    """Every API endpoint (/api/v1/), with the filters and deep pages that cost most at the database's size."""
    v1 = "/api/v1"
    found = [
        Page("api regions", f"{v1}/regions", API),
        Page("api countries", f"{v1}/countries", API),
        Page("api cities", f"{v1}/cities", API),
        Page("api cities, 500", f"{v1}/cities?status=all&limit=500", API),
        Page("api cities, filtered", f"{v1}/cities?region={region.slug}&status=all", API),
        Page("api cities, search", f"{v1}/cities?q=vin&status=all", API),
        Page("api cities, members on", f"{v1}/cities?on=2020-01-01", API),
        Page("api cities.geojson", f"{v1}/cities.geojson", API),
        Page("api cities.geojson, region", f"{v1}/cities.geojson?region={region.slug}", API),
        Page("api terms", f"{v1}/terms", API),
        Page("api awards", f"{v1}/awards", API),
        Page("api conferences", f"{v1}/conferences", API),
        Page("api sessions", f"{v1}/sessions", API),
        Page("api delegations", f"{v1}/delegations", API),
    ]
    deep = {
        "api cities, deep page": (f"{v1}/cities?status=all", City.objects.all(), ("name", "pk")),
        "api terms, deep page": (f"{v1}/terms", MembershipTerm.objects.all(), ("pk",)),
        "api delegations, deep page": (f"{v1}/delegations", Delegation.objects.all(), ("pk",)),
    }
    for name, (url, queryset, fields) in deep.items():
        if cursor := _deep_cursor(queryset, fields):
            found.append(Page(name, f"{url}{'&' if '?' in url else '?'}{urlencode({'cursor': cursor})}", API))
    if city:
        found.append(Page("api city", f"{v1}/cities/{city.slug}", API))
        found.append(Page("api terms, city", f"{v1}/terms?city={city.slug}", API))
        found.append(Page("api delegations, city", f"{v1}/delegations?city={city.slug}", API))
    if conference:
        found += [
            Page("api conference", f"{v1}/conferences/{conference.slug}", API),
            Page("api sessions, conference", f"{v1}/sessions?conference={conference.slug}", API),
            Page("api delegations, conference", f"{v1}/delegations?conference={conference.slug}", API),
        ]
    return found


@contextmanager
def signed_in_clients(language: str | None = None):
    """An anonymous client and a superuser's, as a production process would serve them (no DEBUG, HTTPS), whose
    browsers ask for `language` (Accept-Language; the staff pages follow it, the public ones their address).

    The requests run in autocommit, as production's do: inside a transaction PostgreSQL streams a server-side
    cursor that production would compute in full (reports/views.py), and the first views would look faster than
    they are. The superuser is made for the run and deleted after it, with its session.
    """
    headers = {"accept-language": language} if language else {}
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The API's per-address limit would answer 429 to the timed requests.
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=plain_static, API_RATE_LIMIT="100000/s"
    ):
        user = get_user_model().objects.create_superuser(f"benchmark-pages-{secrets.token_hex(4)}", password=None)
        staff = Client(headers=headers)
        try:
            staff.force_login(user)
            yield Client(headers=headers), staff
        finally:
            staff.logout()
            user.delete()


def _get(client, url) -> int:
    response = client.get(url, secure=True)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018 (rendered already; read as a server would)
    return response.status_code


def visit(clients, page: Page) -> None:
    """Request `page` once, as its reader would (filling what it caches)."""
    _get(clients[0] if page.kind in (PUBLIC, API) else clients[1], page.url)


class FullCollections:
    """Counts the garbage collector's full collections (generation 2) from its creation to `stop()`, and times
    them (gc.callbacks): a request that meets one waits for it, so they explain slow rounds of first views."""

    def __init__(self):
        self.durations_ms: list[float] = []
        self._started: float | None = None
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.durations_ms.append((time.perf_counter() - self._started) * 1000)

    def stop(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def __str__(self) -> str:
        if not self.durations_ms:
            return "Full garbage collections: none."
        return (
            f"Full garbage collections: {len(self.durations_ms)}, longest {max(self.durations_ms):.0f} ms, "
            f"{sum(self.durations_ms):.0f} ms in all; {len(gc.get_objects()):,} objects tracked, "
            f"{gc.get_freeze_count():,} frozen."
        )


def time_page(clients, page: Page, requests: int) -> Timing:
    client = clients[0] if page.kind in (PUBLIC, API) else clients[1]
    with CaptureQueriesContext(connection) as first_queries:
        started = time.perf_counter()
        status = _get(client, page.url)
        first = time.perf_counter() - started
    # Read the count now: the next request clears the log the context reads from.
    queries_first = len(first_queries)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        _get(client, page.url)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as warm_queries:
        _get(client, page.url)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return Timing(
        page.name,
        page.kind,
        page.url,
        first * 1000,
        statistics.median(samples) * 1000,
        p95 * 1000,
        queries_first,
        len(warm_queries),
        status,
    )


def time_export(name: str, fmt: str) -> ExportTiming:
    """Export a whole report in this process and measure it: meant to run in a process of its own."""
    report = get_report_class(name)({}, include_personal_data=True)
    report.is_valid()
    export = Export(report, fmt)
    _forget_peak_memory()
    started = time.perf_counter()
    for _ in export:
        pass
    seconds = time.perf_counter() - started
    return ExportTiming(f"{name}.{fmt}", export.rows, seconds, _peak_memory_mb())


def _forget_peak_memory() -> None:
    """Start the peak anew from the memory in use now. A process started by another keeps, on Linux, the
    parent's peak as its own, and this one is started by a benchmark that has been loading pages."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _peak_memory_mb() -> float:
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_export_in_subprocess(name: str, fmt: str) -> ExportTiming:
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "benchmark_pages", "--export", f"{name}.{fmt}"]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=True)
    return ExportTiming(**json.loads(done.stdout.strip().splitlines()[-1]))


def load_test_urls(sample: int = 200, kinds: tuple[str, ...] = (PUBLIC,)) -> list[str]:
    """Addresses for a load test: every page above of the `kinds` asked for (PUBLIC, API, REPORT; ADMIN is not
    offered) and, with PUBLIC, a sample of the many pages of each kind (cities, countries, conferences, directory
    pages and searches), the same sample on every run."""
    urls = [page.url for page in pages() if page.kind in kinds]
    if PUBLIC not in kinds:
        return urls
    cities = _sample(City.objects.only("slug", "search_name"), sample)
    urls += [city.get_absolute_url() for city in cities]
    urls += [country.get_absolute_url() for country in Country.objects.having_cities().only("slug")]
    urls += [region.get_absolute_url() for region in Region.objects.all()]
    urls += [conference.get_absolute_url() for conference in _sample(Conference.objects.only("slug"), sample)]
    directory = reverse("network:city_list")
    urls += [f"{directory}?page={n}" for n in range(1, min(20, _directory_pages()) + 1)]
    urls += [f"{directory}?region={region.slug}&status=all" for region in Region.objects.all()]
    urls += [f"{directory}?{urlencode({'q': city.search_name[:4]})}" for city in cities[:20]]
    urls += [f"{reverse('network:city_map')}?region={region.slug}" for region in Region.objects.all()]
    return urls


def _directory_pages() -> int:
    return -(-City.objects.current_members().count() // CityListView.paginate_by)


def _sample(queryset, size: int) -> list:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(1).sample(ids, min(size, len(ids)))
    return list(queryset.filter(pk__in=chosen).order_by("pk"))
