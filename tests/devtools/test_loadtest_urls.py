import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_prints_one_public_address_per_line(build_network):
    network = build_network(2)
    out = io.StringIO()
    call_command("loadtest_urls", "--sample", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert all(line.startswith("/") for line in lines)
    assert ("/en/" in lines and network.cities[0].get_absolute_url() in lines) or len(lines) > 20


def test_kinds_add_the_api_and_the_report_pages(build_network):
    build_network(2)
    out = io.StringIO()
    call_command("loadtest_urls", "--sample", "2", "--kinds", "api,report", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("/api/v1/") for line in lines)
    assert any(line.startswith("/reports/") for line in lines)
    assert not [line for line in lines if not line.startswith(("/api/v1/", "/reports/"))]


def test_an_unknown_kind_is_refused(build_network):
    with pytest.raises(SystemExit):
        call_command("loadtest_urls", "--kinds", "admin", stdout=io.StringIO(), stderr=io.StringIO())
