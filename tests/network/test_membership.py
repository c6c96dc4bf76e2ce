import datetime

import pytest

from network.membership import MembershipStatus, spans_overlap, status_of
from network.models import MembershipTerm
from tests.network.factories import MembershipTermFactory

D = datetime.date
# (span a, span b, overlap?) with inclusive ends and None as an open end.
CASES = [
    ((D(2020, 1, 1), D(2020, 12, 31)), (D(2020, 12, 31), D(2021, 6, 1)), True),  # one shared day
    ((D(2020, 1, 1), D(2020, 12, 30)), (D(2020, 12, 31), D(2021, 6, 1)), False),
    ((None, D(2019, 1, 1)), (D(2018, 1, 1), None), True),
    ((None, D(2017, 12, 31)), (D(2018, 1, 1), None), False),
    ((None, None), (D(2000, 1, 1), D(2000, 1, 1)), True),
    ((D(2022, 1, 1), None), (D(2010, 1, 1), D(2021, 12, 31)), False),
]


@pytest.mark.parametrize(("a", "b", "expected"), CASES)
def test_spans_overlap_is_symmetric_with_inclusive_and_open_ends(a, b, expected):
    assert spans_overlap(a, b) is expected
    assert spans_overlap(b, a) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("a", "b", "expected"), CASES)
def test_the_sql_rule_agrees_with_the_python_rule(a, b, expected):
    MembershipTermFactory(start_date=a[0], end_date=a[1], end_reason="withdrew" if a[1] else "")
    assert MembershipTerm.objects.overlapping(*b).exists() is expected


def test_status_of_a_city_from_its_terms():
    assert status_of(is_member=True, has_terms=True) == MembershipStatus.CURRENT
    assert status_of(is_member=False, has_terms=True) == MembershipStatus.FORMER
    assert status_of(is_member=False, has_terms=False) == MembershipStatus.NEVER
    assert [s.label for s in MembershipStatus] == ["Member", "Former member", "Not a member"]
    assert [s.plural for s in MembershipStatus] == ["Current members", "Former members", "Never members"]
