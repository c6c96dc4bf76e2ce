import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import new_generation
from reports.dashboard import DATA_ENTRY, MANAGERS, dashboard_panel, dashboard_panels, panels_for
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

VIEW = "network.view_reports"
CHANGE = "network.change_city"


def test_a_panel_for_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="Unknown audience 'visitors'"):
        dashboard_panel(audience="visitors")


def test_managers_see_the_figures_and_data_entry_the_gaps(make_staff):
    manager = make_staff(VIEW, username="manager")
    clerk = make_staff(CHANGE, username="clerk")
    both = make_staff(VIEW, CHANGE, username="both")
    nobody = make_staff(username="nobody")
    titles = {name: [p.title for p in panels_for(user)] for name, user in [("m", manager), ("c", clerk), ("b", both)]}
    assert titles["m"][:2] == ["Membership", "Follow-up"] and "Data gaps" in titles["m"]
    assert titles["c"] == ["Data gaps"]
    assert titles["b"] == titles["m"]  # the gaps once, not twice
    assert panels_for(nobody) == []


def test_panels_are_cached_until_a_record_changes(django_assert_num_queries):
    dashboard_panels(MANAGERS)
    with django_assert_num_queries(1):  # the cache versions (core/cache.py), then the panels as kept
        dashboard_panels(MANAGERS)
    CityFactory()
    assert dashboard_panels(DATA_ENTRY)[0].figures[0].value == 1


@pytest.mark.parametrize("audience", [MANAGERS, DATA_ENTRY])
def test_panels_run_the_same_queries_at_any_size(build_network, audience):
    build_network(3)
    new_generation()
    with CaptureQueriesContext(connection) as small:
        dashboard_panels(audience)
    for _ in range(30):
        MembershipTermFactory(city=CityFactory())
    new_generation()
    with CaptureQueriesContext(connection) as large:
        dashboard_panels(audience)
    # The likely duplicates and the progress reports due are kept per country: each reads the countries, their
    # tokens and, with nothing kept, the countries' rows.
    assert len(small) == len(large) <= 15


def test_a_previewed_import_shows_on_the_data_gaps_at_once(admin_user):
    from imports.workflow import import_preview, import_store
    from network.importers import MemberImport

    def unapplied():
        gaps = next(panel for panel in dashboard_panels(DATA_ENTRY) if panel.title == "Data gaps")
        return next(figure.value for figure in gaps.figures if figure.label == "Imports previewed, never applied")

    assert unapplied() == 0  # kept until the records change
    data = b"city,country,joined\nHue,VN,2020\n"
    preview = import_preview(importer=MemberImport(), data=data, file_name="cohort.csv")
    import_store(importer=MemberImport(), preview=preview, data=data, file_name="cohort.csv", user=admin_user)
    assert unapplied() == 1
