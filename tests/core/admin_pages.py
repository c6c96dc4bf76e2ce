"""The purge log under the shared admin harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py)."""

from core.models import PersonalDataPurge
from tests.admin_pages import AppPages
from tests.core.factories import PersonalDataPurgeFactory


def build_purges(n):
    return PersonalDataPurgeFactory.create_batch(n, description="Delegate 7 of ICLC 6")[0]


ADMIN = AppPages(pages={PersonalDataPurge: (build_purges, "ICLC 6")})
