"""The import history admin under the shared harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py).

It is read-only: no add form, and no change form to post to."""

from imports.models import ImportRecord
from tests.admin_pages import AppPages
from tests.imports.factories import ImportRecordFactory


def build_import_records(n):
    return ImportRecordFactory.create_batch(n)[0]


def world(network):
    """An applied import and a preview, for the searches, filters and lookups to find."""
    ImportRecordFactory(file_name="cohort-2024.csv")
    ImportRecordFactory(previewed=True, kind="delegations")
    return network


ADMIN = AppPages(pages={ImportRecord: (build_import_records, "cohort")}, world=world)
