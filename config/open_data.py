"""The public Open data page (/open-data/) and its downloads: members (current, or on a day) as CSV, XLSX,
JSON and GeoJSON; conferences and participation as CSV. Every file streams and names its day and licence.

The rows come from public reports (network.reports.OpenMembersReport, conferences.reports.OpenConferencesReport
and OpenParticipationReport): the same columns in every format, none of them personal.
"""

import datetime
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from conferences.reports import OpenConferencesReport, OpenParticipationReport
from network.reports import OpenMembersReport
from reports.export import Export

# Each download: its report and the formats offered.
DOWNLOADS = {
    "members": (OpenMembersReport, ("csv", "xlsx", "json", "geojson")),
    "conferences": (OpenConferencesReport, ("csv",)),
    "participation": (OpenParticipationReport, ("csv",)),
}
JSON_TYPES = {"json": "application/json", "geojson": "application/geo+json"}
ROWS_PER_CHUNK = 500


def _key(header: str) -> str:
    """A column header as a JSON key: "ISO code" -> "iso_code"."""
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _about(report) -> dict:
    return {
        "title": str(report.title),
        "date": report.data_date().isoformat(),
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "source": "Learning Cities Registry",
    }


def json_chunks(report, fmt: str) -> Iterator[bytes]:
    """The report as one JSON document, written a few hundred rows at a time.

    json: {"title", "date", "licence", "licence_url", "source", "rows": [{column key: value}]}.
    geojson: a FeatureCollection with the same header fields; one Point per row with coordinates, the
    other columns as its properties (rows without coordinates are left out)."""
    # The keys are an interface for programs: English column names whatever the reader's language.
    with translation.override("en"):
        keys = [_key(header) for header in report.headers]
    head = json.dumps(_about(report), ensure_ascii=False)[:-1]
    yield (head + (', "type": "FeatureCollection", "features": [' if fmt == "geojson" else ', "rows": [')).encode()
    parts, first = [], True
    for row in report.rows():
        record = dict(zip(keys, map(_plain, row), strict=True))
        if fmt == "geojson":
            lat, lon = record.pop("latitude"), record.pop("longitude")
            if lat is None or lon is None:
                continue
            record = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": record}
        parts.append(("" if first else ",") + json.dumps(record, ensure_ascii=False))
        first = False
        if len(parts) >= ROWS_PER_CHUNK:
            yield "".join(parts).encode()
            parts.clear()
    yield ("".join(parts) + "]}\n").encode()


def _licensed(response, report):
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def open_data(request, errors=None, status=200):
    """The page that lists every download, with a form for the members on another day."""
    context = {
        "downloads": {name: formats for name, (_report, formats) in DOWNLOADS.items()},
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "on": request.GET.get("on", "")[:20],
        "errors": errors or [],
    }
    return render(request, "open_data.html", context, status=status)


def members_on(request):
    """The page's form: `on` and `format` (csv, xlsx, json, geojson) lead to that file for that day."""
    fmt = request.GET.get("format", "csv")
    if fmt not in DOWNLOADS["members"][1]:
        return open_data(request, errors=[_("Format: choose CSV, XLSX, JSON or GeoJSON.")], status=400)
    on = request.GET.get("on", "")[:20]
    target = reverse("open_data_download", args=["members", fmt])
    return HttpResponseRedirect(f"{target}?{urlencode({'on': on})}" if on else target)


def open_data_download(request, name: str, fmt: str):
    """One file: `name` and `fmt` from DOWNLOADS; members take `on` (YYYY-MM-DD, default today).

    A bad `on` is answered with the page and its message (400); an unknown file is a 404."""
    report_class, formats = DOWNLOADS.get(name, (None, ()))
    if report_class is None or fmt not in formats:
        raise Http404(_("There is no such file: the Open data page lists them all."))
    on = request.GET.get("on", "")
    report = report_class({"date": on} if on else {})
    if not report.is_valid():
        errors = [
            _("Date: %(problem)s") % {"problem": message}
            for messages in report.form.errors.values()
            for message in messages
        ]
        return open_data(request, errors=errors, status=400)
    if fmt in JSON_TYPES:
        response = StreamingHttpResponse(json_chunks(report, fmt), content_type=JSON_TYPES[fmt])
        response["Content-Disposition"] = content_disposition_header(True, report.filename(fmt)) or "attachment"
        response["Cache-Control"] = "no-store"
    else:
        response = Export(report, fmt).response()
    return _licensed(response, report)
