"""Every create, change and delete of a record keeps who, when and the values, at one INSERT per save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from core.history import ChangeNote
from imports.models import ImportRecord
from network.models import Award, City, ClusterMembership, Country, CountryAlias, MembershipTerm, ProgressReport, Region
from tests.admin_pages import add_inline_rows, form_data
from tests.conferences.factories import DelegateFactory, DelegationFactory
from tests.network.admin_pages import build_cities
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

TRACKED = [
    City,
    MembershipTerm,
    Award,
    ProgressReport,
    ClusterMembership,
    Country,
    CountryAlias,
    Region,
    Venue,
    Conference,
    Session,
    Delegation,
    Delegate,
]


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_record_models_keep_a_history(model):
    assert model.history.model._meta.db_table.endswith(f"historical{model._meta.model_name}")


def test_import_records_are_themselves_the_history_of_imports_and_keep_none():
    assert not hasattr(ImportRecord, "history")


def test_create_change_and_delete_keep_the_values_of_each_version():
    term = MembershipTermFactory(source="cohort 2020", notes="")
    term.notes = "Confirmed by the National Commission"
    term.save()
    pk = term.pk
    term.delete()

    deleted, changed, created = MembershipTerm.history.filter(id=pk)
    assert [v.history_type for v in (created, changed, deleted)] == ["+", "~", "-"]
    confirmed = "Confirmed by the National Commission"
    assert (created.notes, changed.notes, deleted.notes) == ("", confirmed, confirmed)
    delta = changed.diff_against(created)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("notes", "", "Confirmed by the National Commission")]
    assert created.history_date <= changed.history_date <= deleted.history_date


def test_a_change_in_the_admin_keeps_who_made_it_even_after_the_account_is_deleted(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "", "not-used-here")
    client.force_login(editor)
    city = CityFactory(name="Vinh", province="")
    url = reverse("admin:network_city_change", args=[city.pk])
    data = form_data(client.get(url)) | {"province": "Nghe An"}
    response = client.post(url, data)
    assert response.status_code == 302

    version = city.history.latest()
    assert (version.history_user, version.history_user_name, version.province) == (editor, "editor", "Nghe An")
    client.logout()
    editor.delete()
    version.refresh_from_db()
    assert (version.history_user, version.history_user_name) == (None, "editor")


def test_inline_rows_saved_with_their_city_record_the_user_too(staff_client, admin_user):
    city = CityFactory()
    url = reverse("admin:network_city_change", args=[city.pk])
    data = add_inline_rows(
        form_data(staff_client.get(url)),
        "membership_terms",
        [{"start_date": "2024-02-14", "start_precision": "month"}],
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    version = MembershipTerm.history.get(city_id=city.pk)
    assert (version.history_type, version.history_user, version.start_precision) == ("+", admin_user, "month")


# What the history costs -----------------------------------------------------------------------


def queries_to_save(obj) -> list[str]:
    """The writes saving runs, as verb and table ("UPDATE network_city"); reads (which pages to refresh) apart."""
    with CaptureQueriesContext(connection) as queries:
        obj.save()
    return [statement(q["sql"]) for q in queries.captured_queries if not q["sql"].startswith("SELECT")]


def statement(sql: str) -> str:
    verb, *words = sql.replace('"', "").split()
    table = words[1] if verb in ("INSERT", "DELETE") else words[0]  # INSERT INTO t, DELETE FROM t, UPDATE t
    return f"{verb} {table}"


@pytest.mark.parametrize("size", [5, 50])
def test_history_adds_exactly_one_insert_to_saving_a_city(settings, size):
    city = build_cities(size)
    settings.SIMPLE_HISTORY_ENABLED = False
    without = queries_to_save(city)
    settings.SIMPLE_HISTORY_ENABLED = True
    with_history = queries_to_save(city)
    assert without == ["UPDATE network_city"]
    assert with_history == [*without, "INSERT network_historicalcity"]


@pytest.mark.parametrize("size", [5, 50])
def test_history_adds_exactly_one_insert_to_saving_or_deleting_a_delegate(settings, size):
    delegation = DelegationFactory()
    delegate, *_ = DelegateFactory.create_batch(size, delegation=delegation)
    settings.SIMPLE_HISTORY_ENABLED = False
    without = queries_to_save(delegate)
    settings.SIMPLE_HISTORY_ENABLED = True
    with_history = queries_to_save(delegate)
    assert with_history == [*without, "INSERT conferences_historicaldelegate"]
    with CaptureQueriesContext(connection) as queries:
        delegate.delete()
    deleting = [statement(q["sql"]) for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert deleting == ["DELETE conferences_delegate", "INSERT conferences_historicaldelegate"]


# Bulk writes ----------------------------------------------------------------------------------


def test_change_note_records_bulk_creates_and_updates_with_the_user_and_reason(admin_user):
    country = Country.objects.get(code="VN")
    note = ChangeNote(user=admin_user, reason="Import #7: cohort.csv")
    cities = note.bulk_create(City, [City(name="Vinh", slug="vinh-vn", country=country)])
    cities[0].province = "Nghe An"
    assert note.bulk_update(City, cities, ["province"]) == 1

    changed, created = City.history.filter(id=cities[0].pk)
    for version in (created, changed):
        assert (version.history_user, version.history_user_name) == (admin_user, admin_user.username)
        assert version.history_change_reason == "Import #7: cohort.csv"
    assert (created.history_type, created.province, changed.history_type, changed.province) == ("+", "", "~", "Nghe An")


def test_change_note_keeps_a_name_without_an_account():
    country = Country.objects.get(code="VN")
    note = ChangeNote(user_name="ana (command line)", reason="Import #8: cohort.csv")
    city, *_ = note.bulk_create(City, [City(name="Vinh", slug="vinh-vn", country=country)])
    version = city.history.get()
    assert (version.history_user, version.history_user_name) == (None, "ana (command line)")


def test_change_note_writes_nothing_for_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ChangeNote().bulk_create(City, []) == []
        assert ChangeNote().bulk_update(City, [], ["province"]) == 0
