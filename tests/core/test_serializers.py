import json

import pytest
from django.core import serializers

from network.models import MembershipTerm
from tests.network.factories import MembershipTermFactory

pytestmark = pytest.mark.django_db


def test_history_rows_keep_their_references_as_ids_even_to_deleted_records():
    term = MembershipTermFactory(city__slug="atlantis-gr")
    city_id = term.city_id
    term.delete()
    term.city.delete()
    rows = json.loads(serializers.serialize("json", MembershipTerm.history.all(), use_natural_foreign_keys=True))
    assert [row["fields"]["city"] for row in rows] == [city_id, city_id]


def test_records_keep_natural_keys_for_their_references():
    term = MembershipTermFactory(city__slug="vinh-vn")
    row = json.loads(serializers.serialize("json", [term], use_natural_foreign_keys=True))[0]
    assert row["fields"]["city"] == ["vinh-vn"]
