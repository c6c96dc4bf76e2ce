"""The saved reports admin under the shared harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py)."""

from reports.models import SavedReport
from tests.admin_pages import AppPages
from tests.reports.factories import SavedReportFactory


def build_saved_reports(n):
    return SavedReportFactory.create_batch(n)[0]


ADMIN = AppPages(pages={SavedReport: (build_saved_reports, "Saved report")})
