"""The Reports section: an index, each report as a page with its filters, chart and table, and its exports.

For signed-in users with the "view reports" permission; staff status alone is not enough.
"""

import datetime
from functools import wraps
from itertools import groupby

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.cache import cached
from core.pagination import CachedCountPaginator
from reports.base import BOOL, VIEW_REPORTS, QueryReport, get_report_class, registered_reports
from reports.dashboard import MANAGERS, dashboard_panels
from reports.export import FORMATS, Export
from reports.models import SavedReport


def _protected(view):
    """Anonymous users go to the login page; signed-in users without the permission get 403, which says why."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS):
            raise PermissionDenied(
                _("The reports need the permission “Can view reports and export them” (network.view_reports).")
            )
        return view(request, *args, **kwargs)

    return login_required(checked)


def build_report(request, name):
    """The report called `name`, filtered by the request's GET parameters, for this user."""
    report_class = get_report_class(name)
    if report_class is None:
        raise Http404(_("No report called '%(name)s'.") % {"name": name})
    permission = report_class.personal_data_permission
    personal = bool(permission) and request.user.has_perm(permission)
    return report_class(request.GET, include_personal_data=personal)


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


@_protected
def report_index(request):
    reports = registered_reports()
    groups = [(group, list(members)) for group, members in groupby(reports, key=lambda r: str(r.group))]
    panels = dashboard_panels(MANAGERS)
    saved = list(SavedReport.objects.filter(owner=request.user).order_by("name"))
    context = _context(request, title=_("Reports"), groups=groups, panels=panels, saved=saved)
    return render(request, "reports/index.html", context)


@_protected
@require_POST
def report_save(request, name):
    """Save the report with the filters it was shown with under a name; then its schedule is set in the admin."""
    report = build_report(request, name)
    filters = QueryDict(request.POST.get("filters", ""), mutable=True)
    filters.pop("page", None)
    saved = SavedReport(name=request.POST.get("title", "").strip(), report=name, filters=filters.urlencode())
    saved.owner = request.user
    try:
        saved.full_clean()
    except ValidationError as error:
        problems = " ".join(m for ms in error.message_dict.values() for m in ms)
        messages.error(request, _("Not saved: %(problems)s") % {"problems": problems})
        return redirect(saved.get_absolute_url())
    saved.save()
    messages.success(
        request,
        _("Saved as '%(name)s'. Schedule it to be e-mailed from its page in the admin.") % {"name": saved.name},
    )
    del report
    return redirect(reverse("admin:reports_savedreport_change", args=[saved.pk]))


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
    staff = request.user.is_staff
    key = f"{report.name}|{report.include_personal_data}|{staff}|{filters.urlencode()}"
    if isinstance(report, QueryReport):
        width = len(report.get_columns())
        aliases = [f"c{i}" for i in range(width)] + [f"l{i}" for i in range(len(report.link_sources))]
        rows = report.select(with_links=True).values_list(*aliases)
        paginator = CachedCountPaginator(
            rows, report.rows_on_screen(), key=key, counted=report.counted(), scopes=report.cache_scopes()
        )
        page = context["page"] = paginator.get_page(request.GET.get("page"))
        complete = not page.has_other_pages()

        def page_of_rows():
            pairs = [(row[:width], row[width:]) for row in page.object_list]
            return [row for row, _ in pairs], table_html(report, pairs, staff=staff, complete=complete)

        # The page's list, not its query: a template asking {% if page %} would otherwise run the query again.
        rows_on_page, table = cached("report-page-table", page_of_rows, key, page.number, scopes=report.cache_scopes())
        page.object_list = rows_on_page
        return rows_on_page, complete, table
    shown = context["rows_on_screen"] = report.rows_on_screen()

    def first_rows():
        # In a transaction, a server-side cursor (QuerySet.iterator() on PostgreSQL) is declared WITHOUT HOLD and
        # read only as far as the page needs. In autocommit Django declares it WITH HOLD, and PostgreSQL computes
        # every row when the DECLARE commits: the participation matrix's first rows took 2.6 s instead of 39 ms at
        # the stress size (found by the mixed load test; benchmark_pages then ran inside a transaction).
        with transaction.atomic(savepoint=False):  # no savepoint inside a request already in a transaction
            pairs = report.rows_with_links(shown + 1)
        complete = len(pairs) <= shown
        rows = [row for row, _ in pairs[:shown]]
        return rows, complete, table_html(report, pairs[:shown], staff=staff, complete=complete)

    return cached("report-rows-table", first_rows, key, shown, scopes=report.cache_scopes())


def _yes_no(value) -> str:
    """A boolean cell on the page, in the reader's language (the exports keep "yes"/"no": see base.yes_no)."""
    return "" if value is None else (_("yes") if value else _("no"))


# Types whose equal values are always written alike: not Decimal ("1.5" and "1.50" are equal) nor datetime (equal
# instants in two time zones).
_ONE_TEXT_PER_VALUE = frozenset({str, int, bool, datetime.date, type(None)})


class _Cells:
    """Writes a table's cells in the active language. A page of 500 rows holds 5,000 cells but far fewer values
    (a country, a due date, a count recur from row to row), so each value's localized, escaped text is made once
    per table: Django's date_format takes about 0.1 ms a call, and the progress-reports-due page's cells took 225
    of its 400 ms first view at the stress size (2026-12-01) before this."""

    def __init__(self):
        self._texts: dict[tuple[type, object, str], str] = {}
        title, label = conditional_escape(_("Open in the admin")), conditional_escape(_("edit"))
        self._admin_link = (' <a class="admin-link" href="', f'" title="{title}">{label}</a>')

    def text(self, value, kind: str) -> str:
        """`value` localized and escaped; booleans as yes/no in the reader's language."""
        if type(value) not in _ONE_TEXT_PER_VALUE:
            return self._write(value, kind)
        key = (type(value), value, kind)  # the type too: 1 == True, and they are written differently
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._write(value, kind)
        return text

    @staticmethod
    def _write(value, kind: str) -> str:
        shown = _yes_no(value) if kind == BOOL else value
        return "" if shown is None else conditional_escape(localize(shown))

    def cell(self, value, kind: str, link: str = "", admin_link: str = "") -> str:
        text = self.text(value, kind)
        if link and text:
            text = f'<a href="{conditional_escape(link)}">{text}</a>'
        if admin_link:
            before, after = self._admin_link
            text += f"{before}{conditional_escape(admin_link)}{after}"
        return f'<td class="kind-{kind}">{text}</td>'

    def total_row(self, label: str, sums: dict[int, int], kinds: list[str], css: str) -> str:
        cells = [f'<th scope="row">{conditional_escape(label)}</th>']
        cells += [self.cell(sums.get(i), kinds[i]) if i in sums else "<td></td>" for i in range(1, len(kinds))]
        return f'<tr class="{css}">{"".join(cells)}</tr>'


def _action(label: str, url: str) -> str:
    return f'<a class="button" href="{conditional_escape(url)}">{conditional_escape(label)}</a>'


def table_html(report, pairs, *, staff: bool, complete: bool) -> str:
    """The table's rows, written here rather than by the template (a page may hold thousands of cells): each
    cell linked as report.links() says (and to the admin for staff); subtotals and a total for the columns that
    add up, when every row is on the page."""
    columns = report.get_columns()
    kinds = [column.kind for column in columns]
    summed = [i for i, column in enumerate(columns) if column.total] if complete else []
    group_by = report.subtotal_by if summed else None
    total, subtotal, html, current = dict.fromkeys(summed, 0), dict.fromkeys(summed, 0), [], _NO_GROUP
    cells = _Cells()
    for row, extra in pairs:
        if group_by is not None and row[group_by] != current:
            if current is not _NO_GROUP:
                label = _("Subtotal %(group)s") % {"group": current}
                html.append(cells.total_row(label, subtotal, kinds, "subtotal"))
            current, subtotal = row[group_by], dict.fromkeys(summed, 0)
        links = report.links(row, extra)
        admin_links = report.admin_links(row, extra) if staff else {}
        html.append("<tr>")
        html += [
            cells.cell(v, k, links.get(i, ""), admin_links.get(i, ""))
            for i, (v, k) in enumerate(zip(row, kinds, strict=True))
        ]
        if staff and report.action_header:
            actions = report.row_actions(row, extra)
            html.append('<td class="row-actions">' + " ".join(_action(*a) for a in actions) + "</td>")
        html.append("</tr>")
        for i in summed:
            total[i] += row[i] or 0
            subtotal[i] += row[i] or 0
    if group_by is not None and current is not _NO_GROUP:
        label = _("Subtotal %(group)s") % {"group": current}
        html.append(cells.total_row(label, subtotal, kinds, "subtotal"))
    if summed and pairs:
        html.append(cells.total_row(_("Total"), total, kinds, "total"))
    return mark_safe("".join(html))


_NO_GROUP = object()


@_protected
def report_export(request, name, fmt):
    if fmt not in FORMATS:
        raise Http404(_("No export format '%(format)s': use csv or xlsx.") % {"format": fmt})
    report = build_report(request, name)
    if not report.is_valid():
        context = _context(request, title=report.title, report=report, formats=list(FORMATS))
        return render(request, report.template_name, context, status=400)
    return Export(report, fmt, made_by=request.user.get_username(), source=request.build_absolute_uri()).response()
