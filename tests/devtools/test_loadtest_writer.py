import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from conferences.models import Delegate
from devtools.loadtest import RENAME_MARK, AdminClient, Check, Tally, WriteFailed, check_fresh
from devtools.loadtest_writer import (
    IMPORT_PROVINCES,
    WRITER_USERNAME,
    Targets,
    Writer,
    create_writer_user,
    joined_text,
    run,
)
from network.models import City, MembershipTerm
from tests.e2e.browser import restore_reference_data
from tests.network.factories import CityFactory, MembershipTermFactory

# Transactional: the live server reads what the test writes. Not a serialized rollback: after another
# transactional test has flushed the tables and post_migrate has made the content types again, loading the
# serialized copy collides with them; the reference data comes back as the browser tests bring it back.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data():
    restore_reference_data()


@pytest.fixture(autouse=True)
def _cookies_over_plain_http(settings):
    # The live server speaks plain HTTP, as scripts/loadtest_mixed.sh's servers do (DJANGO_SECURE_COOKIES=false).
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def network(build_network):
    network = build_network(3)
    former = CityFactory(country=network.country, name="Formerville")
    MembershipTermFactory(
        city=former, start_date=datetime.date(2014, 9, 1), end_date=datetime.date(2016, 1, 1), end_reason="withdrew"
    )
    return network


def _state():
    return (
        sorted(City.objects.values_list("pk", "name", "province")),
        sorted(MembershipTerm.objects.values_list("pk", "start_date", "end_date")),
        sorted(Delegate.objects.values_list("pk", "is_public")),
    )


def _writer(live_server, tally):
    username, password = create_writer_user()
    admin = AdminClient(live_server.url, reverse("admin:index"))
    admin.sign_in(username, password)
    return Writer(admin, [live_server.url], Targets.choose(1), tally)


def test_targets_are_distinct_records_of_each_kind(network):
    targets = Targets.choose(1)
    assert [city.name for city in targets.terms] == ["Formerville"]
    assert len(targets.renames) == 1 and len(targets.delegates) == 1
    assert targets.delegates[0].is_public and targets.delegates[0].full_name.startswith("Published Person")
    cities = {targets.renames[0].pk, targets.terms[0].pk, targets.delegates[0].delegation.city_id, targets.imported.pk}
    assert len(cities) == 4
    assert joined_text(targets.imported_term) == targets.imported_term.start_date.isoformat()


def test_every_edit_is_read_fresh_on_the_pages_it_changes(live_server, network):
    tally = Tally()
    writer = _writer(live_server, tally)
    city, delegate = writer.targets.renames[0], writer.targets.delegates[0]
    # By turns: renamed, term added, delegate withdrawn; renamed back, term ended, delegate published; renamed,
    # term deleted, delegate withdrawn.
    for _ in range(9):
        writer.step()
    assert City.objects.get(pk=city.pk).name == city.name + RENAME_MARK
    assert not Delegate.objects.get(pk=delegate.pk).is_public
    assert MembershipTerm.objects.filter(city=writer.targets.terms[0]).count() == 1
    writer.apply_import()
    assert City.objects.get(pk=writer.targets.imported.pk).province == IMPORT_PROVINCES[0]
    assert tally.writes == {"rename": 3, "term": 3, "delegate": 3, "import": 1}
    assert tally.imports == 1
    assert (tally.stale, tally.read_errors, tally.write_errors) == (0, 0, 0), tally.problems
    # Two reads (page and API) of every write, but one of the term's.
    assert tally.fresh == 3 * 2 + 3 * 1 + 3 * 2 + 2


def test_clean_up_leaves_the_records_as_they_were(live_server, network):
    before = _state()
    writer = _writer(live_server, Tally())
    for _ in range(5):
        writer.step()
    writer.apply_import()
    assert _state() != before
    writer.clean_up()
    assert _state() == before
    assert writer.tally.write_errors == 0, writer.tally.problems


def test_a_page_without_the_change_is_counted_stale(live_server, network):
    tally = Tally()
    city = network.cities[0]
    check_fresh(
        [live_server.url],
        [Check(city.get_absolute_url(), contains=city.name), Check(city.get_absolute_url(), contains="Not there")],
        tally,
    )
    assert (tally.fresh, tally.stale) == (1, 1)
    assert tally.problems == [f"stale {live_server.url}{city.get_absolute_url()}: expected Not there"]


def test_a_form_the_admin_refuses_raises_with_its_errors(live_server, network):
    admin = _writer(live_server, Tally()).admin
    with pytest.raises(WriteFailed, match="This field is required"):
        admin.submit(reverse("admin:network_city_change", args=[network.cities[0].pk]), {"name": ""})


def test_run_writes_checks_and_removes_its_user(live_server, network):
    before = _state()
    tally = run(live_server.url, [], duration=2, interval=0.2, import_every=1, size=1)
    assert sum(tally.writes.values()) >= 3 and tally.imports >= 1
    assert (tally.stale, tally.read_errors, tally.write_errors) == (0, 0, 0), tally.problems
    assert _state() == before
    assert not get_user_model().objects.filter(username=WRITER_USERNAME).exists()
    assert not Session.objects.exists()
