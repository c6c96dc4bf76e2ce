"""The Reports section: an index, each report as a page with its filters, chart and table, and its exports.

For signed-in users with the "view reports" permission; staff status alone is not enough.
"""

from itertools import groupby, islice

from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.cache import cached
from core.pagination import CachedCountPaginator
from reports.base import BOOL, VIEW_REPORTS, QueryReport, get_report_class, registered_reports, yes_no
from reports.dashboard import MANAGERS, dashboard_panels
from reports.export import FORMATS, Export


def _protected(view):
    """Anonymous users go to the login page; signed-in users without the permission get 403."""
    return login_required(permission_required(VIEW_REPORTS, raise_exception=True)(view))


def build_report(request, name):
    """The report called `name`, filtered by the request's GET parameters, for this user."""
    report_class = get_report_class(name)
    if report_class is None:
        raise Http404(f"No report called '{name}'.")
    permission = report_class.personal_data_permission
    personal = bool(permission) and request.user.has_perm(permission)
    return report_class(request.GET, include_personal_data=personal)


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


@_protected
def report_index(request):
    groups = [(group, list(reports)) for group, reports in groupby(registered_reports(), key=lambda r: r.group)]
    panels = dashboard_panels(MANAGERS)
    return render(request, "reports/index.html", _context(request, title="Reports", groups=groups, panels=panels))


@_protected
def report_detail(request, name):
    report = build_report(request, name)
    context = _context(request, title=report.title, report=report, formats=list(FORMATS))
    if not report.is_valid():
        return render(request, report.template_name, context, status=400)
    rows, complete, context["table"] = _shown_rows(request, report, context)
    context["complete"] = complete
    context["chart"] = report.chart(rows) if complete and rows else None
    return render(request, report.template_name, context)


def _shown_rows(request, report, context) -> tuple[list, bool, str]:
    """The rows on the page, whether they are all the report's, and their table. Reports read across the whole
    network, so rows and table are cached until the records change: a page then costs the same at every size."""
    filters = request.GET.copy()
    filters.pop("page", None)
    key = f"{report.name}|{report.include_personal_data}|{filters.urlencode()}"
    kinds = [column.kind for column in report.get_columns()]
    if isinstance(report, QueryReport):
        aliases = [f"c{i}" for i in range(len(report.get_columns()))]
        rows = report.select().values_list(*aliases)
        paginator = CachedCountPaginator(rows, report.rows_on_screen(), key=key, counted=report.counted())
        page = context["page"] = paginator.get_page(request.GET.get("page"))

        def page_of_rows():
            rows = list(page.object_list)
            return rows, _table_html(rows, kinds)

        # The page's list, not its query: a template asking {% if page %} would otherwise run the query again.
        rows_on_page, table = cached("report-page-table", page_of_rows, key, page.number)
        page.object_list = rows_on_page
        return rows_on_page, not page.has_other_pages(), table
    shown = context["rows_on_screen"] = report.rows_on_screen()

    def first_rows():
        rows = list(islice(report.rows(), shown + 1))
        return rows[:shown], len(rows) <= shown, _table_html(rows[:shown], kinds)

    return cached("report-rows-table", first_rows, key, shown)


def _table_html(rows, kinds) -> str:
    """The table's rows, written as the template would write them but here: a page may hold thousands of cells."""
    html = []
    for row in rows:
        html.append("<tr>")
        for value, kind in zip(row, kinds, strict=True):
            value = yes_no(value) if kind == BOOL else value
            html.append(f'<td class="kind-{kind}">{"" if value is None else conditional_escape(localize(value))}</td>')
        html.append("</tr>")
    return mark_safe("".join(html))


@_protected
def report_export(request, name, fmt):
    if fmt not in FORMATS:
        raise Http404(f"No export format '{fmt}': use csv or xlsx.")
    report = build_report(request, name)
    if not report.is_valid():
        context = _context(request, title=report.title, report=report, formats=list(FORMATS))
        return render(request, report.template_name, context, status=400)
    return Export(report, fmt, made_by=request.user.get_username(), source=request.build_absolute_uri()).response()
