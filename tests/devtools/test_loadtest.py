import csv
import io

import pytest

from devtools.loadtest import (
    Check,
    Tally,
    WrkResult,
    address_family,
    address_kind,
    address_timings,
    cohort_csv,
    form_errors,
    form_fields,
    judge,
    parse_wrk,
    percentile,
    redis_hits,
    summary_lines,
)

CHANGE_PAGE = """
<form id="logout-form" method="post" action="/admin/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
</form>
<form class="languages" action="/i18n/setlang/" method="post"><input name="next" value="/x/">
<select name="language"><option value="en" selected>English</option><option value="fr">Français</option></select>
</form>
<form method="post" id="city_form" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="t">
<input type="text" name="name" value="Vinh &amp; Co">
<input type="checkbox" name="is_public" checked><input type="checkbox" name="is_head">
<input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
<input type="text" name="frozen" value="x" disabled>
<select name="country"><option value="">---</option><option value="7" selected>Viet Nam</option></select>
<select name="precision"><option value="year">Year</option><option value="day">Day</option></select>
<select name="tags" multiple><option value="1" selected>a</option><option value="2">b</option></select>
<textarea name="notes">
First line</textarea>
<input type="submit" name="_save" value="Save"><input type="file" name="upload">
</form>
"""


def test_form_fields_are_what_a_browser_sends_with_the_admins_own_form():
    assert form_fields(CHANGE_PAGE) == {
        "csrfmiddlewaretoken": ["t"],
        "name": ["Vinh & Co"],
        "is_public": ["on"],
        "kind": ["b"],
        "country": ["7"],
        "precision": ["year"],
        "tags": ["1"],
        "notes": ["First line"],
    }


def test_form_fields_skip_the_header_forms_when_the_page_has_no_model_form():
    page = CHANGE_PAGE.replace('id="city_form"', 'action="/admin/import/3/apply/"')
    assert form_fields(page)["name"] == ["Vinh & Co"]
    assert form_fields("<p>no form</p>") == {}


def test_form_errors_are_the_texts_of_the_error_lists():
    page = '<ul class="errorlist"><li>This field is <b>required</b>.</li></ul>'
    page += '<ul class="errorlist nonfield"><li>Clash</li></ul>'
    assert form_errors(page) == ["This field is required .", "Clash"]


def test_a_check_is_fresh_when_the_page_holds_what_it_must_and_lacks_what_it_must_not():
    assert Check("/", contains="Vinh").is_fresh("<h1>Vinh</h1>")
    assert not Check("/", contains="Vinh Loadtest").is_fresh("<h1>Vinh</h1>")
    assert not Check("/", contains="Vinh", lacks="Loadtest").is_fresh("<h1>Vinh Loadtest</h1>")
    assert Check("/api", json_test=lambda data: data["name"] == "Vinh").is_fresh('{"name": "Vinh"}')
    assert not Check("/api", json_test=lambda data: data["name"] == "Vinh").is_fresh('{"name": "Hue"}')


def test_cohort_csv_has_the_columns_the_member_import_reads():
    rows = list(
        csv.DictReader(
            io.StringIO(cohort_csv([{"city": "Sa Đéc", "country": "VN", "joined": "2020", "province": "P"}]).decode())
        )
    )
    assert rows == [{"city": "Sa Đéc", "country": "VN", "joined": "2020", "province": "P"}]


WRK_REPORT = """Running 5m test @ http://127.0.0.1:8100
Requests: 120000 in 300 s, 400.0 requests/s
Latency: median 20 ms, p95 180 ms, p99 420 ms, max 2100 ms
Errors: 3 (connect 0, read 0, write 0, timeout 1, HTTP status other than 2xx/3xx 2)
"""


def test_parse_wrk_reads_the_lines_of_loadtest_lua():
    assert parse_wrk(WRK_REPORT) == WrkResult(
        120000,
        300,
        400.0,
        20,
        180,
        420,
        2100,
        3,
        "connect 0, read 0, write 0, timeout 1, HTTP status other than 2xx/3xx 2",
    )


def test_parse_wrk_fails_on_a_report_without_figures():
    with pytest.raises(ValueError, match="latency"):
        parse_wrk("Requests: 1 in 1 s, 1.0 requests/s\nErrors: 0 (none)\n")


def test_redis_hits_reads_info_stats():
    assert redis_hits("# Stats\r\nkeyspace_hits:120\r\nkeyspace_misses:30\r\nevicted_keys:0\r\n") == (120, 30)


def _result(p95=100, errors=0):
    return WrkResult(1000, 300, 3.3, 10, p95, 400, 900, errors, "")


def test_judge_passes_a_clean_run_and_names_each_failure():
    tally = Tally(writes={"rename": 3}, fresh=6)
    assert judge({"8100": _result(), "8101": _result()}, tally) == []
    failures = judge({"8100": _result(p95=300), "8101": _result(errors=2)}, Tally(writes={"rename": 1}, stale=1))
    assert failures == [
        "8100: p95 300 ms (limit: under 300 ms)",
        "8101: 2 errors ()",
        "1 stale reads after a write",
    ]
    assert judge({}, Tally()) == ["writer: no write made"]
    assert judge({}, Tally(writes={"term": 1}, write_errors=1)) == ["writer: 1 failed writes, 0 failed reads"]
    assert judge({"8100": _result()}, None) == []


def test_summary_lines_give_figures_per_server_writes_freshness_hit_rate_and_verdict():
    tally = Tally(writes={"rename": 2, "import": 1}, imports=1, fresh=8, write_ms=[100, 200, 300])
    lines = summary_lines({"8100": _result(), "8101": _result()}, tally, (75, 25), [])
    text = "\n".join(lines)
    assert "readers 8100: 1000 requests in 300 s" in text and "p95 100 ms" in text
    assert "readers, both: 2000 requests" in text
    assert "writer: 3 writes (import 1, rename 2), 1 imports applied" in text
    assert "freshness: 8 fresh reads, 0 stale reads" in text
    assert "hit rate 75.0%" in text
    assert lines[-1] == "PASS"
    assert summary_lines({}, Tally(), None, ["no write"])[-1] == "FAIL: no write"
    assert "writer: off (reads only)" in summary_lines({}, None, None, [])


def test_percentile_is_nearest_rank():
    assert percentile([], 0.95) == 0
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([5], 0.5) == 5


ACCESS_LOG = """200 12 "GET /en/ HTTP/1.1"
200 30 "GET /en/ HTTP/1.1"
200 900 "GET /reports/members/?year=2020 HTTP/1.1"
302 50 "POST /admin/network/city/3/change/ HTTP/1.1"
[2026-11-30 14:00:00 +0000] [1] [INFO] Booting worker
200 5 "GET /api/v1/cities HTTP/1.1"
"""


def test_address_timings_group_requests_slowest_first_and_skip_other_lines():
    timings = address_timings(ACCESS_LOG.splitlines())
    assert [(t.address, t.count) for t in timings] == [
        ("/reports/members/?year=2020", 1),
        ("/admin/network/city/3/change/", 1),
        ("/en/", 2),
        ("/api/v1/cities", 1),
    ]
    assert timings[2].median_ms == 21 and timings[2].max_ms == 30
    by_kind = address_timings(ACCESS_LOG.splitlines(), group=address_kind)
    assert [t.address for t in by_kind] == ["report", "admin", "public", "api"]


def test_address_family_joins_the_detail_pages_of_one_kind():
    assert address_family("/en/cities/vinh-vn/") == "/en/cities/*/"
    assert address_family("/en/conferences/iclc-6/") == "/en/conferences/*/"
    assert address_family("/en/cities/?page=2") == "/en/cities/"
    assert address_family("/api/v1/cities/vinh-vn") == "/api/v1/cities/vinh-vn"
    assert address_family("/sitemap.xml") == "/sitemap.xml"
