"""The mixed load test's writer and freshness checker (`manage.py loadtest_writer`, scripts/loadtest_mixed.sh):
edits made through the admin's own forms over HTTP, each followed by reads of the pages it changes from every
app server at once, and the summary that judges the whole run."""

import csv
import io
import json
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

# Inputs a browser does not submit with the form (buttons) or that the writer never fills (files).
_UNSENT_INPUTS = {"submit", "button", "reset", "image", "file"}
# Added to a city's name by a rename, removed by the rename back.
RENAME_MARK = " Loadtest"
P95_LIMIT_MS = 300


class FormFields(HTMLParser):
    """The fields a browser would submit with a page's form, as {name: [values]}: text inputs and hidden ones,
    checked checkboxes and radios, the selected options (the first when none is), textareas. Disabled fields are
    left out, as browsers leave them out. The form is the admin's own (`<model>_form`) or else the first POST form
    that is not in the admin's header (signing out, choosing a language)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, dict[str, list[str]]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)
        self.close()
        posted = [(a, f) for a, f in self.forms if (a.get("method") or "").lower() == "post"]
        own = [form for form in posted if (form[0].get("id") or "").endswith("_form")]
        others = [form for form in posted if form[0].get("id") != "logout-form" and "setlang" not in _action(form)]
        attrs, self.fields = (own or others or [({}, {})])[0]
        self.action = attrs.get("action") or ""

    def _add(self, name: str, value: str) -> None:
        self.forms[-1][1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._in_form:
            self._in_form = True
            self.forms.append((a, {}))
            return
        if not self._in_form or "disabled" in a or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value") or "on")
            elif kind not in _UNSENT_INPUTS:
                self._add(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a["name"], None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option = {"value": value, "selected": "selected" in a, "text": []}
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"].append(data)
        elif self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select:
            if self._option is not None:
                self._end_option()
            if not self._select_chosen and self._select_first is not None and not self._multiple:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>; the parser keeps it.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False

    def _end_option(self):
        option, self._option = self._option, None
        value = option["value"] if option["value"] is not None else "".join(option["text"]).strip()
        if self._select_first is None:
            self._select_first = value
        if option["selected"]:
            self._select_chosen = True
            self._add(self._select, value)


def _action(form: tuple[dict, dict]) -> str:
    return form[0].get("action") or ""


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser would send with the page's first POST form (see FormFields)."""
    return FormFields(html).fields


_ERRORS = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def form_errors(html: str) -> list[str]:
    """The texts of the admin's error lists on a page that answered a POST with the form again."""
    return [" ".join(_TAGS.sub(" ", found).split()) for found in _ERRORS.findall(html)]


class WriteFailed(Exception):
    """An admin form did not accept a write (the message says which page and why)."""


class AdminClient:
    """A signed-in staff browser on one app server: reads a form, changes some fields, posts it back.

    `base` is the server's root ("http://127.0.0.1:8100"); `admin_path` the admin's ("/admin/").
    """

    def __init__(self, base: str, admin_path: str = "/admin/", timeout: float = 60):
        self.base, self.admin_path, self.timeout = base.rstrip("/"), admin_path, timeout
        self.session = requests.Session()
        self.timings_ms: list[float] = []

    def url(self, path: str) -> str:
        return urljoin(self.base + "/", path.lstrip("/"))

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        started = time.perf_counter()
        response = self.session.request(method, self.url(path), timeout=self.timeout, allow_redirects=False, **kwargs)
        self.timings_ms.append((time.perf_counter() - started) * 1000)
        return response

    def get(self, path: str) -> requests.Response:
        response = self._request("GET", path)
        if response.status_code != 200:
            raise WriteFailed(f"GET {path} answered {response.status_code}")
        return response

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the admin's login form; raises WriteFailed if the admin does not accept it."""
        path = f"{self.admin_path}login/"
        fields = form_fields(self.get(path).text)
        fields.update(username=[username], password=[password], next=[self.admin_path])
        response = self._request("POST", path, data=fields)
        if response.status_code != 302:
            raise WriteFailed(f"sign-in as {username} refused ({response.status_code})")

    def sign_out(self, csrf_cookie_name: str = "csrftoken") -> None:
        """Sign out through the admin, which deletes the session (the CSRF token is the cookie's)."""
        token = self.session.cookies.get(csrf_cookie_name, "")
        response = self._request("POST", f"{self.admin_path}logout/", data={"csrfmiddlewaretoken": token})
        if response.status_code not in (200, 302):
            raise WriteFailed(f"sign-out answered {response.status_code}")

    def submit(self, path: str, changes: dict | None = None, files: dict | None = None) -> requests.Response:
        """GET the form at `path`, set `changes` ({field: value}; None unchecks or empties it), POST it to the
        form's action; the answer must be a redirect (the admin's "saved"), else WriteFailed with the form's
        errors."""
        page = self.get(path)
        parsed = FormFields(page.text)
        fields = parsed.fields
        for name, value in (changes or {}).items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = [value]
        action = urljoin(path, parsed.action) if parsed.action else path
        response = self._request("POST", action, data=fields, files=files)
        if response.status_code != 302:
            errors = "; ".join(form_errors(response.text)) or response.text[:200]
            raise WriteFailed(f"POST {action} answered {response.status_code}: {errors}")
        return response


@dataclass
class Check:
    """A page to read after a write and what it must (or must not) contain once the write is committed."""

    path: str
    contains: str = ""
    lacks: str = ""
    json_test: object = None  # a function of the decoded answer, True when fresh

    def is_fresh(self, body: str) -> bool:
        if self.json_test is not None:
            return bool(self.json_test(json.loads(body)))
        return (not self.contains or self.contains in body) and (not self.lacks or self.lacks not in body)


@dataclass
class Tally:
    """What the writer did, counted: written by the writer, read by the summary."""

    writes: dict[str, int] = field(default_factory=dict)
    imports: int = 0
    fresh: int = 0
    stale: int = 0
    read_errors: int = 0
    write_errors: int = 0
    problems: list[str] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)

    def wrote(self, kind: str, ms: float) -> None:
        self.writes[kind] = self.writes.get(kind, 0) + 1
        self.write_ms.append(ms)

    def problem(self, text: str) -> None:
        # Keep the first ones: a run that goes wrong would otherwise print thousands of lines.
        if len(self.problems) < 50:
            self.problems.append(text)

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def check_fresh(bases: list[str], checks: list[Check], tally: Tally, timeout: float = 30) -> None:
    """Read every check's page from every server at once (one thread each) and count each read fresh or stale
    (an answer other than 200 counts as a read error)."""
    jobs = [(base, check) for check in checks for base in bases]

    def read(job):
        base, check = job
        try:
            response = requests.get(base.rstrip("/") + check.path, timeout=timeout)
        except requests.RequestException as error:
            return base, check, None, str(error)
        return base, check, response.status_code, response.text

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for base, check, status, body in pool.map(read, jobs):
            if status != 200:
                tally.read_errors += 1
                tally.problem(f"read {base}{check.path}: {status or body}")
            elif check.is_fresh(body):
                tally.fresh += 1
            else:
                tally.stale += 1
                tally.problem(f"stale {base}{check.path}: expected {check.contains or check.lacks or 'JSON test'}")


def cohort_csv(rows: list[dict]) -> bytes:
    """A cohort import file (network.importers.MemberImport): city, country, joined, province per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, ["city", "country", "joined", "province"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def html_text(text: str) -> str:
    """`text` as a template writes it into a page."""
    return escape(text, quote=True)


# The summary of a run ------------------------------------------------------------------------------------------

_WRK = {
    "requests": re.compile(r"Requests: (\d+) in (\d+) s, ([\d.]+) requests/s"),
    "latency": re.compile(r"Latency: median (\d+) ms, p95 (\d+) ms, p99 (\d+) ms, max (\d+) ms"),
    "errors": re.compile(r"Errors: (\d+) \(([^)]*)\)"),
}


@dataclass
class WrkResult:
    requests: int
    seconds: int
    per_second: float
    median_ms: int
    p95_ms: int
    p99_ms: int
    max_ms: int
    errors: int
    error_detail: str


def parse_wrk(text: str) -> WrkResult:
    """The figures scripts/loadtest.lua's done() prints; ValueError if a line is missing (wrk failed)."""
    found = {name: pattern.search(text) for name, pattern in _WRK.items()}
    missing = [name for name, match in found.items() if match is None]
    if missing:
        raise ValueError(f"wrk's report lacks its {', '.join(missing)} line")
    requests_, latency, errors = found["requests"], found["latency"], found["errors"]
    return WrkResult(
        int(requests_[1]),
        int(requests_[2]),
        float(requests_[3]),
        *(int(latency[n]) for n in range(1, 5)),
        int(errors[1]),
        errors[2],
    )


def redis_hits(info: str) -> tuple[int, int]:
    """(keyspace_hits, keyspace_misses) from the text of Redis's INFO stats."""
    values = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(values["keyspace_hits"]), int(values["keyspace_misses"])


def judge(instances: dict[str, WrkResult], tally: Tally | None) -> list[str]:
    """Why the run failed (empty when it passed): any error, any stale read or failed write, a p95 of 300 ms or
    more, no write made; `tally` None for a run without the writer (reads only)."""
    failures = []
    for name, result in instances.items():
        if result.errors:
            failures.append(f"{name}: {result.errors} errors ({result.error_detail})")
        if result.p95_ms >= P95_LIMIT_MS:
            failures.append(f"{name}: p95 {result.p95_ms} ms (limit: under {P95_LIMIT_MS} ms)")
    if tally is None:
        return failures
    if tally.stale:
        failures.append(f"{tally.stale} stale reads after a write")
    if tally.read_errors or tally.write_errors:
        failures.append(f"writer: {tally.write_errors} failed writes, {tally.read_errors} failed reads")
    if not sum(tally.writes.values()):
        failures.append("writer: no write made")
    return failures


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary_lines(
    instances: dict[str, WrkResult], tally: Tally | None, hits: tuple[int, int] | None, failures: list[str]
) -> list[str]:
    """The run's report, line by line (`tally` None: the run had no writer)."""
    lines = []
    for name, r in instances.items():
        lines.append(
            f"readers {name}: {r.requests} requests in {r.seconds} s, {r.per_second:.1f} requests/s; "
            f"median {r.median_ms} ms, p95 {r.p95_ms} ms, p99 {r.p99_ms} ms, max {r.max_ms} ms; errors {r.errors}"
        )
    total = sum(r.requests for r in instances.values())
    rate = sum(r.per_second for r in instances.values())
    lines.append(f"readers, both: {total} requests, {rate:.1f} requests/s")
    lines += _writer_lines(tally) if tally is not None else ["writer: off (reads only)"]
    if hits is not None:
        hit, miss = hits
        ratio = f"{hit / (hit + miss):.1%}" if hit + miss else "n/a"
        lines.append(f"cache: {hit} hits, {miss} misses in Redis during the run: hit rate {ratio}")
    lines.append("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return lines


def _writer_lines(tally: Tally) -> list[str]:
    lines = []
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.writes.items()))
    lines.append(f"writer: {sum(tally.writes.values())} writes ({kinds}), {tally.imports} imports applied")
    if tally.write_ms:
        lines.append(
            f"writer: a write (form read + post) took median {statistics.median(tally.write_ms):.0f} ms, "
            f"p95 {percentile(tally.write_ms, 0.95):.0f} ms, max {max(tally.write_ms):.0f} ms"
        )
    lines.append(
        f"freshness: {tally.fresh} fresh reads, {tally.stale} stale reads, {tally.read_errors} failed reads, "
        f"{tally.write_errors} failed writes"
    )
    return lines + [f"problem: {text}" for text in tally.problems]


# scripts/loadtest_mixed.sh has gunicorn log each request as: status, milliseconds, "request line".
ACCESS_LOG_FORMAT = '%(s)s %(M)s "%(r)s"'
_ACCESS = re.compile(r'^(\d{3}) (\d+) "(\S+) (\S+) [^"]*"$')


@dataclass
class AddressTiming:
    address: str
    count: int
    median_ms: float
    p95_ms: float
    max_ms: float
    total_ms: float


def address_timings(lines, group=None) -> list[AddressTiming]:
    """Requests of gunicorn access-log `lines` (ACCESS_LOG_FORMAT) grouped by address, or by `group(address)`,
    slowest p95 first. Lines of another format are skipped."""
    times: dict[str, list[float]] = {}
    for line in lines:
        if match := _ACCESS.match(line.strip()):
            key = group(match[4]) if group else match[4]
            times.setdefault(key, []).append(float(match[2]))
    found = [
        AddressTiming(key, len(ms), statistics.median(ms), percentile(ms, 0.95), max(ms), sum(ms))
        for key, ms in times.items()
    ]
    return sorted(found, key=lambda timing: (-timing.p95_ms, timing.address))


def address_kind(address: str, reports_prefix: str = "/reports/", admin_prefix: str = "/admin/") -> str:
    """What kind of page an address is: api, report, admin or public."""
    if address.startswith("/api/"):
        return "api"
    if address.startswith(reports_prefix):
        return "report"
    if address.startswith(admin_prefix):
        return "admin"
    return "public"


def address_family(address: str) -> str:
    """An address with its query and its last path segment of a detail page dropped: all city pages are one
    family ("/en/cities/*/"), so are the conference and country pages."""
    path = address.split("?", 1)[0]
    parts = path.rstrip("/").split("/")
    if len(parts) >= 4 and not path.startswith("/api/"):
        return "/".join(parts[:-1]) + "/*/"
    return path


def timing_lines(by_kind: list[AddressTiming], slowest: list[AddressTiming], busiest=()) -> list[str]:
    """The access logs' figures: by kind of page, the slowest addresses, and the families of addresses that took
    most of the servers' time (`busiest`, largest total first)."""
    lines = [
        f"server side, {t.address}: {t.count} requests, median {t.median_ms:.0f} ms, p95 {t.p95_ms:.0f} ms, "
        f"max {t.max_ms:.0f} ms"
        for t in by_kind
    ]
    whole = sum(t.total_ms for t in by_kind) or 1
    lines += [
        f"busy: {t.total_ms / whole:.0%} of server time, {t.count}x, median {t.median_ms:.0f} ms, "
        f"p95 {t.p95_ms:.0f} ms: {t.address}"
        for t in busiest
    ]
    lines += [
        f"slow: p95 {t.p95_ms:.0f} ms, median {t.median_ms:.0f} ms, max {t.max_ms:.0f} ms, {t.count}x {t.address}"
        for t in slowest
    ]
    return lines
