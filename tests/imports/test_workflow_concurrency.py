"""Two applies at the same moment, in real threads with connections of their own (probe cases 2.3, 2.4, 2.6)."""

import csv
import io
import threading
import time
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, transaction

from conferences.importers import DelegationImport
from conferences.models import Delegate
from imports import workflow as importing
from imports.models import ImportRecord
from imports.workflow import import_apply, import_preview, import_store, lock_imports
from network.importers import MemberImport
from network.models import City, Country, MembershipTerm
from tests.conferences.factories import ConferenceFactory, DelegationFactory
from tests.network.factories import CityFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's shared in-memory test database fails a second writer at once instead of making it wait",
    ),
    pytest.mark.django_db(transaction=True),
]

ROWS = 60


@pytest.fixture(autouse=True)
def _reference_data():
    """The countries a migration loads: each transactional test ends by emptying every table."""
    if not Country.objects.exists():
        import_module("network.migrations.0003_load_regions_countries_clusters").load(apps, None)


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def together(*calls):
    """Run each call in its own thread, released at the same instant; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # re-raised in the test's own thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


def stored(importer, data: bytes, user) -> ImportRecord:
    preview = import_preview(importer=importer, data=data, file_name="file.csv")
    assert preview.is_valid, preview.lines()
    return import_store(importer=importer, preview=preview, data=data, file_name="file.csv", user=user)


def apply_stored(importer_class, record, user):
    def call():
        importer = importer_class.from_options(record.options)
        return import_apply(
            importer=importer, data=bytes(record.content), file_name="file.csv", user=user, record=record
        )

    return call


def apply_file(importer, data: bytes, name: str):
    return lambda: import_apply(importer=importer, data=data, file_name="file.csv", user_name=name)


def cohort(names, joined="2020", province="") -> bytes:
    return csv_bytes(("city", "country", "joined", "province"), [(name, "VN", joined, province) for name in names])


def waiting_on_a_lock() -> int:
    """How many sessions wait for a lock now (pg_locks, unlike pg_stat_activity, is not frozen per transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def wait_until(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def users(django_user_model):
    return [django_user_model.objects.create_user(name) for name in ("de1", "de2")]


def test_same_cohort_file_applied_at_once_by_two_people_applies_once(users):
    data = cohort([f"Town {n}" for n in range(ROWS)])
    records = [stored(MemberImport(), data, user) for user in users]
    results = together(*(apply_stored(MemberImport, record, user) for record, user in zip(records, users, strict=True)))
    assert sorted(result.applied for result in results) == [False, True]
    refused = next(result for result in results if not result.applied)
    assert refused.error == importing.CHANGED_SINCE_PREVIEW
    assert "it was create Town 0, Viet Nam (new city; member from 2020), it is now unchanged" in str(
        refused.problems[0]
    )
    assert (City.objects.count(), MembershipTerm.objects.count()) == (ROWS, ROWS)
    assert ImportRecord.objects.filter(status=ImportRecord.Status.APPLIED).count() == 1


def test_conflicting_cohort_files_applied_at_once_never_deadlock_and_leave_one_join_year(users):
    names = [f"Town {n}" for n in range(ROWS)]
    first, second = cohort(names, joined="2020"), cohort(reversed(names), joined="2021")
    records = [stored(MemberImport(), data, user) for data, user in zip((first, second), users, strict=True)]
    results = together(*(apply_stored(MemberImport, record, user) for record, user in zip(records, users, strict=True)))
    assert sorted(result.applied for result in results) == [False, True]
    assert not next(result for result in results if not result.applied).applied
    applied = ImportRecord.objects.get(status=ImportRecord.Status.APPLIED)
    year = 2020 if applied.pk == records[0].pk else 2021
    assert City.objects.count() == ROWS
    assert set(MembershipTerm.objects.values_list("start_date__year", flat=True)) == {year}


def test_conflicting_cohort_files_from_the_command_line_wait_and_the_second_sees_the_first():
    names = [f"Town {n}" for n in range(ROWS)]
    first, second = cohort(names, joined="2020"), cohort(reversed(names), joined="2021")
    results = together(apply_file(MemberImport(), first, "a"), apply_file(MemberImport(), second, "b"))
    # Whichever came second re-planned against the first's cities: its own terms would overlap.
    assert sorted(result.applied for result in results) == [False, True]
    refused = next(result for result in results if not result.applied)
    assert "would overlap it" in str(refused.problems[0])
    assert (City.objects.count(), MembershipTerm.objects.count()) == (ROWS, ROWS)


def members_since_2020() -> list[str]:
    """Member cities whose rows in a 2020 cohort file can only update the province."""
    country, names = Country.objects.get(code="VN"), []
    for n in range(ROWS):
        city = CityFactory(name=f"Town {n}", country=country, province="Prov 2024")
        city.membership_terms.create(start_date="2020-01-01", start_precision="year")
        names.append(city.name)
    return names


def test_overlapping_updates_applied_at_once_refuse_the_one_whose_preview_is_out_of_date(users):
    names = members_since_2020()
    files = [cohort(names, province="PA0"), cohort(reversed(names), province="PB0")]
    records = [stored(MemberImport(), data, user) for data, user in zip(files, users, strict=True)]
    results = together(*(apply_stored(MemberImport, record, user) for record, user in zip(records, users, strict=True)))
    assert sorted(result.applied for result in results) == [False, True]
    refused = next(result for result in results if not result.applied)
    assert refused.error == importing.CHANGED_SINCE_PREVIEW and len(refused.problems) == ROWS
    applied = ImportRecord.objects.get(status=ImportRecord.Status.APPLIED)
    value = "PA0" if applied.pk == records[0].pk else "PB0"
    assert set(City.objects.values_list("province", flat=True)) == {value}
    assert {tuple(change["details"]) for change in applied.changes} == {(f"province: 'Prov 2024' → '{value}'",)}


def test_overlapping_updates_from_the_command_line_record_the_value_each_replaced():
    names = members_since_2020()
    files = {"a": cohort(names, province="PA0"), "b": cohort(reversed(names), province="PB0")}
    results = together(*(apply_file(MemberImport(), data, name) for name, data in files.items()))
    assert all(result.applied for result in results)
    first, last = ImportRecord.objects.order_by("applied_at")
    last_value, first_value = f"P{last.imported_by_name.upper()}0", f"P{first.imported_by_name.upper()}0"
    assert set(City.objects.values_list("province", flat=True)) == {last_value}
    assert {tuple(c["details"]) for c in first.changes} == {(f"province: 'Prov 2024' → '{first_value}'",)}
    assert {tuple(c["details"]) for c in last.changes} == {(f"province: '{first_value}' → '{last_value}'",)}


def participant_list(delegation) -> bytes:
    city = delegation.city
    rows = [(city.name, city.country.code, f"Delegate {n}", "", "no", "", f"d{n}@example.org") for n in range(ROWS)]
    return csv_bytes(("city", "country", "full_name", "role", "head", "public", "email"), rows)


def test_same_participant_list_applied_at_once_by_two_people_creates_each_delegate_once(users):
    delegation = DelegationFactory(conference=ConferenceFactory(number=6))
    data = participant_list(delegation)
    importer = DelegationImport(delegation.conference)
    records = [stored(importer, data, user) for user in users]
    results = together(
        *(apply_stored(DelegationImport, record, user) for record, user in zip(records, users, strict=True))
    )
    assert sorted(result.applied for result in results) == [False, True]
    assert next(result for result in results if not result.applied).error == importing.CHANGED_SINCE_PREVIEW
    assert Delegate.objects.filter(delegation=delegation).count() == ROWS


def test_same_participant_list_from_the_command_line_twice_at_once_finds_the_second_unchanged():
    delegation = DelegationFactory(conference=ConferenceFactory(number=6))
    data = participant_list(delegation)
    results = together(*(apply_file(DelegationImport(delegation.conference), data, name) for name in "ab"))
    assert all(result.applied for result in results)
    assert sorted(result.counts["create"] for result in results) == [0, ROWS]
    assert sorted(result.counts["unchanged"] for result in results) == [0, ROWS]
    assert Delegate.objects.filter(delegation=delegation).count() == ROWS


def test_an_apply_waits_for_the_lock_then_plans_against_what_was_committed_meanwhile():
    thread_result = {}
    data = cohort(["Vinh"])

    def apply_in_thread():
        try:
            thread_result["preview"] = import_apply(importer=MemberImport(), data=data, file_name="c.csv")
        finally:
            connection.close()

    with transaction.atomic():
        lock_imports()
        thread = threading.Thread(target=apply_in_thread)
        thread.start()
        wait_until(lambda: waiting_on_a_lock() == 1)
        city = CityFactory(name="Vinh", country=Country.objects.get(code="VN"))
        city.membership_terms.create(start_date="2020-01-01", start_precision="year")
    thread.join(timeout=30)
    assert thread_result["preview"].applied
    assert thread_result["preview"].counts == {"create": 0, "update": 0, "unchanged": 1}
    assert City.objects.count() == MembershipTerm.objects.count() == 1


def test_an_apply_kept_waiting_too_long_is_told_so_and_writes_nothing(monkeypatch):
    monkeypatch.setattr(importing, "LOCK_WAIT", "200ms")
    with transaction.atomic():
        lock_imports()
        (result,) = together(apply_file(MemberImport(), cohort(["Vinh"]), "a"))
    assert (result.applied, result.error) == (False, importing.IMPORT_BUSY)
    assert City.objects.count() == 0


def apply_caught_in_a_deadlock(record, user):
    """Apply `record` in a thread while this transaction holds the record and then wants the import lock."""
    thread_result = {}

    def apply_in_thread():
        try:
            thread_result["preview"] = apply_stored(MemberImport, record, user)()
        finally:
            connection.close()

    thread = threading.Thread(target=apply_in_thread)
    with transaction.atomic():
        ImportRecord.objects.select_for_update().get(pk=record.pk)
        thread.start()
        wait_until(lambda: waiting_on_a_lock() == 1)
        # PostgreSQL ends the deadlock by failing the apply, which waited first, so this side gets the lock.
        lock_imports()
    thread.join(timeout=30)
    return thread_result["preview"]


def test_an_apply_caught_in_a_deadlock_is_retried_not_a_server_error(users):
    result = apply_caught_in_a_deadlock(stored(MemberImport(), cohort(["Vinh"]), users[0]), users[0])
    assert result.applied, result.lines()
    assert City.objects.count() == 1


def test_an_apply_still_deadlocked_on_its_last_attempt_is_told_the_records_changed(users, monkeypatch):
    monkeypatch.setattr(importing, "ATTEMPTS", 1)
    result = apply_caught_in_a_deadlock(stored(MemberImport(), cohort(["Vinh"]), users[0]), users[0])
    assert (result.applied, result.error) == (False, importing.RECORDS_CHANGED)
    assert City.objects.count() == 0
