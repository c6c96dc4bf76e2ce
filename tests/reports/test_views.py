import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import Delegation
from reports.base import registered_reports, yes_no
from reports.export import BOM
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterMembershipFactory,
    MembershipTermFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

VIEW = "network.view_reports"
PERSONAL = "conferences.export_personal_data"


def page(name):
    return reverse("reports:detail", args=[name])


def export(name, fmt="csv"):
    return reverse("reports:export", args=[name, fmt])


def read_csv(response):
    data = b"".join(response.streaming_content)
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode(), newline="")))


@pytest.mark.parametrize(
    "url", [reverse("reports:index"), page("cities"), export("cities"), export("delegates", "xlsx")]
)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url", [reverse("reports:index"), page("cities"), export("cities"), export("delegates", "xlsx")]
)
def test_staff_without_the_permission_are_refused(client, make_staff, url):
    client.force_login(make_staff("network.view_city", "conferences.view_delegate"))
    assert client.get(url).status_code == 403


def test_index_lists_every_report(client, make_staff):
    client.force_login(make_staff(VIEW))
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    for report in registered_reports():
        assert page(report.name) in response.text
        assert export(report.name, "xlsx") in response.text


def test_report_page_shows_table_chart_filters_and_export_links(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    response = client.get(page("members-by-country"), {"date": "2024-12-31", "region": "asia-pacific"})
    assert response.status_code == 200
    html = response.text
    assert "<svg" in html and "Viet Nam" in html and "Ireland" not in html
    assert 'name="date"' in html and "reports/print.css" in html
    assert f"{export('members-by-country', 'csv')}?date=2024-12-31&amp;region=asia-pacific" in html
    assert " style=" not in html.split('id="content"')[1] and "<script>" not in html


def test_export_applies_the_filters_on_screen(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    response = client.get(export("members-by-country"), {"date": "2024-12-31", "region": "asia-pacific"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_csv(response) == [
        ["Region", "Country", "ISO code", "Members"],
        ["Asia and the Pacific", "Viet Nam", "VN", "3"],
    ]


def test_xlsx_export_opens_with_openpyxl(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    response = client.get(export("growth", "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert next(book.active.iter_rows(min_row=2, values_only=True)) == (2015, datetime.datetime(2015, 12, 31), 1, None)


def test_bad_filters_get_a_message_not_a_file(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    response = client.get(export("cities"), {"country": "Vietnan"})
    assert response.status_code == 400
    assert "did you mean Viet Nam?" in response.text
    assert client.get(page("members-by-country"), {"date": "tomorrow"}).status_code == 400


def test_unknown_report_or_format_is_not_found(client, make_staff):
    client.force_login(make_staff(VIEW))
    assert client.get(page("no-such-report")).status_code == 404
    assert client.get(export("cities", "pdf")).status_code == 404


def test_delegate_contact_fields_need_the_personal_data_permission(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    header = read_csv(client.get(export("delegates")))[0]
    assert "E-mail" not in header and "Phone" not in header and "Notes" not in header
    assert "@example.org" not in client.get(page("delegates")).text

    client.force_login(make_staff(VIEW, PERSONAL, username="manager"))
    rows = read_csv(client.get(export("delegates")))
    assert rows[0][-3:] == ["E-mail", "Phone", "Notes"]
    assert all(row[-3].endswith("@example.org") for row in rows[1:])


def test_list_pages_are_paginated(client, make_staff):
    for _ in range(3):
        CityFactory()
    client.force_login(make_staff(VIEW))
    from network.reports import CityListReport

    CityListReport.screen_rows, saved = 2, CityListReport.screen_rows
    try:
        response = client.get(page("cities"), {"page": "2"})
    finally:
        CityListReport.screen_rows = saved
    assert "page 2 of 2" in response.text


def grow_network(n):
    """n more cities with a term, an award, a progress report, a cluster and a delegation of two."""
    conference = ConferenceFactory()
    for i in range(n):
        term = MembershipTermFactory(former=i % 3 == 0)
        AwardFactory(city=term.city, year=2020 + i % 3)
        ProgressReportFactory(city=term.city)
        ClusterMembershipFactory(city=term.city)
        delegation = DelegationFactory(conference=conference, city=term.city)
        DelegateFactory(delegation=delegation, is_head=True)
        DelegateFactory(delegation=delegation)


def count_queries(client, django_assert_max_num_queries):
    counts = {}
    for report in registered_reports():
        for kind, url in [
            ("page", page(report.name)),
            ("csv", export(report.name)),
            ("xlsx", export(report.name, "xlsx")),
        ]:
            with django_assert_max_num_queries(12) as captured:
                response = client.get(url)
                assert response.status_code == 200, url
                if response.streaming:
                    b"".join(response.streaming_content)
            counts[report.name, kind] = len(captured)
    return counts


def test_every_report_page_and_export_runs_the_same_queries_at_5_and_50_rows(
    client, make_staff, django_assert_max_num_queries
):
    client.force_login(make_staff(VIEW, PERSONAL))
    grow_network(5)
    small = count_queries(client, django_assert_max_num_queries)
    grow_network(45)
    assert count_queries(client, django_assert_max_num_queries) == small


def test_a_report_that_leaves_out_participation_shows_nothing_a_delegation_changes(
    client, make_staff, django_capture_on_commit_callbacks
):
    """Report.lists says what a report's cached pages depend on: a report that leaves out "participation" must
    show the same, drawn afresh, after delegations and delegates change, or such an edit would leave it stale."""
    from conferences.apps import PARTICIPATION
    from core.cache import new_generation

    client.force_login(make_staff(VIEW, PERSONAL))
    with django_capture_on_commit_callbacks(execute=True):
        grow_network(3)
        later = ConferenceFactory()
    declared = [report for report in registered_reports() if report.lists and PARTICIPATION not in report.lists]
    assert len(declared) >= 10  # the network's reports

    def shown(name):  # the table and chart (the page around them holds a nonce of its own each time)
        context = client.get(page(name)).context
        counted = context["page"].paginator.count if "page" in context else None
        return str(context["table"]), str(context.get("chart")), counted

    before = {report.name: shown(report.name) for report in declared}
    delegations = list(Delegation.objects.all())
    with django_capture_on_commit_callbacks(execute=True):  # delegations and delegates only, of cities on record
        for delegation in delegations[:2]:
            DelegateFactory.create_batch(2, delegation=DelegationFactory(city=delegation.city, conference=later))
        DelegateFactory(delegation=delegations[2])
        delegations[0].delegates.all().delete()
        delegations[0].delete()
    new_generation()
    for report in declared:
        assert shown(report.name) == before[report.name], report.name


def test_a_delegate_edit_leaves_the_network_reports_cached_and_refreshes_the_participation_ones(
    client, make_staff, django_capture_on_commit_callbacks
):
    client.force_login(make_staff(VIEW, PERSONAL))
    with django_capture_on_commit_callbacks(execute=True):
        grow_network(2)
    for name in ("cities", "participation-by-conference"):
        client.get(page(name))
    with django_capture_on_commit_callbacks(execute=True):
        DelegateFactory(delegation=Delegation.objects.first())  # one delegate more at that conference
    with CaptureQueriesContext(connection) as captured:
        client.get(page("cities"))
    assert not any("network_city" in query["sql"] for query in captured.captured_queries)  # the table as kept
    with CaptureQueriesContext(connection) as captured:
        client.get(page("participation-by-conference"))
    assert any("conferences_delegat" in query["sql"] for query in captured.captured_queries)  # drawn again


def test_report_table_is_written_as_the_template_would_write_it():
    from django.template import Context, Template

    from reports.base import BOOL, DATE, DECIMAL, INT, TEXT, Report, ReportColumn
    from reports.views import table_html

    kinds = [TEXT, INT, DECIMAL, DATE, BOOL, TEXT]
    rows = [
        ("Sa Đéc <b>&", 1200, Decimal("10.291000"), datetime.date(2024, 12, 3), True, None),
        ("", 0, None, None, False, "'=1+1"),
    ]
    template = Template(
        '{% for row in table %}<tr>{% for value, kind in row %}<td class="kind-{{ kind }}">'
        '{{ value|default_if_none:"" }}</td>{% endfor %}</tr>{% endfor %}'
    )
    table = [[(yes_no(v) if k == BOOL else v, k) for v, k in zip(row, kinds, strict=True)] for row in rows]
    report = type("Plain", (Report,), {"columns": [ReportColumn(str(i), kind=k) for i, k in enumerate(kinds)]})()
    pairs = [(row, ()) for row in rows]
    assert table_html(report, pairs, staff=True, complete=True) == template.render(Context({"table": table}))


def test_report_table_writes_equal_values_of_other_types_each_as_its_own():
    """Cells are written once per value and table: 1, True, 1.0 and Decimal("1.50") are equal or hash alike,
    and each must still be written as the template writes it, in every row it recurs in."""
    from django.template import Context, Template

    from reports.base import BOOL, DECIMAL, TEXT, Report, ReportColumn
    from reports.views import table_html

    kinds = [TEXT, TEXT, BOOL, DECIMAL]
    rows = [(1, True, True, Decimal("1.50")), (True, 1, 1, Decimal("1.5")), (1.0, "1", False, Decimal("1.50"))]
    template = Template(
        '{% for row in table %}<tr>{% for value, kind in row %}<td class="kind-{{ kind }}">'
        '{{ value|default_if_none:"" }}</td>{% endfor %}</tr>{% endfor %}'
    )
    table = [[(yes_no(v) if k == BOOL else v, k) for v, k in zip(row, kinds, strict=True)] for row in rows]
    report = type("Plain", (Report,), {"columns": [ReportColumn(str(i), kind=k) for i, k in enumerate(kinds)]})()
    html = table_html(report, [(row, ()) for row in rows], staff=False, complete=False)
    assert html == template.render(Context({"table": table}))
    assert '<td class="kind-text">1</td><td class="kind-text">True</td>' in html


def test_the_reports_index_opens_on_the_dashboard(client, make_staff, small_network, django_assert_max_num_queries):
    client.force_login(make_staff(VIEW))
    html = client.get(reverse("reports:index")).text
    assert "Members today" in html and 'href="/reports/cities/?status=current"' in html
    assert "Progress reports overdue" in html and "Data gaps" in html
    with django_assert_max_num_queries(6):  # cached: sign-in and session only
        client.get(reverse("reports:index"))


def test_the_admin_index_opens_on_what_concerns_the_user(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, username="manager"))
    assert "Members today" in client.get(reverse("admin:index")).text
    client.force_login(make_staff("network.change_city", username="clerk"))
    html = client.get(reverse("admin:index")).text
    assert "Cities without coordinates" in html and "Members today" not in html


def test_members_by_country_drills_down_and_adds_up(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    html = client.get(page("members-by-country"), {"date": "2024-12-31"}).text
    # region -> its countries; country -> its member cities
    assert (
        'href="/reports/members-by-country/?date=2024-12-31&amp;region=asia-pacific">Asia and the Pacific</a>' in html
    )
    assert 'href="/reports/cities/?status=current&amp;country=VN">Viet Nam</a>' in html
    assert '<th scope="row">Subtotal Asia and the Pacific</th>' in html
    subtotal = html.split("Subtotal Asia and the Pacific")[1].split("</tr>")[0]
    assert '<td class="kind-int">3</td>' in subtotal
    total = html.split('<tr class="total">')[1].split("</tr>")[0]
    assert '<td class="kind-int">5</td>' in total
    cities = client.get("/reports/cities/?status=current&country=VN").text
    assert f'href="/en/cities/{small_network.vinh.slug}/">Vinh</a>' in cities and "admin-link" in cities


def test_participation_drills_down_to_delegations_then_delegates(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    html = client.get(page("participation-by-conference")).text
    assert 'href="/reports/delegations/?conference=6">ICLC 6</a>' in html
    assert 'href="/reports/delegates/?conference=6">' in html
    delegations = client.get("/reports/delegations/?conference=6").text
    assert 'href="/reports/delegates/?conference=6&amp;country=VN&amp;q=Vinh">2</a>' in delegations
    delegates = client.get("/reports/delegates/?conference=6&country=VN&q=Vinh")
    assert (
        delegates.status_code == 200 and delegates.text.count(f'<a href="/en/cities/{small_network.vinh.slug}/">') == 2
    )


def test_admin_links_are_for_staff_only(client, django_user_model, small_network):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    client.force_login(user)
    html = client.get(page("cities")).text
    assert f'href="/en/cities/{small_network.vinh.slug}/">Vinh</a>' in html and "admin-link" not in html


def test_a_report_is_saved_with_its_filters_then_listed(client, make_staff, small_network):
    from reports.models import SavedReport

    user = make_staff(VIEW)
    client.force_login(user)
    html = client.get(page("members-by-country"), {"region": "asia-pacific"}).text
    assert 'action="/reports/members-by-country/save/"' in html and 'value="region=asia-pacific"' in html
    response = client.post(
        "/reports/members-by-country/save/", {"title": "Asia members", "filters": "region=asia-pacific&page=2"}
    )
    saved = SavedReport.objects.get()
    assert (saved.name, saved.filters, saved.owner) == ("Asia members", "region=asia-pacific", user)
    assert response["Location"] == reverse("admin:reports_savedreport_change", args=[saved.pk])
    index = client.get(reverse("reports:index")).text
    assert 'href="/reports/members-by-country/?region=asia-pacific">Asia members</a>' in index


def test_saving_bad_filters_says_why(client, make_staff, small_network):
    from reports.models import SavedReport

    client.force_login(make_staff(VIEW))
    response = client.post(
        "/reports/members-by-country/save/", {"title": "x", "filters": "region=atlantis"}, follow=True
    )
    assert response.status_code == 400 and "Not saved" in response.text  # the page, with its filter errors
    assert not SavedReport.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["participation-matrix", "conferences-by-city"])
def test_a_report_page_streams_its_rows_rather_than_computing_every_row(client, make_staff, name):
    """In autocommit, as a production request runs, Django declares QuerySet.iterator()'s server-side cursor WITH
    HOLD, and PostgreSQL then computes every row before the page reads its first (2.6 s instead of 39 ms for the
    participation matrix at the stress size). The page reads its rows in a transaction, WITHOUT HOLD."""
    for _ in range(3):
        delegation = DelegationFactory()
        DelegateFactory(delegation=delegation)
    client.force_login(make_staff(VIEW))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page(name)).status_code == 200
    assert not connection.in_atomic_block  # the test itself runs in autocommit
    cursors = [q["sql"] for q in captured if q["sql"].startswith("DECLARE") and "conferences_delegation" in q["sql"]]
    assert len(cursors) == (1 if connection.vendor == "postgresql" else 0)  # the report's rows
    assert not any("WITH HOLD" in sql for sql in cursors)
