import io

import pytest
from django.core.management import CommandError, call_command

from core.cache import registry_changed
from tests.e2e.browser import CHROMIUM, restore_reference_data
from tests.network.factories import CityFactory, MembershipTermFactory


def test_refuses_fewer_than_one_load():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("benchmark_map", "--loads", "0")


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_times_each_width_and_counts_the_cities_drawn(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    restore_reference_data()
    for latitude in (10, 20, 30):
        MembershipTermFactory(city=CityFactory(latitude=latitude, longitude=latitude))
    registry_changed()
    out = io.StringIO()
    call_command("benchmark_map", "--url", live_server.url + "/en/map/", "--loads", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert sum("load " in line for line in lines) == 4  # two loads at each of two widths
    table = {line.split(" (")[0]: line.split() for line in lines[-2:]}
    assert set(table) == {"desktop", "phone"}
    for cells in table.values():
        loads, best, median, worst, cities = cells[3:]  # after "desktop (1280 px)"
        assert loads == "2" and cities == "3"
        assert 0 < float(best.replace(",", "")) <= float(median.replace(",", "")) <= float(worst.replace(",", ""))


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_says_so_when_nothing_answers():
    with pytest.raises(CommandError, match="did not draw"):
        call_command("benchmark_map", "--url", "http://127.0.0.1:9/en/map/", "--loads", "1", "--timeout", "5")
